"""Stored board packs as JSON, scoped like the pages; making one, for editors."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from lapis.boardpacks import actions, diff
from lapis.boardpacks.models import BoardPack
from lapis.core.inputs import Input
from lapis.partnership import permissions
from lapis.partnership.models import Board

router = Router(tags=["boardpacks"])


class PackSummary(Schema):
    id: int
    board: int
    board_name: str
    as_of: dt.date
    created_at: dt.datetime
    created_by: str
    changes: int | None


class NewPack(Input):
    board: int
    as_of: dt.date | None = None


def _summary(pack: BoardPack) -> dict:
    changes = pack.snapshot.get("changes")
    return {"id": pack.pk, "board": pack.board_id, "board_name": pack.board.name,
            "as_of": pack.as_of, "created_at": pack.created_at, "created_by": pack.created_by,
            "changes": None if changes is None else len(changes)}


@router.get("", response=list[PackSummary], summary="Stored board packs, newest first")
def list_packs(request, board: int | None = None, partnership: int | None = None):
    packs = BoardPack.objects.visible_to(request.user).select_related("board")
    if partnership is not None:
        if not permissions.can_view(request.user, partnership):
            raise Http404("No such partnership")
        packs = packs.filter(board__partnership_id=partnership)
    if board is not None:
        packs = packs.filter(board_id=board)
    return [_summary(p) for p in packs.order_by("-as_of", "-pk")]


@router.get("/{pack_id}", summary="One stored pack: its whole snapshot")
def get_pack(request, pack_id: int):
    pack = get_object_or_404(BoardPack.objects.visible_to(request.user), pk=pack_id)
    return {"id": pack.pk, **pack.snapshot}


@router.get("/{pack_id}/compare/{other_id}", summary="What changed between two packs")
def compare_packs(request, pack_id: int, other_id: int):
    packs = BoardPack.objects.visible_to(request.user)
    pack, other = get_object_or_404(packs, pk=pack_id), get_object_or_404(packs, pk=other_id)
    if pack.board_id != other.board_id:
        raise Http404("Only packs of the same board can be compared")
    older, newer = sorted([pack, other], key=lambda p: (p.as_of, p.pk))
    return {"from": older.pk, "to": newer.pk,
            "changes": diff.diff(older.snapshot, newer.snapshot)}


@router.post("", response={201: PackSummary}, summary="Make and store a pack (editors)")
def create_pack(request, payload: NewPack):
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=payload.board)
    pack = actions.create_pack(board=board, as_of=payload.as_of or dt.date.today(),
                               by=request.user, source="api")
    return Status(201, _summary(pack))
