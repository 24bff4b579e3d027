"""Every write to the plan register goes through here (views, commands, the API and tests).

Each function is keyword-only and atomic, and records what it changed in the history in the
same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from lapis.core import cells
from lapis.core import history as audit
from lapis.core.errors import ImportFailed
from lapis.core.spreadsheets import Problem
from lapis.partnership.models import Board, Partnership, Person
from lapis.plans import parsing
from lapis.plans.importer import ParsedAction, Register
from lapis.plans.models import (
    Action,
    ActionBoard,
    ActionLead,
    Objective,
    Plan,
    Priority,
    ProgressEntry,
    StatusScale,
)
from lapis.plans.scales import SCALES

# The fields compared on re-import, in the register's column order.
TRACKED = ("priority", "objective", "description", "pillar", "outcomes", "impact_measures",
           "sro", "leads", "start", "due", "links", "dependencies", "status", "last_reviewed",
           "boards", "bau_location", "closed")


@dataclass
class ImportResult:
    plan_name: str
    scale: str
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    progress_added: int = 0
    not_in_file: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    boards_created: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)


def snapshot_parsed(item: ParsedAction) -> dict[str, str]:
    """The tracked fields of an action read from a file, as comparable strings."""
    return {
        "priority": str(item.priority_number),
        "objective": item.objective,
        "description": item.description,
        "pillar": item.pillar,
        "outcomes": item.outcomes,
        "impact_measures": item.impact_measures,
        "sro": item.sro,
        "leads": " / ".join(item.leads),
        "start": item.start.iso() if item.start else "",
        "due": item.due.iso() if item.due else "",
        "links": parsing.format_links(item.links),
        "dependencies": item.dependencies,
        "status": item.status,
        "last_reviewed": item.last_reviewed.isoformat() if item.last_reviewed else "",
        "boards": "; ".join(item.boards),
        "bau_location": item.bau_location,
        "closed": "yes" if item.closed else "no",
    }


def snapshot(action: Action) -> dict[str, str]:
    """The same fields of a stored action (related rows should be prefetched)."""
    return {
        "priority": str(action.priority.number),
        "objective": action.objective.text if action.objective else "",
        "description": action.description,
        "pillar": action.pillar,
        "outcomes": action.outcomes,
        "impact_measures": action.impact_measures,
        "sro": action.sro.name if action.sro else "",
        "leads": " / ".join(p.name for p in action.ordered_leads()),
        "start": action.start.iso() if action.start else "",
        "due": action.due.iso() if action.due else "",
        "links": parsing.format_links(
            [parsing.LinkToken(t["kind"], t["code"]) for t in action.links]
        ),
        "dependencies": action.dependencies,
        "status": action.status.label if action.status else "",
        "last_reviewed": action.last_reviewed.isoformat() if action.last_reviewed else "",
        "boards": "; ".join(b.name for b in action.ordered_boards()),
        "bau_location": action.bau_location,
        "closed": "yes" if action.closed else "no",
    }


def _same(a: str, b: str, name: str) -> bool:
    if name == "status":
        return cells.clean_text(a).casefold() == cells.clean_text(b).casefold()
    return a == b


def choose_scale(labels: set[str]) -> StatusScale | None:
    """The first shipped scale (then any other) that has every status label used."""
    scales = sorted(StatusScale.objects.prefetch_related("statuses"),
                    key=lambda s: (s.name not in SCALES, list(SCALES).index(s.name)
                                   if s.name in SCALES else 0, s.name))
    for scale in scales:
        if all(scale.match(label) for label in labels):
            return scale
    return None


def get_or_create_partnership(name: str) -> Partnership:
    partnership, _ = Partnership.objects.get_or_create(name=name)
    return partnership


@transaction.atomic
def import_plan(*, partnership: Partnership, register: Register, plan_name: str, by: str,
                scale_name: str | None = None, dry_run: bool = False) -> ImportResult:
    """Create or update a plan from a read register. Raises ImportFailed, writing nothing."""
    problems = list(register.errors)
    plan = Plan.objects.filter(partnership=partnership, name=plan_name).first()
    labels = {a.status for a in register.actions if a.status}
    if plan:
        scale = plan.scale
    elif scale_name:
        scale = StatusScale.objects.filter(name=scale_name).first()
        if scale is None:
            names = ", ".join(StatusScale.objects.values_list("name", flat=True))
            problems.append(Problem("error", f"no status scale called {scale_name!r} "
                                    f"(there are: {names})", register.file))
    else:
        scale = choose_scale(labels)
        if scale is None and labels:
            scale = StatusScale.objects.filter(name=next(iter(SCALES))).first()
    if scale is not None:
        for item in register.actions:
            if item.status and scale.match(item.status) is None:
                allowed = "; ".join(s.label for s in scale.statuses.all())
                problems.append(Problem(
                    "error", f"unknown status {item.status!r}: the plan's scale "
                    f"'{scale.name}' has {allowed}", register.file, item.sheet, item.row,
                    item.columns.get("status", ""), "Status"))
    if problems:
        raise ImportFailed(problems)

    source = f"import:{register.file}"
    result = ImportResult(plan_name=plan_name, scale=scale.name, dry_run=dry_run)
    if plan is None:
        plan = Plan.objects.create(partnership=partnership, name=plan_name, scale=scale)
        audit.record(by=by, source=source, partnership_id=partnership.pk, obj=plan,
                     field="created", new=plan_name)
    people = _Names(Person, partnership, result.people_created)
    boards = _Names(Board, partnership, result.boards_created)
    priorities = {p.number: p for p in plan.priorities.all()}
    existing = {
        a.ref: a for a in plan.actions.select_related("priority", "objective", "status", "sro")
        .prefetch_related("lead_links__person", "board_links__board", "progress")
    }
    for item in register.actions:
        priority = priorities.get(item.priority_number)
        if priority is None:
            priority = priorities[item.priority_number] = Priority.objects.create(
                plan=plan, number=item.priority_number, text=item.priority)
        elif item.priority and not priority.text:
            priority.text = item.priority
            priority.save(update_fields=["text"])
        action = existing.get(item.ref)
        new = snapshot_parsed(item)
        if action is None:
            action = Action(plan=plan, ref=item.ref)
            changed = list(TRACKED)
            result.created.append(item.ref)
        else:
            old = snapshot(action)
            changed = [name for name in TRACKED if not _same(old[name], new[name], name)]
            for name in changed:
                audit.record(by=by, source=source, partnership_id=partnership.pk, obj=action,
                             field=name, old=old[name], new=new[name])
            if changed:
                result.updated[item.ref] = changed
            else:
                result.unchanged.append(item.ref)
        if changed:
            _apply(action, item, plan, priority, scale, people, boards, changed)
            if item.ref in result.created:
                audit.record(by=by, source=source, partnership_id=partnership.pk, obj=action,
                             field="created", new=item.ref)
        result.progress_added += _add_progress(action, item, by)
    in_file = {a.ref for a in register.actions}
    result.not_in_file = sorted((ref for ref in existing if ref not in in_file),
                                key=parsing.ref_sort_key)
    if dry_run:
        transaction.set_rollback(True)
    return result


class _Names:
    """People or boards of a partnership by case-insensitive name, created on first use."""

    def __init__(self, model, partnership, created: list[str]):
        self.model, self.partnership, self.created = model, partnership, created
        self.by_key = {o.name.casefold(): o for o in model.objects.filter(partnership=partnership)}

    def get(self, name: str):
        key = name.casefold()
        if key not in self.by_key:
            self.by_key[key] = self.model.objects.create(partnership=self.partnership, name=name)
            self.created.append(name)
        return self.by_key[key]


def _apply(action, item, plan, priority, scale, people, boards, changed):
    action.priority = priority
    action.objective = (
        Objective.objects.get_or_create(priority=priority, text=item.objective)[0]
        if item.objective else None
    )
    for name in ("description", "pillar", "outcomes", "impact_measures", "dependencies",
                 "bau_location", "closed", "last_reviewed"):
        setattr(action, name, getattr(item, name))
    action.sro = people.get(item.sro) if item.sro else None
    action.start_date, action.start_precision = _split(item.start)
    action.due_date, action.due_precision = _split(item.due)
    action.links = [{"kind": t.kind, "code": t.code} for t in item.links]
    action.status = scale.match(item.status) if item.status else None
    if action.pk:
        action.version += 1  # an edit begun before this import is now stale
    action.save()
    if "leads" in changed:
        action.lead_links.all().delete()
        ActionLead.objects.bulk_create(
            ActionLead(action=action, person=people.get(name), position=i)
            for i, name in enumerate(item.leads)
        )
    if "boards" in changed:
        action.board_links.all().delete()
        ActionBoard.objects.bulk_create(
            ActionBoard(action=action, board=boards.get(name), position=i)
            for i, name in enumerate(item.boards)
        )


def _split(partial):
    return (partial.value, partial.precision) if partial else (None, "")


def _add_progress(action: Action, item: ParsedAction, by: str) -> int:
    """Add the log entries not already held. Entries are never edited or removed by an import."""
    held = {(e.date, e.text) for e in action.progress.all()} if action.pk else set()
    position = len(held)
    new = []
    for entry in item.progress:
        key = (entry.date.value if entry.date else None, entry.text)
        if key in held:
            continue
        held.add(key)
        new.append(ProgressEntry(
            action=action, date=key[0], date_precision=entry.date.precision if entry.date else "",
            text=entry.text, position=position, recorded_by=by))
        position += 1
    ProgressEntry.objects.bulk_create(new)
    return len(new)
