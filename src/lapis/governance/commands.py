"""Command plumbing for governance: finding a board and a meeting."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from lapis.governance import queries
from lapis.governance.models import Meeting
from lapis.partnership.models import Board


def board_named(name: str, partnership: str | None = None) -> Board:
    boards = Board.objects.select_related("partnership").filter(name__iexact=name.strip())
    if partnership:
        boards = boards.filter(partnership__name=partnership)
    found = list(boards[:2])
    if not found:
        raise CommandError(f"no board called {name!r}" + (f" in {partnership}" if partnership
                                                         else ""))
    if len(found) > 1:
        raise CommandError(f"several partnerships have a board called {name!r}: name one "
                           "with --partnership")
    return found[0]


def meeting_of(board: Board, day: dt.date | None) -> Meeting:
    if day is None:
        found = queries.next_meeting(board, dt.date.today())
        if found is None:
            raise CommandError(f"{board.name} has no meeting planned after today: give "
                               "--meeting YYYY-MM-DD")
        return found
    found = board.meetings.filter(date=day).first()
    if found is None:
        dates = ", ".join(m.date.isoformat() for m in board.meetings.order_by("date"))
        raise CommandError(f"{board.name} has no meeting on {day.isoformat()}"
                           + (f" (its meetings: {dates})" if dates else " (it has none)"))
    return found
