"""The rules of the risk register, as plain functions (no Django), tested exhaustively.

A risk is scored twice on the same 5x5 matrix: **inherent** (before the measures in place)
and **residual** (with them). Each score is likelihood x impact, both 1 to 5, so 1 to 25.

Rating bands (the usual local-authority corporate risk matrix):

    score  1-4   Low        tolerate and keep under review
    score  5-9   Medium     manage within the workstream
    score 10-14  High       report to the SEND Delivery Group
    score 15-25  Very high  report to the SEND Strategic Board

The heat map counts risks per cell, rows impact 5 down to 1, columns likelihood 1 to 5, so
that the worst corner is top right, as on a printed risk matrix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

LEVELS = (1, 2, 3, 4, 5)
LIKELIHOOD_LABELS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_LABELS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low: int  # the lowest score in the band
    high: int  # the highest score in the band
    colour: str  # a GOV.UK tag colour, shown beside the label, never instead of it


BANDS = (
    Band("low", "Low", 1, 4, "green"),
    Band("medium", "Medium", 5, 9, "yellow"),
    Band("high", "High", 10, 14, "orange"),
    Band("very_high", "Very high", 15, 25, "red"),
)
BANDS_BY_KEY = {b.key: b for b in BANDS}

RESPONSES = {
    "tolerate": "Tolerate",
    "treat": "Treat",
    "transfer": "Transfer",
    "terminate": "Terminate",
}
RESPONSE_HINTS = {
    "tolerate": "Accept the risk and keep it under review",
    "treat": "Act to reduce its likelihood or impact",
    "transfer": "Pass it to another party, for example through a contract or insurance",
    "terminate": "Stop the activity that gives rise to it",
}
TRENDS = {"rising": "Rising", "stable": "Stable", "falling": "Falling"}
# Words people put in a trend column, including the arrows some registers use.
_TREND_WORDS = {
    "rising": "rising", "increasing": "rising", "up": "rising", "worsening": "rising",
    "↑": "rising",
    "stable": "stable", "static": "stable", "unchanged": "stable", "no change": "stable",
    "same": "stable", "→": "stable", "↔": "stable",
    "falling": "falling", "decreasing": "falling", "down": "falling", "improving": "falling",
    "↓": "falling",
}
STATUSES = {"open": "Open", "closed": "Closed"}


class RuleError(ValueError):
    """A value the register cannot hold; the message is written for the person who typed it."""


def check_level(value: int, what: str = "a level") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise RuleError(f"{what} must be a whole number from 1 to 5, not {value!r}")
    return value


def score(likelihood: int, impact: int) -> int:
    """Likelihood x impact, both 1 to 5."""
    return check_level(likelihood, "likelihood") * check_level(impact, "impact")


def band(value: int) -> Band:
    """The rating band of a score from 1 to 25."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 25:
        raise RuleError(f"a score must be from 1 to 25, not {value!r}")
    return next(b for b in BANDS if b.low <= value <= b.high)


def rating(likelihood: int, impact: int) -> Band:
    return band(score(likelihood, impact))


# ---------------------------------------------------------------------------------------------
# The heat map
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    count: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band(self.score)


@dataclass(frozen=True)
class HeatRow:
    impact: int
    cells: tuple[Cell, ...]  # likelihood 1 to 5

    @property
    def label(self) -> str:
        return IMPACT_LABELS[self.impact]


@dataclass(frozen=True)
class HeatMap:
    rows: tuple[HeatRow, ...]  # impact 5 down to 1

    @property
    def total(self) -> int:
        return sum(cell.count for row in self.rows for cell in row.cells)

    def count(self, likelihood: int, impact: int) -> int:
        return self.rows[5 - impact].cells[likelihood - 1].count

    def by_band(self) -> dict[str, int]:
        counts = dict.fromkeys(BANDS_BY_KEY, 0)
        for row in self.rows:
            for cell in row.cells:
                counts[cell.band.key] += cell.count
        return counts


def heat_map(pairs: Iterable[tuple[int, int]]) -> HeatMap:
    """Count (likelihood, impact) pairs into the 5x5 grid; rows impact 5..1, columns 1..5."""
    counts = Counter((check_level(lk, "likelihood"), check_level(im, "impact"))
                     for lk, im in pairs)
    return HeatMap(tuple(
        HeatRow(impact, tuple(Cell(lk, impact, counts[(lk, impact)]) for lk in LEVELS))
        for impact in reversed(LEVELS)
    ))


# ---------------------------------------------------------------------------------------------
# Review dates
# ---------------------------------------------------------------------------------------------

def review_overdue(review_date: dt.date | None, as_of: dt.date, *, closed: bool = False) -> bool:
    """An open risk whose review date has passed. Due today is not yet overdue; a closed risk
    or one with no review date is never overdue (a missing date is reported separately)."""
    return not closed and review_date is not None and review_date < as_of


def days_overdue(review_date: dt.date | None, as_of: dt.date, *, closed: bool = False) -> int:
    return (as_of - review_date).days if review_overdue(review_date, as_of, closed=closed) else 0


# ---------------------------------------------------------------------------------------------
# Sorting
# ---------------------------------------------------------------------------------------------

def code_key(code: str) -> str:
    """'R2' -> 'r0002', so that a database sorts R2 before R10, as people read them."""
    return re.sub(r"\d+", lambda m: m.group().zfill(4), code.strip().casefold())


@dataclass(frozen=True)
class RiskFacts:
    code: str
    inherent: int  # score
    residual: int  # score
    review_date: dt.date | None = None
    closed: bool = False


SORTS = ("code", "residual", "inherent", "review")


