"""Read-side helpers shared by pages, the API and commands: drift facts from the database."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from lapis.core.dates import PartialDate
from lapis.core.models import ChangeRecord
from lapis.plans import drift, rules
from lapis.plans.models import Action


def _due(partial: PartialDate | None) -> drift.DueDate | None:
    return drift.DueDate(partial.value, partial.precision) if partial else None


def _due_from_iso(text: str) -> drift.DueDate | None:
    return _due(PartialDate.from_iso(text)) if text else None


def due_changes(actions: list[Action]) -> dict[int, tuple[drift.DueChange, ...]]:
    """Every recorded change of due date for these actions, in one query."""
    changes = defaultdict(list)
    records = ChangeRecord.objects.filter(
        model=Action._meta.label, field="due", object_id__in=[a.pk for a in actions]
    ).order_by("at", "id")
    for record in records:
        changes[record.object_id].append(
            drift.DueChange(
                changed_on=record.at.date(),
                old=_due_from_iso(record.old),
                new=_due_from_iso(record.new),
            )
        )
    return {key: tuple(value) for key, value in changes.items()}


def facts(action: Action, changes=()) -> drift.ActionFacts:
    """Plain facts for the drift rules (leads should be prefetched)."""
    return drift.ActionFacts(
        ref=action.ref,
        status_label=action.status.label if action.status else None,
        status_family=action.status.family if action.status else None,
        closed=action.closed,
        due=_due(action.due),
        last_reviewed=action.last_reviewed,
        has_sro=action.sro_id is not None,
        has_lead=bool(action.lead_links.all()),
        has_impact_measure=bool(action.impact_measures.strip()),
        due_changes=changes,
    )


def drift_by_ref(actions: list[Action], *, as_of: dt.date, stale_days: int = 90,
                 soon_days: int = 30) -> dict[str, drift.Flagged]:
    changes = due_changes(actions)
    flagged = drift.assess_all(
        (facts(a, changes.get(a.pk, ())) for a in actions),
        as_of=as_of, stale_days=stale_days, soon_days=soon_days,
    )
    return {f.ref: f for f in flagged}


def _completed_on(action: Action) -> dt.date | None:
    """The first update that moved the action into a done family (prefetch `progress`)."""
    dates = [e.date for e in action.progress.all()
             if e.status_to_id and e.date and e.status_to.family in drift.DONE_FAMILIES]
    return min(dates) if dates else None


def plan_rollup(actions: list[Action], *, as_of: dt.date):
    """Roll-up rows per priority and for the plan (see `rules.rollup`)."""
    changes = due_changes(actions)
    items = []
    for action in actions:
        moves = changes.get(action.pk, ())
        original = next((c.old for c in moves if c.old is not None), None)
        items.append(rules.RollupFacts(
            priority=action.priority.number,
            family=action.status.family if action.status else None,
            closed=action.closed,
            due=_due(action.due),
            original_due=original or _due(action.due),
            completed_on=_completed_on(action),
            done_by=action.last_reviewed,
        ))
    return rules.rollup(items, as_of=as_of)
