"""A forecast of a calendar year's statutory EHC timeliness from the case events as they stand
on an as-of date. Pure Python, no Django; it takes the plain records of
`lapis.cases.timeliness` and uses that module's rules (its limits and its `timeliness()` for
what has already happened), never its own version of them.

The method, in words a programme manager can check
- What has happened counts as it is. The figures "so far" are exactly what
  `timeliness.timeliness()` gives for the year on the as-of date: plans already issued, requests
  already decided, review decisions already made. An issued plan is never forecast again.
- Every case still open on the as-of date is projected from this partnership's own recent
  cases: those whose stage ended in the 365 days up to the as-of date (the "track record").
  The stages are: request to decision whether to assess (timed from receipt); the
  assessment, to its end (plan issued, notice not to issue, or withdrawn), timed like the 20
  weeks from the receipt of the request, since the statutory clock and the service's own
  pace run from there; review meeting to review decision. SEN2 records no draft plan date,
  so decision to draft and draft to final are one stage here.
- A case's age is taken into account: an assessment 100 days after its request came in is
  projected only from past assessments that also took more than 100 days from receipt (a
  request undecided on day 30, from past requests decided after day 30; a review, from past
  reviews). Every such past case is one equally likely outcome for it (the date it would
  end, and how). A request not yet decided is projected through both stages: each past
  request that took longer than it, followed by each past assessment that ended after that
  decision. If no past case took as long, a request or review is taken to be decided late,
  and an assessment not to end in the year (it has outlasted every recent case).
- Some requests are never decided. A request still undecided 26 weeks after it came in is
  taken never to be decided (late for the 6 weeks, no plan): each such request, among those
  received in a year-long span ending 26 weeks before the as-of date, joins the track record
  as one outcome "never decided".
- A case already past its limit counts as missed whatever happens next: a plan issued after
  day 140 is late, so such a case can never be within. (For the 20 weeks a case only enters
  the year's rate if its plan is issued in the year: an old case still open on 31 December
  counts in the year its plan is issued.)
- Requests and review meetings still to come in the year are expected at the rate of the same
  calendar month a year earlier (a request in October is expected as often as requests came
  in last October), each projected like a new case.
- Expected rate: the expected number within divided by the expected number counted (so far
  plus the open and future cases' chances). Every case's chances are worked out exactly from
  the track record, so the expected rate can be checked by hand.
- The 80% interval: 2,000 simulated years (seeded, so the same data gives the same answer).
  In each, every open case ends one way or the other with its chances, and the number of
  new cases within and late are drawn as Poisson counts with their expected numbers. (With
  more than 100 open cases, their total within and counted is drawn at once from the normal
  distribution with the same average and spread, which that many cases follow closely: this
  keeps a large LA's forecast to a second.) The low
  and high ends are the 10th and 90th percentiles of the simulated rates: in 8 years out of
  10 the year's rate should fall between them, if the coming months behave like the last
  twelve. The interval does not allow for a service getting faster or slower than its own
  last year, which is why `lapis forecast_backtest` reports how often it did hold.
- `open_cases` counts the open cases with some chance of counting in the year's rate (a case
  whose plan cannot be issued by 31 December, or whose only likely outcome is an exception,
  is left out of it). `cases` is the number of cases the rate rests on: counted so far, plus
  those open cases, plus the expected number still to come (rounded).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from lapis.cases import timeliness as t

LOOKBACK_DAYS = 365
STUCK_DAYS = 182  # a request undecided this long after receipt is taken never to be decided
DRAWS = 2000
EXACT_UP_TO = 100  # open cases simulated one by one; more are summed as a normal
SEED = 16
INTERVAL = (0.10, 0.90)
RULES = ("twenty_week", "twenty_week_ex", "six_week", "review_decisions")
_FAR = 10 ** 7  # a duration that never ends in the year


@dataclass(frozen=True)
class Chance:
    """One projected case: the chance it counts in the year and is within, or is late."""

    case: str
    within: float
    late: float


@dataclass
class _Rule:
    within_so_far: int = 0
    counted_so_far: int = 0
    open: list | None = None
    future_within: float = 0.0
    future_late: float = 0.0

    def __post_init__(self):
        self.open = [] if self.open is None else self.open


def _days(a: date, b: date) -> int:
    return b.toordinal() - a.toordinal()


# --- the track record ----------------------------------------------------------------------

@dataclass(frozen=True)
class TrackRecord:
    """The recent stage durations (days) the forecast draws on.

    `requests`: (days to decision or withdrawal, outcome Y/N/W), sorted by days, and
    (`_FAR`, "A") for each request received in the `lookback` days up to `STUCK_DAYS` before
    the as-of date and still undecided on it;
    `assessments`: (days from the request's receipt to the assessment's outcome, outcome
    Y/N/W, week20), for requests decided Y;
    `reviews`: days from meeting to decision (`_FAR` when none was made by day 28 + as-of).
    """

    requests: tuple
    assessments: tuple
    reviews: tuple
    issued_days: tuple  # sorted days to issue of the assessments with outcome Y
    issued_days_ex: tuple  # the same without the Week20 exceptions

    def __post_init__(self):
        object.__setattr__(self, "request_days", tuple(d for d, _ in self.requests))
        object.__setattr__(self, "assessment_days", tuple(d for d, _, _ in self.assessments))
        # the decisions to assess by duration: (days, how many), so that a request is
        # projected once per distinct duration rather than once per past case
        yes: dict[int, int] = {}
        for days, outcome in self.requests:
            if outcome == "Y":
                yes[days] = yes.get(days, 0) + 1
        object.__setattr__(self, "yes_days", tuple(sorted(yes.items())))
        object.__setattr__(self, "yes_keys", tuple(days for days, _ in self.yes_days))


def track_record(requests: Sequence[t.Request], assessments: Sequence[t.Assessment],
                 reviews: Sequence[t.Review], *, as_of: date,
                 lookback: int = LOOKBACK_DAYS) -> TrackRecord:
    """The stages that ended in the `lookback` days up to and including the as-of date."""
    first = as_of - timedelta(days=lookback - 1)
    received_on = {}
    req_pool = []
    stuck_last = as_of - timedelta(days=STUCK_DAYS)
    stuck_first = stuck_last - timedelta(days=lookback - 1)
    for req in requests:
        if req.outcome == "Y" and req.outcome_date is not None and req.outcome_date <= as_of:
            received_on[req.id] = req.received
        when = req.outcome_date
        if (req.outcome in ("Y", "N", "W") and when is not None and first <= when <= as_of
                and req.received <= when):
            req_pool.append((_days(req.received, when), req.outcome))
        elif (stuck_first <= req.received <= stuck_last
              and not (when is not None and when <= as_of
                       and req.outcome in ("Y", "N", "W"))
              and not (req.outcome == "W" and when is None)):
            req_pool.append((_FAR, "A"))  # still undecided 26 weeks on: never decided
    asmt_pool = []
    for asmt in assessments:
        when, received = asmt.outcome_date, received_on.get(asmt.request_id)
        if (asmt.outcome in ("Y", "N", "W") and when is not None and received is not None
                and first <= when <= as_of):
            asmt_pool.append((max(0, _days(received, when)), asmt.outcome, asmt.week20))
    review_pool = []
    limit = t.REVIEW_DECISION_DAYS
    for rev in reviews:
        # meetings whose 4 weeks have run out by the as-of date: their outcome is known
        if first <= rev.meeting + timedelta(days=limit) <= as_of:
            done = rev.decision_date
            review_pool.append(_days(rev.meeting, done) if done is not None and done <= as_of
                               else _FAR)
    req_pool.sort()
    asmt_pool.sort()
    review_pool.sort()
    return TrackRecord(
        tuple(req_pool), tuple(asmt_pool), tuple(review_pool),
        tuple(d for d, outcome, _ in asmt_pool if outcome == "Y"),
        tuple(d for d, outcome, week20 in asmt_pool if outcome == "Y" and not week20))


def _longer_than(pool: Sequence, days: Sequence[int], age: int) -> Sequence:
    """The past cases that took longer than `age` days (`days`: the pool's sorted durations)."""
    return pool[bisect_right(days, age):]


def _between(sorted_days: Sequence[int], low: int, high: int) -> int:
    """How many durations lie in [low, high]."""
    if high < low:
        return 0
    return bisect_right(sorted_days, high) - bisect_right(sorted_days, low - 1)


# --- chances of one case -------------------------------------------------------------------

def _assessment_chance(record: TrackRecord, *, received: int, age: int, start: int, end: int,
                       ex: bool) -> tuple[float, float]:
    """(within, late) for a case decided Y, received on `received` (ordinal) `age` days ago;
    counted when the plan is issued between start and end (ordinals)."""
    pool = _longer_than(record.assessments, record.assessment_days, age)
    if not pool:
        return 0.0, 0.0
    within = late = 0
    deadline = received + t.TWENTY_WEEKS
    for days, outcome, week20 in pool:
        if outcome != "Y" or (ex and week20):
            continue
        issued = received + days
        if start <= issued <= end:
            if issued <= deadline:
                within += 1
            else:
                late += 1
    return within / len(pool), late / len(pool)


def _request_twenty_chance(record: TrackRecord, *, received: int, age: int, start: int,
                           end: int, ex: bool) -> tuple[float, float]:
    """(within, late) for the 20 weeks of a request not yet decided, `age` days old: each past
    request that took longer, then each past assessment that ended after that decision."""
    longer = len(record.requests) - bisect_right(record.request_days, age)
    issued = record.issued_days_ex if ex else record.issued_days
    if not longer:
        return 0.0, 0.0
    within = late = 0.0
    yes_days, all_days = record.yes_days, record.assessment_days
    first, last = start - received, end - received  # days from receipt counted in the year
    for index in range(bisect_right(record.yes_keys, age), len(yes_days)):
        decided, count = yes_days[index]
        after = len(all_days) - bisect_right(all_days, decided)
        if not after:
            continue
        low = max(first, decided + 1)
        within += count * _between(issued, low, min(last, t.TWENTY_WEEKS)) / after
        late += count * _between(issued, max(low, t.TWENTY_WEEKS + 1), last) / after
    return within / longer, late / longer


def _six_week_chance(record: TrackRecord, *, age: int) -> tuple[float, float]:
    pool = _longer_than(record.requests, record.request_days, age)
    if not pool:
        return 0.0, 1.0
    within = sum(1 for days, outcome in pool if outcome != "W" and days <= t.SIX_WEEKS)
    late = sum(1 for days, outcome in pool if outcome != "W" and days > t.SIX_WEEKS)
    return within / len(pool), late / len(pool)


def _review_chance(record: TrackRecord, *, age: int) -> tuple[float, float]:
    pool = _longer_than(record.reviews, record.reviews, age)
    if not pool:
        return 0.0, 1.0
    within = sum(1 for days in pool if days <= t.REVIEW_DECISION_DAYS)
    return within / len(pool), (len(pool) - within) / len(pool)


# --- the open caseload and the cases to come -----------------------------------------------

def _arrivals(dates: Iterable[date], first: date, last: date, as_of: date) -> list[float]:
    """Expected arrivals on each day from `first` to `last`: the number that arrived in the
    same calendar month a year earlier, spread evenly over that month's days (only dates on or
    before the as-of date are looked at)."""
    counts: dict[tuple[int, int], int] = {}
    for day in dates:
        if day <= as_of:
            counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + 1
    out = []
    day = first
    while day <= last:
        before = date(day.year - 1, day.month, 1)
        if t.add_months(before, 1) - timedelta(days=1) > as_of:
            out.append(0.0)  # that month is not over on the as-of date: nothing to go on
        else:
            length = (t.add_months(before, 1) - before).days
            out.append(counts.get((before.year, before.month), 0) / length)
        day += timedelta(days=1)
    return out


def _project(requests, assessments, reviews, record, *, start: date, end: date,
             as_of: date) -> dict[str, _Rule]:
    s, e, a = start.toordinal(), end.toordinal(), as_of.toordinal()
    rules = {name: _Rule() for name in RULES}
    asmt_by_request = {asmt.request_id: asmt for asmt in assessments}
    for req in requests:
        received = req.received.toordinal()
        if received > a:
            continue
        outcome, when = req.outcome, req.outcome_date
        done = None if when is None else when.toordinal()
        if outcome == "W" and (done is None or done <= a):
            continue
        age = a - received
        if outcome in t.DECISIONS and done is not None and done <= a:
            if outcome == "N":
                continue
            asmt = asmt_by_request.get(req.id)
            if asmt is not None and asmt.outcome in ("Y", "N", "W"):
                ended = asmt.outcome_date
                if asmt.outcome == "W" and (ended is None or ended <= as_of):
                    continue
                if ended is not None and ended <= as_of:
                    continue  # an issued plan (or a notice) counts as it is
            for name, ex in (("twenty_week", False), ("twenty_week_ex", True)):
                chance = _assessment_chance(record, received=received, age=age,
                                            start=max(s, a + 1), end=e, ex=ex)
                rules[name].open.append(Chance(req.id, *chance))
            continue
        for name, ex in (("twenty_week", False), ("twenty_week_ex", True)):
            chance = _request_twenty_chance(record, received=received, age=age,
                                            start=max(s, a + 1), end=e, ex=ex)
            rules[name].open.append(Chance(req.id, *chance))
        if s <= received <= e and age <= t.SIX_WEEKS:
            rules["six_week"].open.append(Chance(req.id, *_six_week_chance(record, age=age)))
    for rev in reviews:
        meeting = rev.meeting.toordinal()
        decided = rev.decision_date
        if s <= meeting <= e and meeting <= a and (decided is None or decided > as_of):
            age = a - meeting
            if age <= t.REVIEW_DECISION_DAYS:
                rules["review_decisions"].open.append(
                    Chance(rev.key, *_review_chance(record, age=age)))
    first = max(start, as_of + timedelta(days=1))
    if first <= end:
        per_day = _arrivals((req.received for req in requests), first, end, as_of)
        new = {name: [0.0, 0.0] for name in RULES}
        six = _six_week_chance(record, age=-1)
        for offset, rate in enumerate(per_day):
            if not rate:
                continue
            received = first.toordinal() + offset
            for name, ex in (("twenty_week", False), ("twenty_week_ex", True)):
                w, late = _request_twenty_chance(record, received=received, age=-1,
                                                 start=received, end=e, ex=ex)
                new[name][0] += rate * w
                new[name][1] += rate * late
            new["six_week"][0] += rate * six[0]
            new["six_week"][1] += rate * six[1]
        review = _review_chance(record, age=-1)
        for rate in _arrivals((rev.meeting for rev in reviews), first, end, as_of):
            new["review_decisions"][0] += rate * review[0]
            new["review_decisions"][1] += rate * review[1]
        for name, (w, late) in new.items():
            rules[name].future_within, rules[name].future_late = w, late
    return rules


# --- the simulation ------------------------------------------------------------------------

def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count: exact (by inversion) up to a mean of 30, normal beyond."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile of sorted values."""
    rank = max(1, math.ceil(q * len(values)))
    return values[rank - 1]


def _open_sum(cases: list[tuple[float, float]]):
    """A drawer of (within, counted) summed over the open cases: case by case up to
    EXACT_UP_TO cases; beyond, from the normal distribution with the same means, variances
    and covariance (the sum of that many independent cases is very nearly normal)."""
    if len(cases) <= EXACT_UP_TO:
        def exact(rng: random.Random) -> tuple[float, float]:
            within = counted = 0
            for p_within, p_counted in cases:
                u = rng.random()
                if u < p_counted:
                    counted += 1
                    within += u < p_within
            return within, counted
        return exact
    mean_w = sum(w for w, _ in cases)
    mean_c = sum(c for _, c in cases)
    var_w = sum(w * (1 - w) for w, _ in cases)
    var_c = sum(c * (1 - c) for _, c in cases)
    cov = sum(w * (1 - c) for w, c in cases)  # "within" is part of "counted"
    sd_w = math.sqrt(var_w)
    load = cov / sd_w if sd_w else 0.0
    rest = math.sqrt(max(0.0, var_c - load * load))

    def normal(rng: random.Random) -> tuple[float, float]:
        z1, z2 = rng.gauss(0, 1), rng.gauss(0, 1)
        counted = min(len(cases), max(0.0, mean_c + load * z1 + rest * z2))
        return min(counted, max(0.0, mean_w + sd_w * z1)), counted
    return normal


def _interval(rule: _Rule, rng: random.Random, draws: int) -> tuple[float | None, float | None]:
    draw = _open_sum([(c.within, c.within + c.late) for c in rule.open
                      if c.within + c.late > 0])
    rates = []
    for _ in range(draws):
        within, counted = draw(rng)
        within += rule.within_so_far
        counted += rule.counted_so_far
        w, late = _poisson(rng, rule.future_within), _poisson(rng, rule.future_late)
        within, counted = within + w, counted + w + late
        if counted:
            rates.append(100.0 * within / counted)
    if not rates:
        return None, None
    rates.sort()
    return (round(_percentile(rates, INTERVAL[0]), 1), round(_percentile(rates, INTERVAL[1]), 1))


def _rounded(value: float | None) -> float | None:
    """One decimal place, half away from zero, as `timeliness.rate` rounds."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def forecast(requests: Iterable[t.Request], assessments: Iterable[t.Assessment],
             plans: Iterable[t.Plan], reviews: Iterable[t.Review], *, year: int,
             as_of: date, draws: int = DRAWS, seed: int = SEED,
             lookback: int = LOOKBACK_DAYS) -> dict:
    """The calendar year's expected rates with an 80% interval, as of a date.

    Returns {"period", "as_of", "method", "track_record", "twenty_week", "twenty_week_ex",
    "six_week", "review_decisions"}; each rule is {"expected", "low", "high" (percent, None
    when nothing is counted), "issued_so_far" (cases counted so far: plans issued for the 20
    weeks, requests decided for 6 weeks, review decisions due), "within_so_far",
    "open_cases" (open cases with a chance of counting in the year's rate), "expected_within",
    "expected_counted", "still_to_come", "cases", "open" (those cases: {"case", "within",
    "late"}, their chances)}.
    """
    requests, assessments = list(requests), list(assessments)
    plans, reviews = list(plans), list(reviews)
    start, end = date(year, 1, 1), date(year, 12, 31)
    so_far = (t.timeliness(requests, assessments, plans, reviews, start=start, end=end,
                           as_of=as_of) if as_of >= start
              else t.timeliness([], [], [], [], start=start, end=end, as_of=start))
    record = track_record(requests, assessments, reviews, as_of=as_of, lookback=lookback)
    rules = _project(requests, assessments, reviews, record, start=start, end=end, as_of=as_of)
    twenty = so_far["twenty_week"]
    counted = {"twenty_week": (twenty["within"], twenty["issued"]),
               "twenty_week_ex": (twenty["within_ex"], twenty["issued_ex"]),
               "six_week": (so_far["six_week"]["within"], so_far["six_week"]["decided"]),
               "review_decisions": (so_far["review_decisions"]["within"],
                                    so_far["review_decisions"]["decided"])}
    rng = random.Random(seed)
    out = {"period": {"start": start.isoformat(), "end": end.isoformat()},
           "as_of": as_of.isoformat(), "method": __doc__.split("\n\n", 1)[1].strip(),
           "track_record": {"requests": len(record.requests),
                            "assessments": len(record.assessments),
                            "reviews": len(record.reviews), "lookback_days": lookback}}
    for name in RULES:
        rule = rules[name]
        rule.within_so_far, rule.counted_so_far = counted[name]
        live = [c for c in rule.open if c.within + c.late > 0]
        e_within = rule.within_so_far + sum(c.within for c in live) + rule.future_within
        e_counted = (rule.counted_so_far + sum(c.within + c.late for c in live)
                     + rule.future_within + rule.future_late)
        expected = 100.0 * e_within / e_counted if e_counted > 1e-12 else None
        low, high = _interval(rule, rng, draws)
        if not live and not (rule.future_within + rule.future_late) and rule.counted_so_far:
            low = high = t.rate(rule.within_so_far, rule.counted_so_far)
            expected = low
        to_come = rule.future_within + rule.future_late
        out[name] = {
            "expected": _rounded(expected), "low": low, "high": high,
            "issued_so_far": rule.counted_so_far, "within_so_far": rule.within_so_far,
            "open_cases": len(live),
            "expected_within": round(e_within, 4), "expected_counted": round(e_counted, 4),
            "still_to_come": round(to_come, 4),
            "cases": rule.counted_so_far + len(live) + round(to_come),
            "open": [{"case": c.case, "within": round(c.within, 4), "late": round(c.late, 4)}
                     for c in sorted(live, key=lambda c: c.case)],
        }
    return out


def actual(requests, assessments, plans, reviews, *, year: int) -> dict[str, float | None]:
    """The year's final rates by `timeliness()`, as of the end of the following year."""
    result = t.timeliness(requests, assessments, plans, reviews, start=date(year, 1, 1),
                          end=date(year, 12, 31), as_of=date(year + 1, 12, 31))
    return {"twenty_week": result["twenty_week"]["rate"],
            "twenty_week_ex": result["twenty_week"]["rate_ex"],
            "six_week": result["six_week"]["rate"],
            "review_decisions": result["review_decisions"]["rate"]}


def backtest(requests, assessments, plans, reviews, *, years: Iterable[int],
             draws: int = DRAWS) -> dict:
    """Forecasts as of the 1st of each month of each year, against the year's actual.

    Returns {"years", "forecasts": [{"year", "as_of", rule: {"expected", "low", "high",
    "actual"}}], rule: {"forecasts", "mae" (mean absolute error in points), "coverage"
    (percent of forecasts whose 80% interval held the actual)}}.
    """
    requests, assessments = list(requests), list(assessments)
    plans, reviews = list(plans), list(reviews)
    years = sorted(years)
    rows = []
    errors = {name: [] for name in RULES}
    inside = {name: 0 for name in RULES}
    for year in years:
        final = actual(requests, assessments, plans, reviews, year=year)
        for month in range(1, 13):
            as_of = date(year, month, 1)
            result = forecast(requests, assessments, plans, reviews, year=year, as_of=as_of,
                              draws=draws)
            row = {"year": year, "as_of": as_of.isoformat()}
            for name in RULES:
                got, truth = result[name], final[name]
                row[name] = {"expected": got["expected"], "low": got["low"],
                             "high": got["high"], "actual": truth}
                if got["expected"] is not None and truth is not None:
                    errors[name].append(abs(got["expected"] - truth))
                    inside[name] += got["low"] <= truth <= got["high"]
            rows.append(row)
    out = {"years": years, "forecasts": rows}
    for name in RULES:
        n = len(errors[name])
        out[name] = {"forecasts": n,
                     "mae": round(sum(errors[name]) / n, 1) if n else None,
                     "coverage": t.rate(inside[name], n)}
    return out
