"""The scorecard's rules: quartiles, ranks, gaps and trajectories, as plain functions (no Django).

Values are numbers (int, float, Decimal or Fraction; worked on as float) or None for a
missing figure (DfE's `x`, `z`, `c` and blanks are all None by the time they get here).
A bool, a string, NaN or an infinity is refused with RuleError. Polarity is HIGHER ("higher"
is better), LOWER ("lower" is better) or NEITHER ("neither"); anything else is refused.

Quantiles (R's default, type 7)
    `quantile_type7(values, p)` sorts the n values into x[1..n] and takes
    index = 1 + (n - 1) p, lo = floor(index), hi = ceiling(index), h = index - lo, and returns
    x[lo] when h = 0 or x[lo] = x[hi], else (1 - h) x[lo] + h x[hi]. That is R's
    `quantile.default(type = 7)` step for step, so the boundaries agree with R to the last
    bit, and a quantile that falls on a data value (or between two equal ones) IS that value,
    exactly, which is what makes "a value on a boundary" well defined. No values, a missing
    value among them, or p outside 0..1 is an error (R needs `na.rm = TRUE` for missing values;
    here the caller drops them first, as `quartile_band` does).

Quartile bands A-D (as DfE's local authority interactive tool, LAIT)
    The boundaries are Q1, Q2, Q3 = quantile_type7 at 0.25, 0.5 and 0.75 of every LA's
    non-missing value for the period. A value ON a boundary falls in the band below the
    boundary in value terms (the "lower" band means lower value, whatever the polarity):

        higher is better           lower is better
        v <= Q1            D       v <= Q1            A
        Q1 < v <= Q2       C       Q1 < v <= Q2       B
        Q2 < v <= Q3       B       Q2 < v <= Q3       C
        v > Q3             A       v > Q3             D

    So A is always the best quarter by polarity, reversing the polarity swaps A with D and B
    with C for every value, and a value on a boundary is in the worse band when higher is
    better and in the better band when lower is better. A missing value, polarity NEITHER, or
    no non-missing values at all gives None. With one LA, Q1 = Q2 = Q3 = its value, so it is
    in D (higher is better) or A (lower is better); the scorecard shows no band below a
    minimum number of LAs, which is the caller's choice.

Ranks
    1 is best. Ties share the best rank of the tie and the next rank skips ("competition
    ranking": 1, 2, 2, 4). A value's rank is 1 + the number of non-missing values strictly
    better than it (greater when higher is better, less when lower is better); values tie
    only when exactly equal (DfE publishes percentages to 1 decimal place, so ties are
    common). The value is usually one of `all_values`; if it is not, its rank is the place it
    would take among them. A missing value or polarity NEITHER gives None.
    `ranks(mapping, polarity)` and `bands(mapping, polarity)` judge a whole set (LA code ->
    value or None) in one sort, O(n log n); each key's result equals what `rank` and
    `quartile_band` give for that value against all the mapping's values.

Gaps and means
    `gap(value, comparator)` = value - comparator, unrounded (round when showing it), None if
    either is missing. `mean(values)` is the arithmetic mean of the non-missing values
    (statistical neighbours' mean), None when there are none.

Trajectories
    A trajectory runs through its points: (baseline date, baseline value), the milestones in
    date order, (target date, target value). Dates are calendar dates (datetime.date, not
    datetime); the baseline is strictly before the target; each milestone is strictly between
    them and no two share a date. `expected_on(trajectory, day)` interpolates linearly, by
    calendar days, between the two points either side of `day`; it is the baseline value on
    or before the baseline date and the target value on or after the target date.

Status against the trajectory
    `status(trajectory, actual, actual_date, polarity, tolerance, unit=...)`:
    expected = expected_on(trajectory, actual_date); the difference, positive = good, is
    actual - expected when higher is better and expected - actual when lower is better,
    ROUNDED to the precision the figures are shown at (below). |difference| <= tolerance is
    "on_track"; a larger good difference is "ahead"; a larger bad one is "behind". Deciding at
    the shown precision means the words never contradict the figures: 2.04 points behind
    with a tolerance of 2 shows as "2 points behind" and is on track. The tolerance is in the
    indicator's unit (percentage points for %) and must be >= 0. A missing actual gives None
    (no actual yet, no status); polarity NEITHER is refused (a target needs a direction).

    `Status.expected` is unrounded (for charts); `Status.difference` is the rounded,
    polarity-signed difference that decided `kind`.

    Rounding is half away from zero on the value as written (38.25 -> 38.3, not Python's
    38.2): to 1 decimal place for "%", "weeks" and every other unit, to whole numbers for
    "count"; `decimals=` overrides (Progress 8 is shown to 2). A trailing ".0" is dropped
    (38.0 -> "38"), thousands are separated by commas, and -0 is shown as 0.

    The reason reads "{actual} against a trajectory of {expected} for {period}; {how}":
      unit "%":      "38% against a trajectory of 42% for Oct 2024; 4 points behind"
      unit "count":  "3 against a trajectory of 0 for Mar 2025; 3 more than planned"
                     (count differences say "more/fewer than planned", by the raw direction)
      unit "weeks":  "14 weeks against a trajectory of 12 weeks for Oct 2024; 2 weeks behind"
      "rate", "score", "grade" or "": the bare number ("0.3 behind");
      any other unit is written after the number as given ("5.2 per 10,000 pupils").
    "1 point", "1 week", "1 day", "1 month" are singular. On track reads "on the trajectory"
    when the difference is 0, else "{difference} behind|ahead, within the tolerance of
    {tolerance}". The period is `period=` when the caller has a label ("2023/24"), else the
    month and year of `actual_date` ("Oct 2024", English month abbreviations, not the
    locale's).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

HIGHER = "higher"
LOWER = "lower"
NEITHER = "neither"
POLARITIES = (HIGHER, LOWER, NEITHER)

BAND_LETTERS = ("A", "B", "C", "D")
QUARTILE_PROBABILITIES = (0.25, 0.5, 0.75)

AHEAD = "ahead"
ON_TRACK = "on_track"
BEHIND = "behind"
KINDS = (AHEAD, ON_TRACK, BEHIND)

PERCENT = "%"
COUNT = "count"
UNITLESS = frozenset({"", "rate", "score", "grade"})
_SINGULAR = {"points": "point", "weeks": "week", "days": "day", "months": "month"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class RuleError(ValueError):
    """A value the scorecard cannot judge; the message says what is wrong in plain words."""


# ---------------------------------------------------------------------------------------------
# Checking input
# ---------------------------------------------------------------------------------------------

def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise RuleError(f"{what} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise RuleError(f"{what} must be a finite number, not {value!r}")
    return number


def _optional(value: object, what: str) -> float | None:
    return None if value is None else _number(value, what)


def _present(values: Iterable[object], what: str = "each value") -> list[float]:
    """The non-missing values, as floats."""
    return [_number(v, what) for v in values if v is not None]


def _polarity(polarity: object) -> str:
    if polarity not in POLARITIES:
        raise RuleError(
            f"polarity must be {HIGHER!r}, {LOWER!r} or {NEITHER!r}, not {polarity!r}")
    return polarity


def _day(value: object, what: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RuleError(f"{what} must be a date (day, month and year), not {value!r}")
    return value


# ---------------------------------------------------------------------------------------------
# Quantiles, bands and ranks
# ---------------------------------------------------------------------------------------------

def quantile_type7(values: Sequence[float], p: float) -> float:
    """R's default sample quantile (type 7) of `values` at probability `p` (0 to 1)."""
    p = _number(p, "the probability")
    if not 0 <= p <= 1:
        raise RuleError(f"the probability must be from 0 to 1, not {p!r}")
    if any(v is None for v in values):
        raise RuleError("a quantile cannot include missing values: leave them out first")
    return _quantile_sorted(sorted(_present(values)), p)


