"""Boards, their meetings and the due-for-update list: thin shells around queries and actions."""

from __future__ import annotations

import datetime as dt
import smtplib

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from lapis.core import history as audit
from lapis.core.concurrency import EditConflict
from lapis.governance import actions, queries
from lapis.governance.forms import BoardForm, MeetingForm
from lapis.governance.models import Meeting
from lapis.partnership import permissions
from lapis.partnership.models import Board, Person
from lapis.plans.models import Action

WEB = "web"


def _board(request, pk: int) -> Board:
    return get_object_or_404(Board.objects.visible_to(request.user), pk=pk)


def _can_edit(request, board: Board) -> bool:
    return permissions.can_edit(request.user, board.partnership_id)


def board_list(request):
    partnership = permissions.partnership_for(request)
    boards = []
    if partnership is not None:
        boards = queries.boards_with_counts(
            Board.objects.visible_to(request.user).filter(partnership=partnership),
            dt.date.today())
    return render(request, "governance/board_list.html", {
        "partnership": partnership, "boards": boards})


def board_detail(request, pk: int):
    board = _board(request, pk)
    reporting = (Action.objects.visible_to(request.user).filter(board_links__board=board)
                 .select_related("status", "sro", "plan").order_by("plan__name", "ref_key"))
    meetings = list(Meeting.objects.visible_to(request.user).filter(board=board)
                    .order_by("date"))
    today = dt.date.today()
    return render(request, "governance/board_detail.html", {
        "board": board,
        "members": Person.objects.visible_to(request.user).filter(boards=board)
        .select_related("organisation").order_by("name"),
        "meetings": meetings,
        "next": next((m for m in meetings if m.date >= today), None),
        "actions": reporting,
        "can_edit": _can_edit(request, board),
        "history": audit.history(board).order_by("-at", "-id")[:20],
    })


def board_edit(request, pk: int):
    board = _board(request, pk)
    permissions.require(_can_edit(request, board))
    status, conflict = 200, None
    if request.method == "POST":
        form = BoardForm(request.POST, board=board)
        if form.is_valid():
            try:
                actions.edit_board(
                    board=board, fingerprint=form.cleaned_data["fingerprint"],
                    terms_of_reference=form.cleaned_data["terms_of_reference"],
                    members=list(form.cleaned_data["members"]), by=request.user,
                    source=WEB)
            except EditConflict as error:
                conflict, status = error, 409
                saved = error.current
                data = request.POST.copy()
                data["fingerprint"] = queries.board_fingerprint(saved)
                form = BoardForm(data, board=board)
                form.is_valid()
                conflict.rows = [
                    ("Terms of reference", form.cleaned_data["terms_of_reference"],
                     saved.terms_of_reference),
                    ("Members", ", ".join(p.name for p in form.cleaned_data["members"]),
                     ", ".join(p.name for p in saved.members.order_by("name"))),
                ]
            else:
                messages.success(request, f"Saved {board.name}.")
                return redirect("governance:board", pk=board.pk)
        else:
            status = 400
    else:
        form = BoardForm(board=board, initial={
            "terms_of_reference": board.terms_of_reference,
            "members": list(board.members.all()),
            "fingerprint": queries.board_fingerprint(board)})
    return render(request, "governance/board_form.html", {
        "board": board, "form": form, "conflict": conflict}, status=status)


def meeting_form(request, pk: int, meeting_pk: int | None = None):
    board = _board(request, pk)
    meeting = None
    if meeting_pk is not None:
        meeting = get_object_or_404(
            Meeting.objects.visible_to(request.user).filter(board=board), pk=meeting_pk)
    permissions.require(_can_edit(request, board))
    status, conflict = 200, None
    if request.method == "POST":
        form = MeetingForm(request.POST, board=board, meeting=meeting)
        if form.is_valid():
            values = {name: form.cleaned_data[name]
                      for name in ("date", "title", "notes", "minutes_url")}
            try:
                if meeting is None:
                    meeting = actions.add_meeting(board=board, by=request.user,
                                                  source=WEB, **values)
                    messages.success(request, f"Added the meeting on "
                                     f"{meeting.date.day} {meeting.date:%B %Y}.")
                else:
                    actions.edit_meeting(meeting=meeting,
                                         version=form.cleaned_data["version"] or 0,
                                         by=request.user, source=WEB, **values)
                    messages.success(request, f"Saved the meeting on "
                                     f"{meeting.date.day} {meeting.date:%B %Y}.")
                return redirect(reverse("governance:board", args=[board.pk]) + "#meetings")
            except EditConflict as error:
                conflict, status = error, 409
                saved = error.current
                data = request.POST.copy()
                data["version"] = saved.version
                form = MeetingForm(data, board=board, meeting=saved)
                form.is_valid()
                conflict.rows = [
                    ("Date", values["date"].isoformat(), saved.date.isoformat()),
                    ("Title", values["title"], saved.title),
                    ("Notes", values["notes"], saved.notes),
                    ("Link to the minutes", values["minutes_url"], saved.minutes_url),
                ]
        else:
            status = 400
    else:
        form = MeetingForm(board=board, meeting=meeting)
    return render(request, "governance/meeting_form.html", {
        "board": board, "meeting": meeting, "form": form, "conflict": conflict},
        status=status)


def _chosen_meeting(request, board: Board) -> Meeting | None:
    meetings = Meeting.objects.visible_to(request.user).filter(board=board)
    wanted = request.POST.get("meeting") or request.GET.get("meeting", "")
    if not wanted:
        return queries.next_meeting(board, dt.date.today())
    try:
        day = dt.date.fromisoformat(wanted)
    except ValueError:
        raise Http404("No such meeting") from None
    return get_object_or_404(meetings, date=day)


def due_page(request, pk: int):
    board = _board(request, pk)
    meeting = _chosen_meeting(request, board)
    can_edit = _can_edit(request, board)
    if request.method == "POST":
        permissions.require(can_edit)
        if meeting is None:
            raise Http404("No such meeting")
        found = queries.due_list(board, meeting, Action.objects.visible_to(request.user))
        try:
            done = actions.send_reminders(due=found, by=request.user, source=WEB)
        except (OSError, smtplib.SMTPException) as error:
            messages.error(request, f"The reminders could not be sent: {error}. Nothing was "
                           "recorded; try again later.")
        else:
            messages.success(request, f"Sent {len(done.sent)} reminder email"
                             f"{'' if len(done.sent) == 1 else 's'}."
                             + (f" {len(done.not_reminded)} not reminded: no email address."
                                if done.not_reminded else ""))
        return redirect(reverse("governance:due", args=[board.pk])
                        + f"?meeting={meeting.date.isoformat()}")
    found = (queries.due_list(board, meeting, Action.objects.visible_to(request.user))
             if meeting else None)
    return render(request, "governance/due.html", {
        "board": board,
        "meeting": meeting,
        "meetings": Meeting.objects.visible_to(request.user).filter(board=board)
        .order_by("date"),
        "due": found,
        "can_edit": can_edit,
        "sent_before": (audit.history(meeting).filter(field="reminders").order_by("-at", "-id")
                        if meeting else []),
    })
