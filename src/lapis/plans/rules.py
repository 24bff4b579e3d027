"""Rules for working the plan: when a status change needs a reason, and the status roll-up.

Pure Python, no Django, so that every case can be tested directly.

Status changes. Families are ranked by health: off track < some concerns < not started <
on track. A change needs a reason when it worsens (a lower rank), when it moves into a done
family (complete, embedded, closed) from anything else, or when it reopens a done action. A
first status (from none) needs a reason only when it is a done family.

Roll-up, per priority and for the whole plan:
- counts by family ("none" for no status), and the total;
- % complete: actions in a done family or closed through change control, of all actions;
- overdue: open actions whose due date ended before the as-of date (drift's rule);
- realised within timescales (Hull's meta-measure, "85% of actions realised within improvement
  plan timescales"): of the actions that are done and whose completion date and ORIGINAL due
  date are both known, the share completed on or before the end of the original due date.
  Where the completion date is not known (an action imported already complete) but the action
  was recorded as done by a date (its last review) no later than the original due date, it
  was certainly on time. Any other done action is counted as `unknown`, never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from lapis.plans.drift import DONE_FAMILIES, DueDate

HEALTH = {"off_track": 0, "some_concerns": 1, "not_started": 2, "on_track": 3}
FAMILY_ORDER = ("not_started", "on_track", "some_concerns", "off_track", "complete",
                "embedded", "closed", "none")


def reason_needed(old: str | None, new: str | None) -> bool:
    """Does moving from family `old` to family `new` need a written reason?"""
    if new is None or old == new:
        return False
    if new in DONE_FAMILIES:
        return True
    if old is None:
        return False
    if old in DONE_FAMILIES:
        return True  # reopening a finished action
    return HEALTH[new] < HEALTH[old]


@dataclass(frozen=True)
class RollupFacts:
    priority: int
    family: str | None
    closed: bool
    due: DueDate | None
    original_due: DueDate | None
    completed_on: date | None
    done_by: date | None = None  # an upper bound: it was recorded as done by this date


@dataclass
class Rollup:
    label: str
    families: Counter = field(default_factory=Counter)
    total: int = 0
    done: int = 0
    overdue: int = 0
    on_time: int = 0
    late: int = 0
    unknown: int = 0

    @property
    def percent_complete(self) -> float | None:
        return round(100 * self.done / self.total, 1) if self.total else None

    @property
    def percent_on_time(self) -> float | None:
        judged = self.on_time + self.late
        return round(100 * self.on_time / judged, 1) if judged else None

    def counts(self) -> list[int]:
        return [self.families[name] for name in FAMILY_ORDER]

    def as_json(self) -> dict:
        return {
            "label": self.label, "total": self.total,
            "families": {name: self.families[name] for name in FAMILY_ORDER},
            "done": self.done, "percent_complete": self.percent_complete,
            "overdue": self.overdue,
            "realised_within_timescales": {
                "on_time": self.on_time, "late": self.late, "unknown": self.unknown,
                "percent": self.percent_on_time,
            },
        }


def _add(into: Rollup, item: RollupFacts, as_of: date) -> None:
    done = item.closed or item.family in DONE_FAMILIES
    into.total += 1
    into.families[item.family or "none"] += 1
    if done:
        into.done += 1
        if item.original_due is None:
            into.unknown += 1
        elif item.completed_on is None:
            if item.done_by is not None and item.done_by <= item.original_due.end():
                into.on_time += 1
            else:
                into.unknown += 1
        elif item.completed_on <= item.original_due.end():
            into.on_time += 1
        else:
            into.late += 1
    elif item.due is not None and item.due.end() < as_of:
        into.overdue += 1


def rollup(items: Iterable[RollupFacts], *, as_of: date) -> tuple[list[Rollup], Rollup]:
    """One Rollup per priority (in number order) and one for the whole plan."""
    by_priority: dict[int, Rollup] = {}
    plan = Rollup("All priorities")
    for item in items:
        row = by_priority.setdefault(item.priority, Rollup(f"Priority {item.priority}"))
        _add(row, item, as_of)
        _add(plan, item, as_of)
    return [by_priority[n] for n in sorted(by_priority)], plan