def sort_risks(risks: Iterable[RiskFacts], by: str = "code") -> list[RiskFacts]:
    """Sort by code (natural order), by score (highest first; ties by the other score, then
    code), or by review date (earliest first, undated last). Always a total, stable order."""
    if by not in SORTS:
        raise RuleError(f"sort by one of {', '.join(SORTS)}, not {by!r}")
    if by == "code":
        return sorted(risks, key=_rest)
    if by == "residual":
        return sorted(risks, key=lambda r: (-r.residual, -r.inherent, _rest(r)))
    if by == "inherent":
        return sorted(risks, key=lambda r: (-r.inherent, -r.residual, _rest(r)))
    return sorted(risks, key=lambda r: (r.review_date is None, r.review_date or dt.date.min,
                                        _rest(r)))


def _rest(r: RiskFacts) -> tuple:
    """Code, then every other fact: two risks sort the same way only if they are the same."""
    return (code_key(r.code), r.code, r.residual, r.inherent, r.review_date is None,
            r.review_date or dt.date.min, r.closed)


# ---------------------------------------------------------------------------------------------
# Reading cells of an imported register
# ---------------------------------------------------------------------------------------------

COLUMNS = {
    "code": "Risk ID",
    "title": "Title",
    "description": "Description",
    "owner": "Owner",
    "inherent_likelihood": "Inherent likelihood",
    "inherent_impact": "Inherent impact",
    "residual_likelihood": "Residual likelihood",
    "residual_impact": "Residual impact",
    "response": "Response",
    "trend": "Trend",
    "review_date": "Review date",
    "actions": "Linked actions",
    "measures": "Measures",
    "status": "Status",
}
REQUIRED = ("code", "title", "inherent_likelihood", "inherent_impact", "residual_likelihood",
            "residual_impact", "response")
# Columns an export adds for readers; an import knows them and ignores them.
DERIVED = {"inherentscore", "residualscore", "inherentrating",
           "residualrating"}
_ALIASES = {
    "code": ["risk id", "id", "risk ref", "ref", "risk reference", "risk no", "code"],
    "title": ["title", "risk", "risk title", "name"],
    "description": ["description", "risk description", "cause and effect"],
    "owner": ["owner", "risk owner"],
    "inherent_likelihood": ["inherent likelihood", "inherent l", "gross likelihood"],
    "inherent_impact": ["inherent impact", "inherent i", "gross impact"],
    "residual_likelihood": ["residual likelihood", "residual l", "net likelihood",
                            "current likelihood"],
    "residual_impact": ["residual impact", "residual i", "net impact", "current impact"],
    "response": ["response", "risk response", "treatment"],
    "trend": ["trend", "direction of travel", "direction"],
    "review_date": ["review date", "next review", "next review date", "review by"],
    "actions": ["linked actions", "actions", "action refs", "linked action refs",
                "mitigating actions"],
    "measures": ["measures", "mitigation", "mitigations", "controls", "controls and measures",
                 "measures in place"],
    "status": ["status", "risk status"],
}


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-:]+", "", str(text)).casefold()


_HEADERS = {_squash(alias): name for name, aliases in _ALIASES.items() for alias in aliases}


def match_header(text) -> str | None:
    """The field a header names, ignoring case, spaces, underscores and hyphens; or None."""
    if text is None:
        return None
    return _HEADERS.get(_squash(text))


def is_derived_header(text) -> bool:
    return text is not None and _squash(text) in DERIVED


def read_level(value, what: str) -> int:
    """A likelihood or impact cell: 1 to 5 (a whole number; "3" and 3.0 are read as 3)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RuleError(f"{what} is missing: give a whole number from 1 to 5")
    number = value
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d+(\.0+)?", text):
            raise RuleError(f"{what} {value!r} is not a whole number from 1 to 5")
        number = int(float(text))
    elif isinstance(value, float):
        if not value.is_integer():
            raise RuleError(f"{what} {value!r} is not a whole number from 1 to 5")
        number = int(value)
    if isinstance(number, bool) or not isinstance(number, int) or number not in LEVELS:
        raise RuleError(f"{what} {value!r} is out of range: it must be from 1 to 5")
    return number


def _choice(value, choices: dict[str, str], words: dict[str, str], what: str) -> str:
    key = re.sub(r"\s+", " ", str(value or "")).strip().casefold()
    if key in words:
        return words[key]
    allowed = ", ".join(choices.values())
    raise RuleError(f"unknown {what} {str(value or '').strip()!r}: use one of {allowed}")


def read_response(value) -> str:
    return _choice(value, RESPONSES, {k: k for k in RESPONSES}, "response")


def read_trend(value) -> str:
    """A trend; blank means stable."""
    if value is None or not str(value).strip():
        return "stable"
    return _choice(value, TRENDS, _TREND_WORDS, "trend")


def read_status(value) -> str:
    """Open or closed; blank means open."""
    if value is None or not str(value).strip():
        return "open"
    return _choice(value, STATUSES, {k: k for k in STATUSES}, "status")


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def read_date(value) -> dt.date | None:
    """A review date: a spreadsheet date, ISO text (2025-03-31) or UK text (31/03/2025)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if match := _DMY.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RuleError(f"{text!r} is not a date: use 2025-03-31 or 31/03/2025") from None


def split_refs(value) -> list[str]:
    """Action refs separated by commas, semicolons or line breaks, in order, once each."""
    if value is None:
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    refs = []
    for part in re.split(r"[,;\n]+", str(value)):
        ref = part.strip()
        ref = re.sub(r"^(action|ip)\s+", "", ref, flags=re.IGNORECASE).strip()
        if ref and ref not in refs:
            refs.append(ref)
    return refs
