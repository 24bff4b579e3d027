"""The edges of published series, as data with their sources, and clean numbers (no Django).

Series breaks
    `BREAKS` lists the breaks in a time series that the publisher's own guidance names. A
    break sits before its `first` period: figures from `first` on are not comparable with
    those before it, so no "up from ..." sentence may span it and a chart marks it.
    `break_between(indicator, earlier, later)` gives the break lying between two periods of an
    indicator's series (earlier < first <= later, compared by the periods' start dates), or
    None.

Reorganised local authorities
    `SUCCESSORS` maps the old LA code of an LA made by a reorganisation to its predecessor:
    the predecessor's series is shown beside the new LA's, with a note, for the periods up to
    and including `last`. Areas are matched by code, never by name.

Clean numbers
    `tidy(x)` removes binary float noise from a computed number without changing any
    published figure: it rounds to 10 significant digits (42.230000000000004 -> 42.23,
    13.100000000000009 -> 13.1). `gap(a, b)` is a - b computed in decimal on the numbers as
    written (45.9 - 60.5 = -14.6 exactly). The neighbours' mean is kept exact (it is rounded
    once, where it is shown: to the measure's decimal places for LAIT's measures), and `tidy`
    takes its float noise away. A whole float becomes an int (378.0 -> 378, counts stay
    whole); None stays None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from lapis.scorecard import periods

DFE_EHC_GUIDANCE = ("DfE, Education, health and care plans (2025), data guidance: "
                    "'Data sources' and 'The time series'")

# The indicators LAPIS reads from DfE's EHC plan files (scorecard.dfe.KINDS).
DFE_EHC_INDICATORS = frozenset({
    "ehcp_issued_20_weeks", "ehcp_issued_20_weeks_ex", "ehc_requests_decided_6_weeks",
    "ehc_review_decisions_4_weeks",
})


@dataclass(frozen=True)
class Break:
    indicators: frozenset
    first: str  # the first period of the new series
    last_before: str  # the last period of the old one
    why: str
    source: str

    @property
    def sentence(self) -> str:
        return (f"Series break between {self.last_before} and {self.first}: {self.why} "
                f"(source: {self.source}).")


BREAKS = (
    Break(DFE_EHC_INDICATORS, first="2023", last_before="2022",
          why="in 2023 DfE's EHC plan collection changed from local authority totals to "
              "individual-level data, a change of data source, so figures before and after "
              "are not comparable",
          source=DFE_EHC_GUIDANCE),
)


@dataclass(frozen=True)
class Successor:
    predecessor: str  # old LA code
    predecessor_name: str
    last: str  # the predecessor's last period
    note: str
    source: str


_CUMBRIA = ("909", "Cumbria", "2022",
            "On 1 April 2023 Cumbria (909) was replaced by Cumberland (942) and Westmorland and "
            "Furness (943). Figures up to 2022 are Cumbria's, for the whole former county.")
_NORTHAMPTONSHIRE = ("928", "Northamptonshire", "2020",
                     "On 1 April 2021 Northamptonshire (928) was replaced by North "
                     "Northamptonshire (940) and West Northamptonshire (941). Figures up to "
                     "2020 are Northamptonshire's, for the whole former county.")
_REORGANISATION = "The Cumbria and Northamptonshire (Structural Changes) Orders; DfE LA codes"

SUCCESSORS = {
    code: Successor(*which, source=_REORGANISATION)
    for codes, which in ((("942", "943"), _CUMBRIA), (("940", "941"), _NORTHAMPTONSHIRE))
    for code in codes
}


def _start(label: str) -> dt.date | None:
    try:
        return periods.parse(label).start
    except ValueError:
        return None


def breaks_for(indicator: str) -> list[Break]:
    return [b for b in BREAKS if indicator in b.indicators]


def break_between(indicator: str, earlier: str, later: str) -> Break | None:
    low, high = _start(earlier), _start(later)
    if low is None or high is None:
        return None
    for candidate in breaks_for(indicator):
        first = _start(candidate.first)
        if low < first <= high:
            return candidate
    return None


def tidy(x):
    if x is None or isinstance(x, bool) or not isinstance(x, float):
        return x
    if isinstance(x, float) and x.is_integer():
        return int(x) if abs(x) < 2 ** 53 else x
    return float(f"{x:.10g}")


def _decimal(x) -> Decimal:
    return Decimal(repr(float(x)))


def gap(value, comparator) -> float | None:
    if value is None or comparator is None:
        return None
    return float(_decimal(value) - _decimal(comparator))


