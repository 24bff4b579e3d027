"""Write milestones out as CSV, .xlsx or JSON, in the columns `lapis import_milestones` reads,
so that export then import gives back the same milestones. Text cells are neutralised so
that a spreadsheet never runs them as formulas."""

from __future__ import annotations

import csv
import io

import openpyxl
from openpyxl.styles import Font

from lapis.core.cells import neutralise
from lapis.timeline.api import milestone_json
from lapis.timeline.models import Milestone

COLUMNS = ["Action ref", "Priority", "Milestone", "Planned date", "Current date", "Completed"]


def plan_milestones(plan):
    return (Milestone.objects.filter(plan=plan)
            .select_related("action__priority", "priority").order_by("current_date", "id"))


def _cells(milestone: Milestone) -> list:
    return [milestone.action.ref if milestone.action else "",
            "" if milestone.action else milestone.priority.number,
            neutralise(milestone.title), milestone.planned, milestone.current,
            milestone.completed_on]


def to_csv(plan) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for milestone in plan_milestones(plan):
        writer.writerow([
            v.iso() if hasattr(v, "iso") else v.isoformat() if hasattr(v, "isoformat")
            else "" if v is None else v for v in _cells(milestone)])
    return out.getvalue()


def to_xlsx(plan, stream) -> None:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Milestones"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for milestone in plan_milestones(plan):
        cells = _cells(milestone)
        ws.append([v.value if hasattr(v, "iso") else v for v in cells])
        for col, value in enumerate(cells, start=1):
            if hasattr(value, "iso"):
                ws.cell(ws.max_row, col).number_format = (
                    "mmm-yy" if value.precision == "month" else "yyyy-mm-dd")
            elif hasattr(value, "isoformat"):
                ws.cell(ws.max_row, col).number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEF", (12, 10, 60, 14, 14, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    workbook.save(stream)


def to_json(plan) -> dict:
    return {"plan": {"id": plan.pk, "name": plan.name, "partnership": plan.partnership.name},
            "milestones": [milestone_json(m) for m in plan_milestones(plan)]}
