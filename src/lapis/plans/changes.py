"""The change-control register: every change request of a plan, as rows, JSON, CSV or .xlsx."""

from __future__ import annotations

import csv
import io

import openpyxl
from openpyxl.styles import Font

from lapis.core.cells import neutralise
from lapis.plans.models import ChangeRequest, Plan

COLUMNS = [
    ("id", "ID"), ("action", "Action"), ("kind", "Change"), ("reason", "Rationale"),
    ("evidence", "Evidence of impact"), ("proposed", "Proposed"), ("board", "Board"),
    ("raised_by", "Raised by"), ("raised_on", "Raised on"), ("decision", "Decision"),
    ("decided_on", "Decided on"), ("decided_by", "Decided by"), ("note", "Decision note"),
]


def register(plan: Plan, queryset=None):
    queryset = ChangeRequest.objects.all() if queryset is None else queryset
    return (queryset.filter(action__plan=plan)
            .select_related("action", "board", "new_owner").order_by("-raised_at", "-id"))


def proposed(request: ChangeRequest) -> str:
    if request.kind == "due_date":
        return f"Due {request.new_due}" if request.new_due else ""
    if request.kind == "owner":
        return f"SRO: {request.new_owner.name}" if request.new_owner else ""
    return request.new_text


def row(request: ChangeRequest) -> dict:
    return {
        "id": request.code, "action": request.action.ref, "kind": request.kind,
        "reason": request.reason, "evidence": request.evidence, "proposed": proposed(request),
        "board": request.board.name, "raised_by": request.raised_by,
        "raised_on": request.raised_at.date().isoformat(), "decision": request.decision,
        "decided_on": request.decided_on.isoformat() if request.decided_on else None,
        "decided_by": request.decided_by, "note": request.decision_note,
    }


def to_json(plan: Plan) -> list[dict]:
    return [row(r) for r in register(plan)]


def _cells(values: dict) -> list[str]:
    return [neutralise("" if values[key] is None else str(values[key])) for key, _ in COLUMNS]


def to_csv(plan: Plan) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for _, title in COLUMNS])
    for values in to_json(plan):
        writer.writerow(_cells(values))
    return out.getvalue()


def to_xlsx(plan: Plan, stream) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Change control"
    ws.append([title for _, title in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in to_json(plan):
        ws.append(_cells(values))
    ws.freeze_panes = "A2"
    workbook.save(stream)
