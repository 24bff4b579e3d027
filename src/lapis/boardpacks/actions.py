"""Every write of board packs goes through here: pages, the command, the API and tests.

Keyword-only and atomic; each takes the acting user (`by`: a user, or a
`lapis.core.actors.System` for the server operator at the terminal, recorded as "operator"),
checks permission itself and records what it did in the history in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from lapis.boardpacks import diff, queries
from lapis.boardpacks.models import BoardPack, BoardPackSettings
from lapis.core import history as audit
from lapis.core.actors import System, name_of
from lapis.partnership import permissions
from lapis.partnership.models import Board

OPERATOR = System("operator")  # the server operator: `lapis board_pack` without --as


def _require_edit(by, board: Board) -> None:
    permissions.require(permissions.can_edit(by, board.partnership_id),
                        "Only administrators and programme managers can make board packs.")


@transaction.atomic
def create_pack(*, board: Board, as_of: dt.date, by, source: str = "web") -> BoardPack:
    """Gather and store the board's pack as of a date, with what changed since its previous
    stored pack (the latest dated on or before `as_of`). The scorecard shows the figures `by`
    may see (the operator sees every figure)."""
    _require_edit(by, board)
    content = queries.snapshot(board, as_of, user=by)
    previous = queries.previous_pack(board, as_of)
    if previous is None:
        content["previous"], content["changes"] = None, None
    else:
        content["previous"] = {"id": previous.pk, "as_of": previous.as_of.isoformat()}
        content["changes"] = diff.diff(previous.snapshot, content)
    pack = BoardPack.objects.create(board=board, as_of=as_of, created_by=name_of(by),
                                    snapshot=content)
    audit.record(by=name_of(by), source=source, partnership_id=board.partnership_id, obj=pack,
                 field="created", new=f"as of {as_of.isoformat()}")
    return pack


@transaction.atomic
def set_governing(*, board: Board, by, source: str = "web") -> BoardPackSettings:
    """Mark the board as the one that governs the partnership's plan (its pack covers every
    action). The partnership's settings row is read locked, so the board it names is compared
    and changed as it is now."""
    _require_edit(by, board)
    found = (BoardPackSettings.objects.select_for_update()
             .filter(partnership_id=board.partnership_id).first())
    if found is None:
        found = BoardPackSettings.objects.create(partnership_id=board.partnership_id)
    old = found.governing_board.name if found.governing_board else ""
    if found.governing_board_id != board.pk:
        found.governing_board = board
        found.save(update_fields=["governing_board"])
        audit.record(by=name_of(by), source=source, partnership_id=board.partnership_id,
                     obj=found, field="governing_board", old=old, new=board.name)
    return found
