"""The inclusion scorecard over JSON: one view (measure, period, by school, trust or
locality) as the page shows it. Forum members and viewers always get the shared view, with
counts below 5 withheld; council staff get it with `shared=true`."""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from ninja import Query, Router

from lapis.core.inputs import Input
from lapis.inclusion import queries, rules
from lapis.partnership import permissions

router = Router(tags=["inclusion"])


class ViewQuery(Input):
    partnership: int | None = None
    measure: Literal[tuple(rules.MEASURES)] = "suspensions"  # type: ignore[valid-type]
    period: str | None = None
    by: Literal["school", "trust", "locality"] = "school"
    shared: bool = False


def _round(value):
    return None if value is None else round(value, 2)


def _line(line: queries.Line, by: str) -> dict:
    out = {"name": line.name, "count": int(line.count) if line.count.isdigit() else
           line.count or None, "denominator": line.denominator, "value": _round(line.value),
           "withheld": line.withheld, "compared_with_la": line.difference or None}
    if by == "school" and line.school is not None:
        out.update({"id": line.school.pk, "urn": line.school.urn, "trust": line.school.trust,
                    "locality": line.school.locality})
    else:
        out["schools"] = line.schools
    return out


@router.get("", summary="One view of the inclusion scorecard, shared or not")
def inclusion_view(request, query: Query[ViewQuery]):
    partnership = permissions.partnership_asked(request, query.partnership)
    periods = queries.periods(request.user, partnership, query.measure)
    period = query.period or (periods[-1] if periods else None)
    if period is not None and period not in periods:
        raise Http404("No figures for that period")
    shared = queries.is_shared(request.user, partnership.pk, query.shared)
    measure = rules.MEASURES[query.measure]
    answer = {"partnership": partnership.name, "measure": measure.key,
              "measure_name": measure.name, "unit": measure.value_label, "period": period,
              "periods": periods, "by": query.by, "shared": shared,
              "view": queries.view_words(shared), "rows": [], "la": None}
    if period is None:
        return answer
    found = queries.view(request.user, partnership, measure=query.measure, period=period,
                         by=query.by, shared=shared)
    answer["rows"] = [_line(line, query.by) for line in found.lines]
    if found.la:
        answer["la"] = _line(found.la, "la")
    return answer
