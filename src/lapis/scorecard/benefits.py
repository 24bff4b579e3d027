"""Benefits realisation: each action's impact measures, judged against their targets.

- A measure is *realised* when its latest value has reached the target (at or above it when
  higher is better, at or below when lower is better); unknown without a target or a value.
- The evidence *disagrees* with the action when the action is rated on track (its status
  family is "on_track") but a measure is behind its trajectory. The board sees both, in one
  sentence: "rated On track no concerns; its measure, New EHC plans issued within 20 weeks,
  is 5.8% against a trajectory to 50% by Oct 2025".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lapis.scorecard import queries
from lapis.scorecard.models import ActionMeasure, Area
from lapis.scorecard.queries import shown


@dataclass
class Measure:
    action_id: int
    line: queries.Line
    realised: bool | None
    disagrees: bool
    sentence: str


def realised(line: queries.Line) -> bool | None:
    if line.value is None or line.target is None or line.polarity == "neither":
        return None
    return line.value >= line.target if line.polarity == "higher" else line.value <= line.target


def evidence(actions, *, user, partnership) -> dict[int, list[Measure]]:
    """Measures by action id, in a fixed number of queries whatever the number of actions."""
    if partnership is None or not partnership.la_code:
        return {}
    area = Area.objects.filter(code=partnership.la_code).first()
    links = list(ActionMeasure.objects.filter(action__in=actions).select_related("indicator"))
    if area is None or not links:
        return {}
    by_breakdown = defaultdict(dict)
    for link in links:
        by_breakdown[link.breakdown][link.indicator_id] = link.indicator
    lines = {}
    for breakdown, indicators in by_breakdown.items():
        for indicator, line in zip(indicators.values(), queries.scorecard(
                list(indicators.values()), area, user=user, partnership=partnership,
                breakdown=breakdown), strict=True):
            lines[(breakdown, indicator.pk)] = line
    statuses = {a.pk: a.status for a in actions}
    out = defaultdict(list)
    for link in links:
        line = lines[(link.breakdown, link.indicator_id)]
        status = statuses.get(link.action_id)
        disagrees = bool(status and status.family == "on_track" and line.status == "behind")
        sentence = ""
        if disagrees:
            sentence = (f"rated {status.label}; its measure, {line.name}, is "
                        f"{shown(line.value, line.unit)} against a trajectory to "
                        f"{shown(line.target, line.unit)} by {_month(line.target_date)}")
        out[link.action_id].append(Measure(link.action_id, line, realised(line), disagrees,
                                           sentence))
    return dict(out)


def _month(iso: str | None) -> str:
    import datetime as dt

    return dt.date.fromisoformat(iso).strftime("%b %Y") if iso else "its target date"
