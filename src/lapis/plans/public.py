"""The friendly public view of a partnership's plan: plain words, no login, no personal names
unless the partnership chooses to show them, and no count below 5.

Counts: 0 is shown as "none" and 1 to 4 as "fewer than 5", so that a small group of children
or a single named service cannot be picked out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lapis.plans.drift import DONE_FAMILIES


def public_count(n: int) -> str:
    if n == 0:
        return "none"
    return "fewer than 5" if n < 5 else str(n)


@dataclass
class PriorityView:
    number: int
    text: str
    done: str
    under_way: str
    not_started: str
    finished: list = field(default_factory=list)  # (description, owner or "")
    next: list = field(default_factory=list)  # (description, due label, owner or "")


def build(actions, *, names: bool, per_list: int = 5) -> list[PriorityView]:
    """One view per priority, from actions with priority, status and sro loaded."""
    groups: dict[int, list] = {}
    for action in actions:
        groups.setdefault(action.priority.number, []).append(action)
    views = []
    for number in sorted(groups):
        rows = groups[number]
        family = {a.pk: (a.status.family if a.status else None) for a in rows}
        done = [a for a in rows if a.closed or family[a.pk] in DONE_FAMILIES]
        started = [a for a in rows
                   if a not in done and family[a.pk] not in (None, "not_started")]
        waiting = [a for a in rows if a not in done and a not in started]

        def owner(action):
            return action.sro.name if names and action.sro else ""

        finished = sorted(done, key=lambda a: a.last_reviewed or dt.date.min, reverse=True)
        upcoming = sorted((a for a in started + waiting if a.due_date),
                          key=lambda a: a.due_date)
        views.append(PriorityView(
            number=number, text=rows[0].priority.text,
            done=public_count(len(done)), under_way=public_count(len(started)),
            not_started=public_count(len(waiting)),
            finished=[(a.description, owner(a)) for a in finished[:per_list]],
            next=[(a.description, str(a.due), owner(a)) for a in upcoming[:per_list]]))
    return views
