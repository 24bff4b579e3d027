"""Boards, their meetings and due-for-update lists as JSON, scoped like the pages."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from lapis.governance import queries
from lapis.governance.models import Meeting
from lapis.partnership import permissions
from lapis.partnership.models import Board, Person
from lapis.plans.models import Action

router = Router(tags=["governance"])


class BoardSummary(Schema):
    id: int
    name: str
    partnership: int
    members: int
    actions: int
    next_meeting: dt.date | None


@router.get("", response=list[BoardSummary], summary="The boards of the partnerships you see")
def list_boards(request, partnership: int | None = None):
    boards = Board.objects.visible_to(request.user)
    if partnership is not None:
        if not permissions.can_view(request.user, partnership):
            raise Http404("No such partnership")
        boards = boards.filter(partnership_id=partnership)
    return [
        {"id": b.pk, "name": b.name, "partnership": b.partnership_id, "members": b.member_count,
         "actions": b.action_count, "next_meeting": b.next_meeting}
        for b in queries.boards_with_counts(boards, dt.date.today())
    ]


@router.get("/{board_id}", summary="A board with its members, meetings and action refs")
def get_board(request, board_id: int):
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=board_id)
    members = Person.objects.visible_to(request.user).filter(boards=board).select_related(
        "organisation").order_by("name")
    actions = (Action.objects.visible_to(request.user).filter(board_links__board=board)
               .order_by("plan__name", "ref_key"))
    return {
        "id": board.pk,
        "name": board.name,
        "partnership": board.partnership_id,
        "terms_of_reference": board.terms_of_reference,
        "members": [{"name": p.name,
                     "organisation": p.organisation.name if p.organisation else None}
                    for p in members],
        "meetings": [{"id": m.pk, "date": m.date.isoformat(), "title": m.title,
                      "notes": m.notes, "minutes": m.minutes_url}
                     for m in Meeting.objects.visible_to(request.user).filter(board=board)
                     .order_by("date")],
        "actions": [{"id": a.pk, "ref": a.ref} for a in actions],
    }


@router.get("/{board_id}/due", summary="The due-for-update list for a meeting, as `lapis "
            "due_for_update --format json` prints it (default: the next meeting)")
def get_due(request, board_id: int, meeting: dt.date | None = None):
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=board_id)
    if meeting is None:
        found = queries.next_meeting(board, dt.date.today())
        if found is None:
            raise Http404("The board has no meeting planned after today")
    else:
        found = get_object_or_404(Meeting.objects.visible_to(request.user).filter(board=board),
                                  date=meeting)
    return queries.due_list(board, found, Action.objects.visible_to(request.user)).as_json()
