"""The grading rule of an audit framework, with no database: pure functions over numbers.

A framework scores each criterion on its scale (0 is the lowest level, `len(scale) - 1` the
highest) and gives it a weight. A section's score is the weighted share of the highest
possible score its scored criteria could have had, as an exact fraction of 100; the plan's
overall score is the same over every scored criterion. The framework states its thresholds
(the lowest score for Outstanding, Good and Requires improvement); a score exactly on a
threshold gets the higher grade. Anything below the last threshold is Inadequate.

Fractions, not floats: 70 must be 70, so that a score on the threshold is graded the same on
every machine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

OUTSTANDING = "Outstanding"
GOOD = "Good"
REQUIRES_IMPROVEMENT = "Requires improvement"
INADEQUATE = "Inadequate"
GRADES = (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE)  # best first
GOOD_OR_BETTER = frozenset({OUTSTANDING, GOOD})

RECORDED = "recorded"  # the auditor chose the grade
COMPUTED = "computed"  # the framework worked it out from the weighted criteria


@dataclass(frozen=True)
class Thresholds:
    """The lowest score (0-100) that earns each grade."""

    outstanding: Fraction
    good: Fraction
    requires_improvement: Fraction

    def __post_init__(self):
        if not 0 <= self.requires_improvement <= self.good <= self.outstanding <= 100:
            raise ValueError("thresholds must rise from Requires improvement to Outstanding, "
                             "within 0 to 100")

    @classmethod
    def of(cls, outstanding, good, requires_improvement) -> Thresholds:
        return cls(_exact(outstanding), _exact(good), _exact(requires_improvement))


@dataclass(frozen=True)
class Scored:
    """One criterion's score: `score` on a scale whose top is `top` (len(scale) - 1)."""

    weight: Fraction
    score: int
    top: int


def _exact(value) -> Fraction:
    if isinstance(value, float):
        value = Decimal(str(value))
    return Fraction(value)


def score(scored: Iterable[Scored]) -> Fraction | None:
    """The weighted score out of 100, or None when nothing (or only weight 0) was scored."""
    got = possible = Fraction(0)
    for item in scored:
        if not 0 <= item.score <= item.top:
            raise ValueError(f"a score of {item.score} is off the scale 0-{item.top}")
        weight = _exact(item.weight)
        got += weight * item.score
        possible += weight * item.top
    if possible == 0:
        return None
    return got * 100 / possible


def grade_for(value: Fraction | None, thresholds: Thresholds) -> str | None:
    if value is None:
        return None
    if value >= thresholds.outstanding:
        return OUTSTANDING
    if value >= thresholds.good:
        return GOOD
    if value >= thresholds.requires_improvement:
        return REQUIRES_IMPROVEMENT
    return INADEQUATE


def good_or_better(grade: str | None) -> bool:
    return grade in GOOD_OR_BETTER


def pct(part: int, whole: int) -> float | None:
    """A percentage to one decimal place, rounding halves up (7/8 -> 87.5, 1/6 -> 16.7)."""
    if not whole:
        return None
    tenths = Fraction(part * 1000, whole)
    rounded, rest = divmod(tenths.numerator, tenths.denominator)
    if rest * 2 >= tenths.denominator:
        rounded += 1
    return rounded / 10
