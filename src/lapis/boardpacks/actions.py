"""Every write of board packs goes through here: pages, the command, the API and tests.

Keyword-only and atomic; each checks permission first and records what it did in the history
in the same transaction. `user=None` is the server operator at the terminal.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from lapis.boardpacks import diff, queries
from lapis.boardpacks.models import BoardPack, BoardPackSettings
from lapis.core import history as audit
from lapis.partnership import permissions
from lapis.partnership.models import Board

OPERATOR = "operator"


def _allow(user, board: Board) -> str:
    if user is None:
        return OPERATOR
    permissions.require(permissions.can_edit(user, board.partnership_id),
                        "Only administrators and programme managers can make board packs.")
    return user.get_username()


@transaction.atomic
def create_pack(*, board: Board, as_of: dt.date, user=None, source: str = "web") -> BoardPack:
    """Gather and store the board's pack as of a date, with what changed since its previous
    stored pack (the latest dated on or before `as_of`)."""
    by = _allow(user, board)
    content = queries.snapshot(board, as_of, user=user)
    previous = queries.previous_pack(board, as_of)
    if previous is None:
        content["previous"], content["changes"] = None, None
    else:
        content["previous"] = {"id": previous.pk, "as_of": previous.as_of.isoformat()}
        content["changes"] = diff.diff(previous.snapshot, content)
    pack = BoardPack.objects.create(board=board, as_of=as_of, created_by=by, snapshot=content)
    audit.record(by=by, source=source, partnership_id=board.partnership_id, obj=pack,
                 field="created", new=f"as of {as_of.isoformat()}")
    return pack


@transaction.atomic
def set_governing(*, board: Board, user=None, source: str = "web") -> BoardPackSettings:
    """Mark the board as the one that governs the partnership's plan (its pack covers every
    action)."""
    by = _allow(user, board)
    found, _ = BoardPackSettings.objects.get_or_create(partnership_id=board.partnership_id)
    old = found.governing_board.name if found.governing_board else ""
    if found.governing_board_id != board.pk:
        found.governing_board = board
        found.save(update_fields=["governing_board"])
        audit.record(by=by, source=source, partnership_id=board.partnership_id, obj=found,
                     field="governing_board", old=old, new=board.name)
    return found
