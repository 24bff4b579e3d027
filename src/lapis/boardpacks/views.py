"""Board packs: list per board, one pack, two compared, the PDF. Thin shells around queries,
actions and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from lapis.boardpacks import actions, diff, queries
from lapis.boardpacks import render as rendering
from lapis.boardpacks.models import BoardPack
from lapis.core import tables
from lapis.partnership import permissions
from lapis.partnership.models import Board

WEB = "web"


def _pack(request, pk: int) -> BoardPack:
    return get_object_or_404(BoardPack.objects.visible_to(request.user)
                             .select_related("board__partnership"), pk=pk)


def pack_list(request):
    partnership = permissions.partnership_for(request)
    boards, governing = [], None
    if partnership is not None:
        governing = queries.governing_board(partnership.pk)
        packs = list(BoardPack.objects.visible_to(request.user)
                     .filter(board__partnership=partnership)
                     .only("pk", "board_id", "as_of", "created_at", "created_by")
                     .order_by("-as_of", "-pk"))
        for board in Board.objects.visible_to(request.user).filter(partnership=partnership):
            boards.append({"board": board, "packs": [p for p in packs if p.board_id == board.pk],
                           "governing": governing is not None and governing.pk == board.pk})
        boards.sort(key=lambda b: (not b["governing"], not b["packs"], b["board"].name))
    return render(request, "boardpacks/list.html", {
        "partnership": partnership, "boards": boards, "governing": governing,
        "today": dt.date.today(),
        "can_edit": partnership is not None and permissions.can_edit(request.user,
                                                                     partnership.pk),
    })


def _as_of(request) -> dt.date | None:
    text = request.POST.get("as_of", "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@require_POST
def pack_create(request, board_pk: int):
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=board_pk)
    permissions.require(permissions.can_edit(request.user, board.partnership_id),
                        "Only administrators and programme managers can make board packs.")
    as_of = _as_of(request)
    if as_of is None:
        messages.error(request, "Enter the pack's date as a real date, like 2025-10-14")
        return redirect(f"/board-packs/?partnership={board.partnership_id}")
    pack = actions.create_pack(board=board, as_of=as_of, by=request.user, source=WEB)
    messages.success(request, f"Board pack made for {board.name} as of {as_of.isoformat()}.")
    return redirect("boardpacks:pack", pack.pk)


@require_POST
def make_governing(request, board_pk: int):
    board = get_object_or_404(Board.objects.visible_to(request.user), pk=board_pk)
    actions.set_governing(board=board, by=request.user, source=WEB)
    messages.success(request, f"{board.name} is now the governing board: its packs cover "
                     "the whole plan.")
    return redirect(f"/board-packs/?partnership={board.partnership_id}")


def pack_detail(request, pk: int):
    pack = _pack(request, pk)
    others = (BoardPack.objects.visible_to(request.user).filter(board=pack.board)
              .exclude(pk=pack.pk).only("pk", "as_of", "created_at").order_by("-as_of", "-pk"))
    return render(request, "boardpacks/pack.html", {
        **rendering.context(pack), "others": others})


def pack_compare(request, pk: int, other_pk: int):
    pack, other = _pack(request, pk), _pack(request, other_pk)
    if pack.board_id != other.board_id:
        raise Http404("Only packs of the same board can be compared")
    older, newer = sorted([pack, other], key=lambda p: (p.as_of, p.pk))
    changes = diff.diff(older.snapshot, newer.snapshot)
    return render(request, "boardpacks/compare.html", {
        "board": pack.board, "older": older, "newer": newer,
        "changes": rendering.changes_context(changes),
        "change_counts": [(rendering.CHANGE_LABELS[k].lower(), n)
                          for k, n in diff.summary(changes).items()],
    })


def pack_pdf(request, pk: int):
    pack = _pack(request, pk)
    name = f"board-pack-{pack.board.pk}-{pack.as_of.isoformat()}-{pack.pk}.pdf"
    return tables.attachment(rendering.pdf(pack), "pdf", name)
