"""Read-side helpers for pages, the API and commands: due-for-update facts from the database."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q

from lapis.governance import due
from lapis.governance.models import Meeting
from lapis.partnership.models import Board
from lapis.plans.drift import DueDate
from lapis.plans.models import Action, ChangeRequest, Decision


def boards_with_counts(boards, today: dt.date):
    """Boards with member and action counts and the next meeting, in one query."""
    return boards.annotate(
        member_count=Count("members", distinct=True),
        action_count=Count("action_links", distinct=True),
        next_meeting=Min("meetings__date", filter=Q(meetings__date__gte=today)),
    ).order_by("name")


def board_actions(board: Board, actions=None):
    """The actions reporting to the board, plus any with a change request awaiting its decision,
    in register order, with what the rules need prefetched."""
    actions = Action.objects.all() if actions is None else actions
    pending = ChangeRequest.objects.filter(board=board, decision=Decision.PENDING).order_by("pk")
    reporting = Action.objects.filter(
        Q(board_links__board=board)
        | Q(change_requests__board=board, change_requests__decision=Decision.PENDING)
    ).values("pk")
    return (
        actions.filter(plan__partnership_id=board.partnership_id, pk__in=reporting)
        .select_related("status", "sro__organisation", "plan")
        .prefetch_related("lead_links__person__organisation", "progress",
                          Prefetch("change_requests", queryset=pending, to_attr="pending_here"))
        .order_by("plan__name", "ref_key")
    )


def people_of(action: Action) -> list:
    """The SRO, then the improvement leads, each once."""
    found = [action.sro] if action.sro else []
    return list({p.pk: p for p in found + action.ordered_leads()}.values())


def facts(action: Action) -> due.DueFacts:
    updates = [e.date for e in action.progress.all() if e.date]
    if action.last_reviewed:
        updates.append(action.last_reviewed)
    return due.DueFacts(
        ref=action.ref,
        people=tuple(p.pk for p in people_of(action)),
        updates=tuple(updates),
        due=DueDate(action.due_date, action.due_precision or "day") if action.due_date else None,
        status_family=action.status.family if action.status else None,
        closed=action.closed,
        pending_change_requests=tuple(cr.pk for cr in getattr(action, "pending_here", [])),
    )


def next_meeting(board: Board, today: dt.date) -> Meeting | None:
    """The board's next meeting: today's, or the first after it."""
    return board.meetings.filter(date__gte=today).order_by("date").first()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (Meeting.objects.filter(board_id=meeting.board_id, date__lt=meeting.date)
            .order_by("-date").first())


@dataclass
class DueList:
    board: Board
    meeting: Meeting
    previous: Meeting | None
    rows: list[tuple[Action, due.DueItem]]
    send: list[due.Letter]
    unsent: list[due.Letter]

    def as_json(self) -> dict:
        return {
            "board": self.board.name,
            "meeting": self.meeting.date.isoformat(),
            "previous_meeting": self.previous.date.isoformat() if self.previous else None,
            "actions": [{**item.as_json(), "id": action.pk,
                         "people": [p.name for p in people_of(action)]}
                        for action, item in self.rows],
            "reminders": [{"name": letter.person.name, "email": letter.person.email,
                           "refs": [i.ref for i in letter.items]} for letter in self.send],
            "not_reminded": [{"name": letter.person.name, "reason": "no email address",
                              "refs": [i.ref for i in letter.items]}
                             for letter in self.unsent],
        }


def due_list(board: Board, meeting: Meeting, actions=None) -> DueList:
    """The due-for-update list of one meeting, with the reminder letters it would send."""
    previous = previous_meeting(meeting)
    before = previous.date if previous else None
    rows = []
    for action in board_actions(board, actions):
        item = due.assess(facts(action), meeting=meeting.date, previous=before)
        if item is not None:
            rows.append((action, item))
    items = [item for _, item in rows]
    people = {p.pk: due.Person(p.pk, p.name, p.email) for a, _ in rows for p in people_of(a)}
    titles = {a.ref: _short(a.description) for a, _ in rows}
    send, unsent = due.letters(items, people, board=board.name, meeting=meeting.date,
                               titles=titles)
    return DueList(board, meeting, previous, rows, send, unsent)


def _short(text: str, words: int = 12) -> str:
    parts = " ".join((text or "").split()).split(" ")
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def board_fingerprint(board: Board) -> str:
    """A hash of the board fields its edit form shows: a stale edit carries an old one."""
    members = ",".join(str(pk) for pk in sorted(board.members.values_list("pk", flat=True)))
    text = f"{board.terms_of_reference}\x00{members}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]
