"""Write a plan out: JSON (the API's shape), CSV, and an .xlsx in the council's own layout.

Export then import gives back the same plan. Every text cell is neutralised so that a
spreadsheet never runs it as a formula.
"""

from __future__ import annotations

from lapis.core import tables
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


def _table(title: str, actions, *, closed: bool = False) -> tables.Table:
    """A sheet of actions; with `closed`, a last column saying which are closed (the CSV has
    one table for the whole plan, where the workbook has a sheet of closures)."""
    names = [*COLUMNS, "closed"] if closed else COLUMNS
    rows = []
    for action in actions:
        cells = {**_cells(action), "closed": "Yes" if action.closed else ""}
        rows.append([cells[name] for name in names])
    return tables.Table(
        title, [parsing.FIELDS[name] for name in names], rows,
        widths=[12] + [30] * (len(names) - 1), freeze="B2", wrap=True,
        # Runs of the same priority or objective text are merged, as the council's workbook
        # does; the importer reads a merged cell's value into every row of it.
        merge_runs=[COLUMNS.index("priority"), COLUMNS.index("objective")],
        date_format="dd/mm/yyyy")


def to_xlsx(plan: Plan, stream) -> None:
    actions = list(plan_actions(plan))
    tables.write_xlsx([_table(title, [a for a in actions if a.closed == (title == "Closures")])
                       for title in SHEETS], stream)


def to_csv(plan: Plan) -> str:
    return tables.csv_text(_table("Plan", plan_actions(plan), closed=True))
