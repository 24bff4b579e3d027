"""Write a plan out: JSON (the API's shape), CSV, and an .xlsx in the council's own layout.

Export then import gives back the same plan. Every text cell is neutralised so that a
spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import io

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lapis.core import dates
from lapis.core.cells import neutralise
from lapis.plans import parsing
from lapis.plans.models import Action, Plan

COLUMNS = [name for name in parsing.FIELDS if name != "closed"]
SHEETS = ("Improvement Plan", "Closures")


def plan_actions(plan: Plan):
    return (
        Action.objects.filter(plan=plan)
        .select_related("priority", "objective", "status", "sro")
        .prefetch_related("lead_links__person", "board_links__board", "progress")
        .order_by("ref_key")
    )


def action_json(action: Action) -> dict:
    return {
        "ref": action.ref,
        "priority": action.priority.number,
        "priority_text": action.priority.text,
        "objective": action.objective.text if action.objective else "",
        "description": action.description,
        "pillar": action.pillar,
        "outcomes": action.outcomes,
        "impact_measures": action.impact_measures,
        "sro": action.sro.name if action.sro else None,
        "leads": [p.name for p in action.ordered_leads()],
        "start": action.start.iso() if action.start else None,
        "due": action.due.iso() if action.due else None,
        "links": [t["code"] for t in action.links],
        "dependencies": action.dependencies,
        "status": action.status.label if action.status else None,
        "status_family": action.status.family if action.status else None,
        "last_reviewed": action.last_reviewed.isoformat() if action.last_reviewed else None,
        "boards": [b.name for b in action.ordered_boards()],
        "bau_location": action.bau_location,
        "closed": action.closed,
        "progress": [
            {"date": e.when.iso() if e.when else None, "text": e.text}
            for e in action.progress.all()
        ],
    }


def plan_json(plan: Plan, actions=None) -> dict:
    return {
        "plan": {
            "name": plan.name,
            "partnership": plan.partnership.name,
            "scale": plan.scale.name,
            "statuses": [
                {"label": s.label, "colour": s.colour, "family": s.family}
                for s in plan.scale.statuses.all()
            ],
        },
        "actions": [action_json(a) for a in (actions if actions is not None
                                             else plan_actions(plan))],
    }


def _cells(action: Action) -> dict:
    data = action_json(action)
    return {
        "ref": action.ref,
        "priority": data["priority_text"],
        "objective": data["objective"],
        "description": data["description"],
        "pillar": data["pillar"],
        "outcomes": data["outcomes"],
        "impact_measures": data["impact_measures"],
        "sro": data["sro"] or "",
        "leads": "/".join(data["leads"]),
        "start": action.start,
        "due": action.due,
        "links": parsing.format_links(
            [parsing.LinkToken(t["kind"], t["code"]) for t in action.links]),
        "dependencies": data["dependencies"],
        "status": data["status"] or "",
        "progress": parsing.format_progress_log((e.when, e.text) for e in action.progress.all()),
        "last_reviewed": action.last_reviewed,
        "boards": "; ".join(data["boards"]),
        "bau_location": data["bau_location"],
    }


def to_xlsx(plan: Plan, stream) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    actions = list(plan_actions(plan))
    for title in SHEETS:
        ws = workbook.create_sheet(title)
        ws.append([parsing.FIELDS[name] for name in COLUMNS])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        rows = [a for a in actions if a.closed == (title == "Closures")]
        for action in rows:
            cells = _cells(action)
            ws.append([_xlsx_value(cells[name]) for name in COLUMNS])
            for col, name in enumerate(COLUMNS, start=1):
                cell = ws.cell(ws.max_row, col)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                value = cells[name]
                if isinstance(value, dates.PartialDate):
                    cell.number_format = "mmm-yy" if value.precision == "month" else "dd/mm/yyyy"
                elif name == "last_reviewed" and value:
                    cell.number_format = "dd/mm/yyyy"
        _merge_runs(ws, COLUMNS.index("priority") + 1, len(rows))
        _merge_runs(ws, COLUMNS.index("objective") + 1, len(rows))
        for col in range(1, len(COLUMNS) + 1):
            ws.column_dimensions[get_column_letter(col)].width = 12 if col == 1 else 30
        ws.freeze_panes = "B2"
    workbook.save(stream)


def _xlsx_value(value):
    if isinstance(value, dates.PartialDate):
        return value.value
    if isinstance(value, str):
        return neutralise(value) if value else None
    return value


def _merge_runs(ws, col: int, count: int) -> None:
    """Merge runs of the same priority or objective text, as the council's workbook does."""
    values = [ws.cell(row, col).value for row in range(2, count + 2)]
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1 and values[start]:
                ws.merge_cells(start_row=start + 2, start_column=col, end_row=i + 1,
                               end_column=col)
            start = i


def to_csv(plan: Plan) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = [*COLUMNS, "closed"]
    writer.writerow([parsing.FIELDS[name] for name in names])
    for action in plan_actions(plan):
        cells = _cells(action)
        row = []
        for name in COLUMNS:
            value = cells[name]
            if isinstance(value, dates.PartialDate):
                value = value.iso()
            elif value is None:
                value = ""
            elif not isinstance(value, str):
                value = value.isoformat()
            row.append(neutralise(value))
        row.append("Yes" if action.closed else "")
        writer.writerow(row)
    return out.getvalue()
