"""One source of truth: the timeliness computed from the case events becomes the scorecard's
figures, so an action measured by them (Hull 4.6, 4.11) updates without retyping.

For every calendar year the case data touches, up to the as-of date, the year's rate and each
month's rate (with numerator and denominator) are written as the partnership's own
observations of the `cases_*` indicators, for the partnership's LA. They are kept apart from
DfE's published `ehcp_*` figures, which cover the same measures a year later: the two can be
compared, never mixed.
"""

from __future__ import annotations

import datetime as dt

from lapis.cases import queries
from lapis.cases import timeliness as t
from lapis.core.actors import System
from lapis.scorecard import actions, periods

INDICATORS = {
    # key: (name, the figure in timeliness()'s output, its count keys)
    "cases_requests_decided_6_weeks": (
        "Decisions to assess within 6 weeks (our case data)", "six_week",
        ("within", "decided", "rate")),
    "cases_ehcp_issued_20_weeks": (
        "New EHC plans issued within 20 weeks (our case data)", "twenty_week",
        ("within", "issued", "rate")),
    "cases_ehcp_issued_20_weeks_ex": (
        "New EHC plans issued within 20 weeks, excluding exceptions (our case data)",
        "twenty_week", ("within_ex", "issued_ex", "rate_ex")),
    "cases_notice_not_to_issue_16_weeks": (
        "Notices not to issue within 16 weeks (our case data)", "sixteen_week",
        ("within", "decided", "rate")),
    "cases_review_decisions_4_weeks": (
        "Annual review decisions within 4 weeks (our case data)", "review_decisions",
        ("within", "decided", "rate")),
    "cases_amended_plans_8_weeks": (
        "Final amended plans within 8 weeks (our case data)", "amended_plans",
        ("within", "decided", "rate")),
}
SOURCE = "LAPIS, from the case events (lapis import_cases)"
FEED = "lapis cases feed"


def publish(partnership, *, as_of: dt.date) -> int:
    """Write the figures (through `lapis.scorecard.actions.publish_own_figures`, as LAPIS
    itself); returns how many observations were written. Needs the LA code."""
    if not partnership.la_code:
        return 0
    found = queries.records(partnership)
    dates = [r.received for r in found["requests"]] + [p.start for p in found["plans"]] + [
        r.meeting for r in found["reviews"]]
    dates = [d for d in dates if d and d <= as_of]
    if not dates:
        return 0
    specs = [actions.IndicatorSpec(key=key, name=name, frequency="Monthly and calendar year",
                                   source=SOURCE)
             for key, (name, _, _) in INDICATORS.items()]
    figures = []
    for year in range(min(dates).year, as_of.year + 1):
        result = t.timeliness(found["requests"], found["assessments"], found["plans"],
                              found["reviews"], start=dt.date(year, 1, 1),
                              end=min(dt.date(year, 12, 31), as_of), as_of=as_of, by="month",
                              people=found["people"], needs=found["needs"])
        groups = [(str(year), result)] + [(g["group"], g) for g in result["breakdown"]]
        for label, cells in groups:
            period = periods.parse(label)
            if period.start > as_of:
                continue
            for key, (_, figure, (within, total, rate)) in INDICATORS.items():
                cell = cells[figure]
                if not cell[total]:
                    continue
                figures.append(actions.Figure(
                    indicator=key, period=period.label, period_start=period.start,
                    value=cell[rate], numerator=cell[within], denominator=cell[total]))
    return actions.publish_own_figures(
        partnership=partnership, by=System(FEED), source="feed:cases", indicators=specs,
        figures=figures)
