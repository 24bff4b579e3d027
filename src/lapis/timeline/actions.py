"""Every write to milestones goes through here (the form, the API, the import and the demo).

Each function is keyword-only and atomic, and records what it changed in the history in the
same transaction. Each takes the acting user (`by`: a user, or a `lapis.core.actors.System`)
and checks permission itself (see `lapis.timeline.access`); pages and the API check first too,
to answer 403 with their own words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from lapis.core import history as audit
from lapis.core.actors import name_of
from lapis.core.concurrency import save_versioned
from lapis.core.errors import ImportFailed
from lapis.core.spreadsheets import Problem
from lapis.partnership.permissions import require
from lapis.plans.models import Action, Plan, Priority
from lapis.timeline import access
from lapis.timeline.importing import LABELS, MilestoneFile
from lapis.timeline.models import Milestone
from lapis.timeline.rules import When

EDITABLE = ["action", "priority", "title", "planned_date", "planned_precision", "current_date",
            "current_precision", "completed_on"]


def _apply(milestone: Milestone, *, action, priority, title, planned: When,
           current: When | None, completed_on) -> None:
    current = current or planned
    milestone.action, milestone.priority = action, priority
    milestone.title = title.strip()
    milestone.planned_date, milestone.planned_precision = planned.value, planned.precision
    milestone.current_date, milestone.current_precision = current.value, current.precision
    milestone.completed_on = completed_on


@transaction.atomic
def create_milestone(*, plan: Plan, title: str, planned: When, current: When | None = None,
                     action: Action | None = None, priority: Priority | None = None,
                     completed_on: dt.date | None = None, by, source: str) -> Milestone:
    """Raises ValidationError (nothing written) when the milestone is not valid."""
    require(access.can_edit_plan(by, plan) or (
        action is not None and priority is None and access.can_add_for_action(by, action)),
        "You cannot add this milestone.")
    milestone = Milestone(plan=plan)
    _apply(milestone, action=action, priority=priority, title=title, planned=planned,
           current=current, completed_on=completed_on)
    milestone.full_clean()
    milestone.save()
    audit.record(by=name_of(by), source=source, partnership_id=plan.partnership_id, obj=milestone,
                 field="created", new=f"{milestone.belongs_to}: {milestone.title}")
    return milestone


def update_milestone(*, milestone: Milestone, expected_version: int, title: str,
                     planned: When, current: When | None = None, action: Action | None = None,
                     priority: Priority | None = None, completed_on: dt.date | None = None,
                     by, source: str) -> list[tuple[str, str, str]]:
    """Save an edit begun at `expected_version`. Raises ValidationError, or EditConflict when
    someone saved since; either way nothing is written. An edit that changes nothing saves
    nothing (and so is never a conflict)."""
    require(access.can_change(by, milestone), "You cannot change this milestone.")
    require(access.can_edit_plan(by, milestone.plan) or (
        action == milestone.action and priority is None),
        "You can change the milestones of your own action, not move them to another action "
        "or priority.")
    before = [getattr(milestone, Milestone._meta.get_field(n).attname) for n in EDITABLE]
    _apply(milestone, action=action, priority=priority, title=title, planned=planned,
           current=current, completed_on=completed_on)
    milestone.full_clean(exclude=["version"])
    if before == [getattr(milestone, Milestone._meta.get_field(n).attname) for n in EDITABLE]:
        return []
    return save_versioned(milestone, expected_version, EDITABLE, by=name_of(by), source=source,
                          partnership_id=milestone.plan.partnership_id)


@dataclass
class ImportResult:
    plan: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _when(partial) -> When | None:
    return When(partial.value, partial.precision) if partial else None


@transaction.atomic
def import_milestones(*, plan: Plan, read: MilestoneFile, by,
                      dry_run: bool = False) -> ImportResult:
    """Create or update the file's milestones in `plan`, all or nothing. A milestone already
    in the plan with the same action (or priority) and title is updated in place."""
    require(access.can_edit_plan(by, plan), "Only administrators and programme managers "
            "import milestones.")
    problems = list(read.problems)
    actions = {a.ref.lower(): a for a in plan.actions.select_related("priority")}
    priorities = {p.number: p for p in plan.priorities.all()}
    resolved, seen = [], {}
    for row in read.rows:
        def problem(key, message, row=row):
            problems.append(Problem("error", message, read.file, row.sheet, row.row,
                                    row.columns.get(key, ""), LABELS.get(key, "")))

        action = priority = None
        if row.action_ref:
            action = actions.get(row.action_ref)
            if action is None:
                key = "action" if "action" in row.columns else "either"
                problem(key, f"there is no action {row.action_ref} in plan '{plan.name}'")
        elif row.priority is not None:
            priority = priorities.get(row.priority)
            if priority is None:
                key = "priority" if "priority" in row.columns else "either"
                problem(key, f"there is no priority {row.priority} in plan '{plan.name}'")
        key = (row.action_ref, row.priority, row.title.casefold())
        if row.title and key in seen:
            problem("title", f"the same milestone as row {seen[key]}; give each milestone of an "
                    "action or priority once")
        seen.setdefault(key, row.row)
        resolved.append((row, action, priority))
    if problems:
        raise ImportFailed(problems)

    result = ImportResult(plan=plan.name, dry_run=dry_run)
    source = f"import:{read.file}"
    existing = {(m.action_id, m.priority_id, m.title.casefold()): m
                for m in plan.milestones.select_related("action", "priority")}
    for row, action, priority in resolved:
        label = f"{row.sheet} row {row.row}: {row.title}"
        values = dict(action=action, priority=priority, title=row.title,
                      planned=_when(row.planned), current=_when(row.current),
                      completed_on=row.completed_on)
        key = (action.pk if action else None, priority.pk if priority else None,
               row.title.casefold())
        found = existing.get(key)
        try:
            if found is None:
                existing[key] = create_milestone(plan=plan, by=by, source=source, **values)
                result.created.append(label)
            elif update_milestone(milestone=found, expected_version=found.version, by=by,
                                  source=source, **values):
                result.updated.append(label)
            else:
                result.unchanged.append(label)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.extend(Problem("error", m, read.file, row.sheet, row.row,
                                        row.columns.get(name, "")) for m in messages)
    if problems:
        transaction.set_rollback(True)
        raise ImportFailed(problems)
    if dry_run:
        transaction.set_rollback(True)
    return result