def _quantile_sorted(x: list[float], p: float) -> float:
    n = len(x)
    if n == 0:
        raise RuleError("a quantile needs at least one value, and none were given")
    index = 1 + (n - 1) * p  # 1-based, as in R
    lo = math.floor(index)
    hi = math.ceil(index)
    low, high = x[lo - 1], x[hi - 1]
    h = index - lo
    if h == 0 or low == high:
        return low
    return (1 - h) * low + h * high


def quartiles(values: Iterable[float | None]) -> tuple[float, float, float] | None:
    """Q1, Q2, Q3 (type 7) of the non-missing values; None when there are none."""
    x = sorted(_present(values))
    if not x:
        return None
    q1, q2, q3 = (_quantile_sorted(x, p) for p in QUARTILE_PROBABILITIES)
    return q1, q2, q3


def _band_from(value: float, bounds: tuple[float, float, float], polarity: str) -> str:
    below = bisect.bisect_left(bounds, value)  # boundaries strictly below the value: 0..3
    return BAND_LETTERS[below] if polarity == LOWER else BAND_LETTERS[3 - below]


def quartile_band(value: float | None, all_values: Iterable[float | None],
                  polarity: str) -> str | None:
    """Band "A" (the best quarter by polarity) to "D", or None; see the module docstring."""
    polarity = _polarity(polarity)
    value = _optional(value, "the value")
    bounds = quartiles(all_values)
    if value is None or polarity == NEITHER or bounds is None:
        return None
    return _band_from(value, bounds, polarity)


