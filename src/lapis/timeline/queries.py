"""Read side of the timeline: database rows to `rules.Item`s, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lapis.plans.drift import DONE_FAMILIES
from lapis.plans.models import Action, Plan
from lapis.plans.queries import due_changes
from lapis.timeline import rules
from lapis.timeline.models import Milestone


def _when(partial) -> rules.When | None:
    return rules.When(partial.value, partial.precision) if partial else None


def action_done(action: Action) -> bool:
    return action.closed or bool(action.status and action.status.family in DONE_FAMILIES)


def action_items(actions: list[Action]) -> list[rules.Item]:
    """Every action with a due date: planned = its first due date on record, current = now."""
    changes = due_changes(actions)
    items = []
    for action in actions:
        current = _when(action.due)
        if current is None:
            continue
        planned = rules.original_due(changes.get(action.pk, ()), current)
        items.append(rules.Item(
            kind="due", id=action.pk, title=action.description, planned=planned,
            current=current, done=action_done(action), action_id=action.pk,
            action_ref=action.ref, priority=action.priority.number))
    return items


def milestone_item(milestone: Milestone) -> rules.Item:
    action = milestone.action
    return rules.Item(
        kind="milestone", id=milestone.pk, title=milestone.title, planned=milestone.planned,
        current=milestone.current, done=milestone.completed_on is not None,
        completed_on=milestone.completed_on, action_id=milestone.action_id,
        action_ref=action.ref if action else "",
        priority=action.priority.number if action else milestone.priority.number)


def _scoped(manager, user):
    """Rows the user may see; user None is the command line, which sees every partnership
    (as `lapis drift` does)."""
    return manager.all() if user is None else manager.visible_to(user)


def milestones(user, plan: Plan):
    return (_scoped(Milestone.objects, user).filter(plan=plan)
            .select_related("action__priority", "priority"))


def plan_items(plan: Plan, user, *, priority: int | None = None) -> list[rules.Item]:
    actions = (_scoped(Action.objects, user).filter(plan=plan)
               .select_related("priority", "status").order_by("ref_key"))
    found = milestones(user, plan)
    if priority is not None:
        actions = actions.filter(priority__number=priority)
        found = [m for m in found
                 if (m.action.priority.number if m.action else m.priority.number) == priority]
    return action_items(list(actions)) + [milestone_item(m) for m in found]


@dataclass
class Timeline:
    plan: Plan
    by: str
    first: dt.date
    last: dt.date
    as_of: dt.date
    priority: int | None
    groups: list[rules.Group]
    overdue_earlier: list[rules.Item] = field(default_factory=list)

    @property
    def first_period(self) -> rules.Period:
        return self.groups[0].period

    @property
    def last_period(self) -> rules.Period:
        return self.groups[-1].period

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    def as_json(self) -> dict:
        return {
            "plan": {"id": self.plan.pk, "name": self.plan.name},
            "by": self.by,
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "as_of": self.as_of.isoformat(),
            "priority": self.priority,
            "overdue_earlier": len(self.overdue_earlier),
            "periods": [g.as_json() for g in self.groups],
        }


def timeline(plan: Plan, user, *, by: str, first: dt.date, last: dt.date, as_of: dt.date,
             priority: int | None = None) -> Timeline:
    """Raises ValueError for a bad range (see rules.periods_between)."""
    items = plan_items(plan, user, priority=priority)
    groups = rules.build(items, by=by, first=first, last=last, as_of=as_of)
    earlier = rules.overdue_before(items, before=groups[0].period.start, as_of=as_of)
    return Timeline(plan, by, groups[0].period.start, groups[-1].period.end, as_of, priority,
                    groups, earlier)


def milestones_for_action(action: Action, *, as_of: dt.date | None = None,
                          by: str = "term") -> list[tuple[Milestone, rules.Row]]:
    """The action's milestones in date order, each with its timeline row (slippage, status).

    For the action page: pass the result as `milestones` to `timeline/_action_milestones.html`.
    The action must already have been read through `.visible_to(user)`."""
    found = (Milestone.objects.filter(action=action)
             .select_related("action__priority", "priority"))
    as_of = as_of or dt.date.today()
    rows = [(m, rules.row_for(milestone_item(m), as_of=as_of, by=by)) for m in found]
    return sorted(rows, key=lambda pair: (pair[0].current.end(), pair[0].title, pair[0].pk))
