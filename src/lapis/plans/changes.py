"""The change-control register: every change request of a plan, as rows, JSON, CSV or .xlsx."""

from __future__ import annotations

from lapis.core import tables
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


def table(plan: Plan) -> tables.Table:
    return tables.Table("Change control", [title for _, title in COLUMNS],
                        [["" if values[key] is None else str(values[key]) for key, _ in COLUMNS]
                         for values in to_json(plan)])


def to_csv(plan: Plan) -> str:
    return tables.csv_text(table(plan))


def to_xlsx(plan: Plan, stream) -> None:
    tables.write_xlsx(table(plan), stream)