def bands(mapping: Mapping[Hashable, float | None], polarity: str) -> dict[Hashable, str | None]:
    """The quartile band of every key's value among all the mapping's values, in one sort."""
    polarity = _polarity(polarity)
    values = {k: _optional(v, f"the value for {k!r}") for k, v in mapping.items()}
    bounds = quartiles(values.values())
    if polarity == NEITHER or bounds is None:
        return dict.fromkeys(values)
    return {k: None if v is None else _band_from(v, bounds, polarity)
            for k, v in values.items()}


def _rank_from(value: float, ordered: list[float], polarity: str) -> int:
    if polarity == HIGHER:
        return 1 + len(ordered) - bisect.bisect_right(ordered, value)
    return 1 + bisect.bisect_left(ordered, value)


def rank(value: float | None, all_values: Iterable[float | None], polarity: str) -> int | None:
    """1 = best; ties share the best rank of the tie (1, 2, 2, 4); see the module docstring."""
    polarity = _polarity(polarity)
    value = _optional(value, "the value")
    ordered = sorted(_present(all_values))
    if value is None or polarity == NEITHER:
        return None
    return _rank_from(value, ordered, polarity)


def ranks(mapping: Mapping[Hashable, float | None], polarity: str) -> dict[Hashable, int | None]:
    """The competition rank of every key's value among all the mapping's values, in one sort."""
    polarity = _polarity(polarity)
    values = {k: _optional(v, f"the value for {k!r}") for k, v in mapping.items()}
    if polarity == NEITHER:
        return dict.fromkeys(values)
    ordered = sorted(v for v in values.values() if v is not None)
    return {k: None if v is None else _rank_from(v, ordered, polarity)
            for k, v in values.items()}


# ---------------------------------------------------------------------------------------------
# Gaps and means
# ---------------------------------------------------------------------------------------------

def gap(value: float | None, comparator: float | None) -> float | None:
    """value - comparator, unrounded; None if either is missing."""
    value = _optional(value, "the value")
    comparator = _optional(comparator, "the comparator")
    if value is None or comparator is None:
        return None
    return value - comparator


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the non-missing values; None when there are none."""
    present = _present(values)
    return math.fsum(present) / len(present) if present else None


# ---------------------------------------------------------------------------------------------
# Trajectories
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Trajectory:
    """Baseline -> milestones -> target. Milestones may come in any order; they are kept
    sorted by date as a tuple of (date, value)."""

    baseline_value: float
    baseline_date: dt.date
    target_value: float
    target_date: dt.date
    milestones: tuple[tuple[dt.date, float], ...] = ()

    def __post_init__(self):
        baseline_date = _day(self.baseline_date, "the baseline date")
        target_date = _day(self.target_date, "the target date")
        if baseline_date >= target_date:
            raise RuleError(f"the baseline date ({baseline_date:%d %b %Y}) must be before the "
                            f"target date ({target_date:%d %b %Y})")
        points = []
        for number, milestone in enumerate(self.milestones, start=1):
            try:
                day, value = milestone
            except (TypeError, ValueError):
                raise RuleError(f"milestone {number} must be a (date, value) pair, "
                                f"not {milestone!r}") from None
            day = _day(day, f"the date of milestone {number}")
            if not baseline_date < day < target_date:
                raise RuleError(f"milestone {number} ({day:%d %b %Y}) must fall after the "
                                f"baseline date ({baseline_date:%d %b %Y}) and before the "
                                f"target date ({target_date:%d %b %Y})")
            points.append((day, _number(value, f"the value of milestone {number}")))
        points.sort(key=lambda point: point[0])
        for (earlier, _), (later, _) in zip(points, points[1:], strict=False):
            if earlier == later:
                raise RuleError(f"two milestones share the date {later:%d %b %Y}")
        object.__setattr__(self, "baseline_value",
                           _number(self.baseline_value, "the baseline value"))
        object.__setattr__(self, "target_value", _number(self.target_value, "the target value"))
        object.__setattr__(self, "milestones", tuple(points))

    @property
    def points(self) -> tuple[tuple[dt.date, float], ...]:
        """Every point in date order: baseline, milestones, target."""
        return ((self.baseline_date, self.baseline_value), *self.milestones,
                (self.target_date, self.target_value))


def expected_on(trajectory: Trajectory, day: dt.date) -> float:
    """The trajectory's value on `day`: linear between points, flat outside them."""
    day = _day(day, "the date")
    points = trajectory.points
    if day <= points[0][0]:
        return points[0][1]
    if day >= points[-1][0]:
        return points[-1][1]
    after = bisect.bisect_right([d for d, _ in points], day)  # points[after - 1][0] <= day
    (d0, v0), (d1, v1) = points[after - 1], points[after]
    if day == d0:
        return v0
    return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days


