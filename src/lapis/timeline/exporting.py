"""Write milestones out as CSV, .xlsx or JSON, in the columns `lapis import_milestones` reads,
so that export then import gives back the same milestones. Text cells are neutralised so
that a spreadsheet never runs them as formulas."""

from __future__ import annotations

from lapis.core import tables
from lapis.timeline.api import milestone_json
from lapis.timeline.models import Milestone

COLUMNS = ["Action ref", "Priority", "Milestone", "Planned date", "Current date", "Completed"]


def plan_milestones(plan):
    return (Milestone.objects.filter(plan=plan)
            .select_related("action__priority", "priority").order_by("current_date", "id"))


def _cells(milestone: Milestone) -> list:
    return [milestone.action.ref if milestone.action else "",
            "" if milestone.action else milestone.priority.number,
            milestone.title, milestone.planned, milestone.current, milestone.completed_on]


def table(plan) -> tables.Table:
    return tables.Table("Milestones", COLUMNS, [_cells(m) for m in plan_milestones(plan)],
                        widths=[12, 10, 60, 14, 14, 14])


def to_csv(plan) -> str:
    return tables.csv_text(table(plan))


def to_xlsx(plan, stream) -> None:
    tables.write_xlsx(table(plan), stream)


def to_json(plan) -> dict:
    return {"plan": {"id": plan.pk, "name": plan.name, "partnership": plan.partnership.name},
            "milestones": [milestone_json(m) for m in plan_milestones(plan)]}