@dataclass(frozen=True)
class Status:
    kind: str  # "ahead" | "on_track" | "behind"
    expected: float  # unrounded
    difference: float  # rounded, positive = good
    reason: str


def _decimals(unit: str, decimals: int | None) -> int:
    if decimals is None:
        return 0 if unit == COUNT else 1
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise RuleError(f"decimal places must be a whole number of 0 or more, not {decimals!r}")
    return decimals


def _round(value: float, places: int) -> Decimal:
    """Half away from zero on the value as written (repr), so 38.25 -> 38.3; never -0."""
    with localcontext() as context:
        context.prec = 400  # enough digits for any float to any sensible number of places
        rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places),
                                                rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)


def _figure(number: Decimal) -> str:
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _with_unit(number: Decimal, unit: str) -> str:
    text = _figure(number)
    if unit == PERCENT:
        return f"{text}%"
    if unit == COUNT or unit in UNITLESS:
        return text
    return f"{text} {_SINGULAR.get(unit, unit) if text == '1' else unit}"


def period_label(day: dt.date) -> str:
    """'Oct 2024': the month and year, whatever the locale."""
    day = _day(day, "the date")
    return f"{_MONTHS[day.month - 1]} {day.year}"


def status(trajectory: Trajectory, actual_value: float | None, actual_date: dt.date,
           polarity: str, tolerance: float, *, unit: str, decimals: int | None = None,
           period: str | None = None) -> Status | None:
    """Ahead, on track or behind the trajectory, with the reason; see the module docstring."""
    polarity = _polarity(polarity)
    if polarity == NEITHER:
        raise RuleError("an indicator where neither higher nor lower is better cannot be "
                        "ahead of or behind a trajectory: set its polarity first")
    tolerance = _number(tolerance, "the tolerance")
    if tolerance < 0:
        raise RuleError(f"the tolerance must be 0 or more, not {tolerance!r}")
    if not isinstance(unit, str):
        raise RuleError(f"the unit must be text such as '%', 'count' or 'weeks', not {unit!r}")
    places = _decimals(unit, decimals)
    actual = _optional(actual_value, "the actual value")
    label = period_label(actual_date) if period is None else str(period)
    if actual is None:
        return None
    expected = expected_on(trajectory, actual_date)
    raw = actual - expected if polarity == HIGHER else expected - actual
    difference = _round(raw, places)
    allowed = _round(tolerance, places)
    if abs(difference) <= allowed:
        kind = ON_TRACK
    else:
        kind = AHEAD if difference > 0 else BEHIND
    how = _how(kind, difference, allowed, actual > expected, unit)
    reason = (f"{_with_unit(_round(actual, places), unit)} against a trajectory of "
              f"{_with_unit(_round(expected, places), unit)} for {label}; {how}")
    return Status(kind, expected, float(difference), reason)


def _how(kind: str, difference: Decimal, tolerance: Decimal, above: bool, unit: str) -> str:
    if not difference:
        return "on the trajectory"
    size = abs(difference)
    if unit == COUNT:
        amount = f"{_figure(size)} {'more' if above else 'fewer'} than planned"
    else:
        amount = f"{_difference(size, unit)} {'ahead' if difference > 0 else 'behind'}"
    if kind != ON_TRACK:
        return amount
    return f"{amount}, within the tolerance of {_difference(tolerance, unit)}"


def _difference(size: Decimal, unit: str) -> str:
    """A difference with its unit: percentages differ by points."""
    return _with_unit(size, "points" if unit == PERCENT else unit)
