"""Statutory EHC timeliness from case events. Pure Python, no Django.

The inputs are plain records in the shape of the DfE SEN2 person-level return (`Request`,
`Assessment`, `Plan`, `Review`, and for breakdowns `Person` and `Need`). The outputs are plain
dicts ready to serialise as JSON: `timeliness()` for a reporting period, `breakdown()` for the
same figures by month, quarter, primary need or age, `phase_transfers()` for the phase-transfer
deadline, and `at_risk()` for the live caseload on one day.

Counting days
- Day 0 is the date the request was received (for review rules: the date of the review meeting;
  for amended plans: the date of the amendment notice). Days are calendar days.
- "Within N weeks" means on or before day 7N. The limits: decision whether to assess, 6 weeks
  (day 42); notice not to issue a plan after assessment, 16 weeks (day 112); final plan,
  20 weeks (day 140); review decision, 4 weeks (day 28 after the meeting); final amended
  plan, 8 weeks (day 56 after the amendment notice).
- The as-of date is the day the figures are worked out on. Only what had happened by then
  counts: an event dated after the as-of date is treated as not (yet) having happened, and a
  request received after it does not exist yet. This makes a past as-of date reproduce the
  figures as they stood that day.
- A limit "has passed" on the as-of date when the as-of date is after the last day allowed
  (as-of day 43 or later for the 6-week rule): on day 42 itself a decision is still in time.

Codes (SEN2)
- RequestOutcome and AssessmentOutcome: Y = yes (decided to assess / plan issued), N = no
  (decided not to assess / notice not to issue), W = withdrawn, A and H = no outcome yet
  recorded (a blank or None outcome reads as no outcome, like A). Only Y and N with their
  outcome date are decisions: a Y or N without a date is
  treated as no decision (the import reports it). W ends the case even without a date, unless
  its date is after the as-of date.

The rules over a period (start and end inclusive)
- Decision whether to assess (`six_week`), over requests RECEIVED in the period: within =
  decision Y or N on or before day 42; late = decision after day 42, or no decision by the
  as-of date once day 42 has passed. Withdrawn requests (`withdrawn`) and undecided requests
  whose day 42 has not passed (`undecided`) are left out of the rate and counted separately;
  the top-level `withdrawn` and `undecided` figures are these.
- Final plan (`twenty_week`), over plans ISSUED in the period (AssessmentOutcome Y, dated in
  the period): within = issued on or before day 140 from the receipt of its request. Reported
  including and excluding cases with Week20 = 1 (a statutory exception), which are removed
  from both numerator and denominator of the `_ex` figures (DfE's `plans_issued_20_weeks_ex /
  plans_issued_den_ex`). An assessment whose request is not in the data cannot be timed and
  is left out.
- Notice not to issue (`sixteen_week`), over assessments with outcome N dated in the period:
  within = on or before day 112 from receipt.
- Review decisions (`review_decisions`), over review meetings in the period: within = a
  decision date on or before day 28 after the meeting; late and left-out as for the 6-week
  rule (no withdrawals).
- Final amended plans (`amended_plans`), over amendment notices dated in the period: within =
  the amended plan on or before day 56 after the notice; late and left-out likewise.
- Phase transfers (`phase_transfers()`), over review rows with a PhaseTransferDueDate whose
  deadline falls in the period. The transfer year is the calendar year of
  PhaseTransferDueDate (the date of the move, or the deadline itself if that is what was
  recorded: both give the same year). The deadline is 15 February of that year, or 31 March
  when the move is into post-16: the young person is 16 or over on 31 August of the transfer
  year (exact from the birth month, since 31 August ends a month); with no birth month known
  the 15 February deadline applies. Within = PhaseTransferFinalDate on or before the deadline;
  late and left-out as for the 6-week rule.
- Every rate is numerator / denominator as a percentage rounded to one decimal place, half
  away from zero (66.65 -> 66.7), and None when the denominator is 0.

Reviews overdue, on the as-of date
- Over plans started on or before the as-of date and not ceased on or before it.
- The last review is the latest review meeting on or before the as-of date, or the plan's
  start date if there is none (whichever of the two is later).
- The next review is due 12 calendar months after the last: the same day of the month a year
  later, or the last day of that month when the day does not exist (29 February 2024 ->
  28 February 2025). A review held on the due date is on time; the plan is overdue from the
  day after (as-of > due).
- "Due soon" (for `at_risk`) = not overdue and due within the next 30 days (due - as-of from
  0 to 30).

Breakdowns
- month / quarter: each case sits in the month or calendar quarter of the date that put it in
  the period (receipt for the 6-week rule and its withdrawn and undecided counts, issue for
  20 weeks, the notice for 16 weeks, the meeting for review decisions, the amendment notice
  for amended plans). Every month or quarter of the period is listed, empty ones too.
  Reviews overdue have no date in the period: `reviews_overdue` is None in these rows.
- need: the person's primary need, the SENType with SENTypeRank 1 (the first in alphabetical
  order if a person has more than one rank-1 need); "Unknown" when none is recorded.
- age: age in whole years at that same date, in DfE's bands (Under 5, 5 to 10, 11 to 15,
  16 to 19, 20 to 25, 26 and over), "Unknown" when no birth month is recorded. SEN2 gives only
  the month of birth, so everyone is taken to be born on the 15th of their birth month (the
  middle, which is never more than about half a month out). Reviews overdue use the age on
  the as-of date.
- Case IDs: a request's RequestID for the request and assessment rules; "PlanID:meeting date"
  (for example "PL31:2024-01-31") for the review-row rules; the PlanID for reviews overdue.

At risk, on the as-of date (`at_risk`)
- An open request: received on or before the as-of date, with no decision and no withdrawal
  by then. Its deadline is the 6-week decision (day 42).
- An open assessment: a request decided Y by the as-of date whose assessment has no outcome
  Y, N or W by then (or no assessment row yet). Its next deadline is the 16-week notice not to
  issue (day 112) until that day has passed, then the 20-week final plan (day 140).
- Days left = deadline - as-of. State: "breached" when days left < 0, "due_soon" when 0 to
  `soon_days` (14 unless told), else "on_course". An assessment past day 112 is not breached:
  a plan issued by day 140 is still in time.
- Week of the 20-week clock: week n covers days 7(n-1)+1 to 7n, day 0 counting in week 1, so
  week 6 ends on day 42 and week 20 on day 140; anything later is "over 20".

Speed: every rule is one pass over its records with dictionaries built once (requests by ID,
last review by plan, person by plan). A million requests take seconds.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

SIX_WEEKS = 42
SIXTEEN_WEEKS = 112
TWENTY_WEEKS = 140
REVIEW_DECISION_DAYS = 28
AMENDED_PLAN_DAYS = 56
REVIEW_INTERVAL_MONTHS = 12
SOON_DAYS = 14
REVIEWS_SOON_DAYS = 30

OUTCOMES = ("Y", "N", "A", "W", "H")
DECISIONS = frozenset(("Y", "N"))
REVIEW_OUTCOMES = ("maintain", "amend", "cease")
BY = ("month", "quarter", "need", "age")
STATES = ("breached", "due_soon", "on_course")
STAGES = ("request", "assessment")
AGE_BANDS = ((0, 4, "Under 5"), (5, 10, "5 to 10"), (11, 15, "11 to 15"),
             (16, 19, "16 to 19"), (20, 25, "20 to 25"))
OVER_AGE_BANDS = "26 and over"
UNKNOWN = "Unknown"
BIRTH_DAY = 15  # SEN2 gives the month of birth only: taken as the 15th
POST16_AGE = 16
PHASE_DEADLINE = (2, 15)  # 15 February of the transfer year
POST16_DEADLINE = (3, 31)  # 31 March of the transfer year, for moves into post-16

# Status of one case under a rule.
WITHIN, LATE, UNDECIDED, WITHDRAWN = 0, 1, 2, 3


class RuleError(ValueError):
    """Input the rules cannot work with (a bad period, an unknown code)."""


# --- the records ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Request:
    """SEN2 module 2: a request for an EHC needs assessment."""

    id: str
    person_id: str
    received: date
    outcome: str | None = "A"
    outcome_date: date | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    """SEN2 module 3: the assessment that followed a request (outcome Y = plan issued)."""

    request_id: str
    outcome: str | None = "A"
    outcome_date: date | None = None
    week20: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """SEN2 module 4: a named EHC plan. `request_id` is None for plans made before the data."""

    id: str
    person_id: str
    request_id: str | None
    start: date
    cease: date | None = None
    cease_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """One review of a plan: the meeting, the decision, an amendment, a phase transfer."""

    plan_id: str
    meeting: date
    decision_date: date | None = None
    outcome: str | None = None
    amendment_notice: date | None = None
    amended_plan: date | None = None
    phase_transfer_due: date | None = None
    phase_transfer_final: date | None = None

    @property
    def key(self) -> str:
        """The case ID of a review row: 'PlanID:meeting date'."""
        return f"{self.plan_id}:{self.meeting.isoformat()}"


@dataclass(frozen=True, slots=True)
class Person:
    """SEN2 module 1, pseudonymised: an ID, the month of birth (stored as its 1st), sex."""

    id: str
    birth_month: date | None = None
    sex: str | None = None


@dataclass(frozen=True, slots=True)
class Need:
    """A person's type of SEN and its rank (1 = primary need)."""

    person_id: str
    sen_type: str
    rank: int


@dataclass(frozen=True)
class Rate:
    """One rule's result: the cases within the limit over the cases counted, with their IDs.

    `numerator_ids` are the cases within the limit; `denominator_ids` every case counted
    (within and late); `undecided_ids` and `withdrawn_ids` the cases left out. All sorted.
    """

    numerator_ids: tuple[str, ...] = ()
    denominator_ids: tuple[str, ...] = ()
    undecided_ids: tuple[str, ...] = ()
    withdrawn_ids: tuple[str, ...] = ()

    @property
    def numerator(self) -> int:
        return len(self.numerator_ids)

    @property
    def denominator(self) -> int:
        return len(self.denominator_ids)

    @property
    def rate(self) -> float | None:
        return rate(self.numerator, self.denominator)

    @property
    def late_ids(self) -> tuple[str, ...]:
        within = set(self.numerator_ids)
        return tuple(i for i in self.denominator_ids if i not in within)

    def figures(self, denominator: str = "decided", numerator: str = "within",
                rate_key: str = "rate") -> dict:
        """The JSON figures: {"decided": n, "within": n, "rate": pct}."""
        return {denominator: self.denominator, numerator: self.numerator, rate_key: self.rate}

    def ids(self, *, undecided: bool = True, withdrawn: bool = False) -> dict:
        """The case IDs behind the figures, by what happened to them."""
        out = {"decided": list(self.denominator_ids), "within": list(self.numerator_ids),
               "late": list(self.late_ids)}
        if undecided:
            out["undecided"] = list(self.undecided_ids)
        if withdrawn:
            out["withdrawn"] = list(self.withdrawn_ids)
        return out


# --- small rules ---------------------------------------------------------------------------

def rate(numerator: int, denominator: int) -> float | None:
    """A percentage to one decimal place, half away from zero; None when nothing to divide."""
    if denominator == 0:
        return None
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due(last: date) -> date:
    """The date the next annual review is due: 12 calendar months after the last."""
    return add_months(last, REVIEW_INTERVAL_MONTHS)


def age_at(birth_month: date | None, day: date) -> int | None:
    """Whole years at `day` for someone born in `birth_month`, taken as born on the 15th."""
    if birth_month is None:
        return None
    return day.year - birth_month.year - ((day.month, day.day) < (birth_month.month, BIRTH_DAY))


def age_band(age: int | None) -> str:
    """DfE's age band for an age in whole years."""
    if age is None:
        return UNKNOWN
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return OVER_AGE_BANDS if age > AGE_BANDS[-1][1] else AGE_BANDS[0][2]


def is_post16_transfer(birth_month: date | None, transfer_year: int) -> bool:
    """A move into post-16: 16 or over on 31 August of the transfer year (False if unknown)."""
    if birth_month is None:
        return False
    age = transfer_year - birth_month.year - (1 if birth_month.month > 8 else 0)
    return age >= POST16_AGE


def phase_transfer_deadline(due: date, post16: bool) -> date:
    """15 February (31 March into post-16) of the calendar year of the phase transfer."""
    month, day = POST16_DEADLINE if post16 else PHASE_DEADLINE
    return date(due.year, month, day)


def clock_week(day: int) -> int:
    """The week of the statutory clock a day falls in: days 0-7 week 1, 8-14 week 2, ..."""
    return max(1, -(-day // 7))


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_key(day: date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def primary_needs(needs: Iterable[Need]) -> dict[str, str]:
    """PersonID -> SENType of rank 1 (the alphabetically first if there are several)."""
    out: dict[str, str] = {}
    for need in needs:
        if need.rank == 1:
            known = out.get(need.person_id)
            if known is None or need.sen_type < known:
                out[need.person_id] = need.sen_type
    return out


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise RuleError(f"the period ends ({end}) before it starts ({start})")


def _check_outcome(code: str | None, what: str, case: str) -> None:
    if code and code not in OUTCOMES:
        raise RuleError(f"{what} {case}: the outcome {code!r} is not one of "
                        f"{', '.join(OUTCOMES)}")


# --- grouping ------------------------------------------------------------------------------

Keyer = Callable[[date, str | None], str]


class _Tally:
    """Case IDs by status, overall and (when a keyer is given) by group."""

    __slots__ = ("lists", "groups", "keyer")

    def __init__(self, keyer: Keyer | None = None):
        self.lists: tuple[list, list, list, list] = ([], [], [], [])
        self.groups: dict[str, tuple[list, list, list, list]] = {}
        self.keyer = keyer

    def add(self, status: int, case: str, when: date, person: str | None) -> None:
        self.lists[status].append(case)
        if self.keyer is not None:
            key = self.keyer(when, person)
            group = self.groups.get(key)
            if group is None:
                group = self.groups[key] = ([], [], [], [])
            group[status].append(case)

    @staticmethod
    def rate_of(lists) -> Rate:
        within, late, undecided, withdrawn = lists
        return Rate(numerator_ids=tuple(sorted(within)),
                    denominator_ids=tuple(sorted(within + late)),
                    undecided_ids=tuple(sorted(undecided)),
                    withdrawn_ids=tuple(sorted(withdrawn)))

    def total(self) -> Rate:
        return self.rate_of(self.lists)

    def by_group(self) -> dict[str, Rate]:
        return {key: self.rate_of(lists) for key, lists in self.groups.items()}


def _clock(deadline: int, done: int | None, as_of: int) -> int:
    """WITHIN, LATE or UNDECIDED for a deadline (ordinal) and a completion (ordinal or None)."""
    if done is not None and done <= as_of:
        return WITHIN if done <= deadline else LATE
    return LATE if as_of > deadline else UNDECIDED


def _ord(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


# --- the rules over a period ---------------------------------------------------------------

def _six_week(requests: Iterable[Request], start: int, end: int, as_of: int,
              tally: _Tally) -> None:
    for req in requests:
        received = req.received.toordinal()
        if received < start or received > end or received > as_of:
            continue
        outcome = req.outcome
        when = req.outcome_date
        if outcome == "W" and (when is None or when.toordinal() <= as_of):
            status = WITHDRAWN
        elif outcome in DECISIONS and when is not None:
            status = _clock(received + SIX_WEEKS, when.toordinal(), as_of)
        else:
            if outcome not in OUTCOMES:
                _check_outcome(outcome, "request", req.id)
            status = LATE if as_of > received + SIX_WEEKS else UNDECIDED
        tally.add(status, req.id, req.received, req.person_id)


def _assessment_rules(assessments: Iterable[Assessment], received_by_request: dict,
                      person_by_request: dict, start: int, end: int, as_of: int,
                      issued: _Tally, issued_ex: _Tally, not_issued: _Tally) -> None:
    for asmt in assessments:
        outcome = asmt.outcome
        if outcome not in DECISIONS:
            if outcome not in OUTCOMES:
                _check_outcome(outcome, "assessment for request", asmt.request_id)
            continue
        when = asmt.outcome_date
        if when is None:
            continue
        done = when.toordinal()
        if done < start or done > end or done > as_of:
            continue
        received = received_by_request.get(asmt.request_id)
        if received is None:
            continue
        person = person_by_request.get(asmt.request_id)
        if outcome == "Y":
            status = WITHIN if done - received <= TWENTY_WEEKS else LATE
            issued.add(status, asmt.request_id, when, person)
            if not asmt.week20:
                issued_ex.add(status, asmt.request_id, when, person)
        else:
            status = WITHIN if done - received <= SIXTEEN_WEEKS else LATE
            not_issued.add(status, asmt.request_id, when, person)


def _review_rules(reviews: Iterable[Review], person_by_plan: dict, start: int, end: int,
                  as_of: int, decisions: _Tally, amendments: _Tally) -> None:
    for rev in reviews:
        meeting = rev.meeting.toordinal()
        if start <= meeting <= end and meeting <= as_of:
            status = _clock(meeting + REVIEW_DECISION_DAYS, _ord(rev.decision_date), as_of)
            decisions.add(status, rev.key, rev.meeting, person_by_plan.get(rev.plan_id))
        notice = rev.amendment_notice
        if notice is not None:
            sent = notice.toordinal()
            if start <= sent <= end and sent <= as_of:
                status = _clock(sent + AMENDED_PLAN_DAYS, _ord(rev.amended_plan), as_of)
                amendments.add(status, rev.key, notice, person_by_plan.get(rev.plan_id))


def _last_reviews(reviews: Iterable[Review], as_of: date) -> dict[str, date]:
    """PlanID -> the latest review meeting on or before the as-of date."""
    last: dict[str, date] = {}
    for rev in reviews:
        meeting = rev.meeting
        if meeting <= as_of:
            known = last.get(rev.plan_id)
            if known is None or meeting > known:
                last[rev.plan_id] = meeting
    return last


def _review_schedule(plans: Iterable[Plan], last_reviews: dict[str, date], as_of: date):
    """(plan, last review, due date) for every plan live on the as-of date."""
    for plan in plans:
        if plan.start > as_of or (plan.cease is not None and plan.cease <= as_of):
            continue
        last = last_reviews.get(plan.id)
        last = plan.start if last is None or last < plan.start else last
        yield plan, last, review_due(last)


def reviews_overdue(plans: Iterable[Plan], reviews: Iterable[Review], *,
                    as_of: date) -> tuple[str, ...]:
    """The sorted PlanIDs of live plans whose annual review is overdue on the as-of date."""
    last = _last_reviews(reviews, as_of)
    return tuple(sorted(plan.id for plan, _, due in _review_schedule(plans, last, as_of)
                        if as_of > due))


def phase_transfers(reviews: Iterable[Review], plans: Iterable[Plan],
                    people: Iterable[Person] = (), *, start: date, end: date,
                    as_of: date) -> Rate:
    """Phase-transfer reviews with their deadline in the period: amended by the deadline."""
    _check_period(start, end)
    person_by_plan = {plan.id: plan.person_id for plan in plans}
    birth = {person.id: person.birth_month for person in people}
    tally = _Tally()
    s, e, a = start.toordinal(), end.toordinal(), as_of.toordinal()
    for rev in reviews:
        due = rev.phase_transfer_due
        if due is None:
            continue
        post16 = is_post16_transfer(birth.get(person_by_plan.get(rev.plan_id)), due.year)
        deadline = phase_transfer_deadline(due, post16).toordinal()
        if s <= deadline <= e:
            tally.add(_clock(deadline, _ord(rev.phase_transfer_final), a), rev.key, due, None)
    return tally.total()


# --- the report ----------------------------------------------------------------------------

def _as_list(items: Iterable) -> Sequence:
    return items if isinstance(items, (list, tuple)) else list(items)


def _keyer(by: str | None, people: Iterable[Person], needs: Iterable[Need]) -> Keyer | None:
    if by is None:
        return None
    if by == "month":
        return lambda when, person: month_key(when)
    if by == "quarter":
        return lambda when, person: quarter_key(when)
    if by == "need":
        primary = primary_needs(needs)
        return lambda when, person: primary.get(person, UNKNOWN)
    if by == "age":
        birth = {p.id: p.birth_month for p in people}
        return lambda when, person: age_band(age_at(birth.get(person), when))
    raise RuleError(f"a breakdown is by {', '.join(BY)}, not {by!r}")


def _group_order(by: str, start: date, end: date, seen: set[str]) -> list[str]:
    if by in ("month", "quarter"):
        keys, day = [], date(start.year, start.month, 1)
        key_of = month_key if by == "month" else quarter_key
        while day <= end:
            if not keys or keys[-1] != key_of(day):
                keys.append(key_of(day))
            day = add_months(day, 1)
        return keys
    if by == "age":
        order = [label for _, _, label in AGE_BANDS] + [OVER_AGE_BANDS, UNKNOWN]
        return [label for label in order if label in seen]
    return sorted(seen - {UNKNOWN}) + ([UNKNOWN] if UNKNOWN in seen else [])


def _compute(requests, assessments, plans, reviews, *, start, end, as_of, by, people, needs):
    _check_period(start, end)
    requests, plans = _as_list(requests), _as_list(plans)
    reviews, people = _as_list(reviews), _as_list(people)
    keyer = _keyer(by, people, needs)
    s, e, a = start.toordinal(), end.toordinal(), as_of.toordinal()

    six = _Tally(keyer)
    _six_week(requests, s, e, a, six)

    received_by_request = {req.id: req.received.toordinal() for req in requests
                           if req.received <= as_of}
    person_by_request = ({req.id: req.person_id for req in requests}
                         if by in ("need", "age") else {})
    issued, issued_ex, not_issued = _Tally(keyer), _Tally(keyer), _Tally(keyer)
    _assessment_rules(assessments, received_by_request, person_by_request, s, e, a,
                      issued, issued_ex, not_issued)

    person_by_plan = ({plan.id: plan.person_id for plan in plans}
                      if by in ("need", "age") else {})
    decisions, amendments = _Tally(keyer), _Tally(keyer)
    _review_rules(reviews, person_by_plan, s, e, a, decisions, amendments)

    last = _last_reviews(reviews, as_of)
    overdue = _Tally(keyer if by in ("need", "age") else None)
    for plan, _, due in _review_schedule(plans, last, as_of):
        if as_of > due:
            overdue.add(WITHIN, plan.id, as_of, plan.person_id)
    tallies = {"six_week": six, "twenty_week": issued, "twenty_week_ex": issued_ex,
               "sixteen_week": not_issued, "review_decisions": decisions,
               "amended_plans": amendments, "reviews_overdue": overdue}
    return tallies


def _figures(rates: dict[str, Rate], overdue: int | None) -> dict:
    six, issued, issued_ex = rates["six_week"], rates["twenty_week"], rates["twenty_week_ex"]
    return {
        "six_week": six.figures(),
        "twenty_week": {**issued.figures("issued"),
                        **issued_ex.figures("issued_ex", "within_ex", "rate_ex")},
        "sixteen_week": rates["sixteen_week"].figures(),
        "review_decisions": rates["review_decisions"].figures(),
        "amended_plans": rates["amended_plans"].figures(),
        "reviews_overdue": overdue,
        "withdrawn": len(six.withdrawn_ids),
        "undecided": len(six.undecided_ids),
    }


def _breakdown_rows(tallies: dict[str, _Tally], by: str, start: date, end: date) -> list[dict]:
    grouped = {name: tally.by_group() for name, tally in tallies.items()}
    seen = set().union(*(groups.keys() for groups in grouped.values()))
    empty = Rate()
    rows = []
    for key in _group_order(by, start, end, seen):
        rates = {name: groups.get(key, empty) for name, groups in grouped.items()}
        overdue = rates["reviews_overdue"].numerator if by in ("need", "age") else None
        rows.append({"group": key, **_figures(rates, overdue)})
    return rows


def timeliness(requests: Iterable[Request], assessments: Iterable[Assessment],
               plans: Iterable[Plan], reviews: Iterable[Review], *, start: date, end: date,
               as_of: date, by: str | None = None, people: Iterable[Person] = (),
               needs: Iterable[Need] = ()) -> dict:
    """Every statutory timeliness figure for the period, in the issue's JSON shape.

    Returns {"period", "six_week", "twenty_week", "sixteen_week", "review_decisions",
    "amended_plans", "reviews_overdue", "withdrawn", "undecided", "breakdown", "cases"}, where
    "cases" holds the sorted case IDs behind every figure. `breakdown` is [] unless `by` is
    given (month, quarter, need or age; need and age use `needs` and `people`).
    """
    tallies = _compute(requests, assessments, plans, reviews, start=start, end=end,
                       as_of=as_of, by=by, people=people, needs=needs)
    rates = {name: tally.total() for name, tally in tallies.items()}
    overdue = rates["reviews_overdue"].numerator_ids
    issued, issued_ex = rates["twenty_week"], rates["twenty_week_ex"]
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(),
                   "as_of": as_of.isoformat()},
        **_figures(rates, len(overdue)),
        "breakdown": _breakdown_rows(tallies, by, start, end) if by else [],
        "cases": {
            "six_week": rates["six_week"].ids(withdrawn=True),
            "twenty_week": {"issued": list(issued.denominator_ids),
                            "within": list(issued.numerator_ids),
                            "late": list(issued.late_ids),
                            "issued_ex": list(issued_ex.denominator_ids),
                            "within_ex": list(issued_ex.numerator_ids)},
            "sixteen_week": rates["sixteen_week"].ids(undecided=False),
            "review_decisions": rates["review_decisions"].ids(),
            "amended_plans": rates["amended_plans"].ids(),
            "reviews_overdue": list(overdue),
        },
    }


def breakdown(by: str, requests: Iterable[Request], assessments: Iterable[Assessment],
              plans: Iterable[Plan], reviews: Iterable[Review], *, start: date, end: date,
              as_of: date, people: Iterable[Person] = (), needs: Iterable[Need] = ()
              ) -> list[dict]:
    """The figures of `timeliness()` by month, quarter, primary need or age band: one dict per
    group, {"group": key, "six_week": {...}, ..., "reviews_overdue": n or None, ...}."""
    if by not in BY:
        raise RuleError(f"a breakdown is by {', '.join(BY)}, not {by!r}")
    tallies = _compute(requests, assessments, plans, reviews, start=start, end=end,
                       as_of=as_of, by=by, people=people, needs=needs)
    return _breakdown_rows(tallies, by, start, end)


# --- the live caseload ---------------------------------------------------------------------

@dataclass
class _Counts:
    by_stage: dict = field(default_factory=lambda: {
        stage: dict.fromkeys((*STATES, "total"), 0) for stage in STAGES})
    by_week: dict = field(default_factory=lambda: {
        week: dict.fromkeys(STAGES, 0) for week in [*range(1, 21), "over 20"]})


def _state(days_left: int, soon_days: int) -> str:
    if days_left < 0:
        return "breached"
    return "due_soon" if days_left <= soon_days else "on_course"


def at_risk(requests: Iterable[Request], assessments: Iterable[Assessment],
            reviews: Iterable[Review], plans: Iterable[Plan], *, as_of: date,
            soon_days: int = SOON_DAYS) -> dict:
    """The open caseload on the as-of date, each case with its next statutory deadline.

    Returns {"as_of", "soon_days", "open": [...], "by_stage": {...}, "by_week": [...],
    "reviews_overdue": [...], "reviews_due_soon": [...]}. Each open case is {"case" (the
    RequestID), "person_id", "stage" ("request" or "assessment"), "received", "day" (days
    since receipt), "week" (of the 20-week clock), "rule" ("six_week", "sixteen_week" or
    "twenty_week"), "deadline", "days_left", "state"}; open cases are sorted by days left,
    then case. Dates are ISO strings.
    """
    a = as_of.toordinal()
    assessment_by_request = {asmt.request_id: asmt for asmt in assessments}
    counts = _Counts()
    rows = []
    for req in requests:
        received = req.received.toordinal()
        if received > a:
            continue
        outcome, when = req.outcome, req.outcome_date
        done = None if when is None else when.toordinal()
        if outcome == "W" and (done is None or done <= a):
            continue
        if outcome in DECISIONS and done is not None and done <= a:
            if outcome == "N":
                continue
            asmt = assessment_by_request.get(req.id)
            if asmt is not None:
                ended = asmt.outcome_date
                if asmt.outcome == "W" and (ended is None or ended <= as_of):
                    continue
                if asmt.outcome in DECISIONS and ended is not None and ended <= as_of:
                    continue
            stage = "assessment"
            if a <= received + SIXTEEN_WEEKS:
                rule, deadline = "sixteen_week", received + SIXTEEN_WEEKS
            else:
                rule, deadline = "twenty_week", received + TWENTY_WEEKS
        else:
            if outcome not in OUTCOMES:
                _check_outcome(outcome, "request", req.id)
            stage, rule, deadline = "request", "six_week", received + SIX_WEEKS
        day = a - received
        week = clock_week(day)
        days_left = deadline - a
        state = _state(days_left, soon_days)
        counts.by_stage[stage][state] += 1
        counts.by_stage[stage]["total"] += 1
        counts.by_week[week if week <= 20 else "over 20"][stage] += 1
        rows.append({"case": req.id, "person_id": req.person_id, "stage": stage,
                     "received": req.received.isoformat(), "day": day, "week": week,
                     "rule": rule, "deadline": date.fromordinal(deadline).isoformat(),
                     "days_left": days_left, "state": state})
    rows.sort(key=lambda row: (row["days_left"], row["case"]))

    overdue, due_soon = [], []
    for plan, last, due in _review_schedule(plans, _last_reviews(reviews, as_of), as_of):
        days_left = (due - as_of).days
        row = {"plan_id": plan.id, "person_id": plan.person_id,
               "last_review": last.isoformat(), "due": due.isoformat()}
        if days_left < 0:
            overdue.append({**row, "days_overdue": -days_left})
        elif days_left <= REVIEWS_SOON_DAYS:
            due_soon.append({**row, "days_left": days_left})
    overdue.sort(key=lambda row: (-row["days_overdue"], row["plan_id"]))
    due_soon.sort(key=lambda row: (row["days_left"], row["plan_id"]))
    return {
        "as_of": as_of.isoformat(),
        "soon_days": soon_days,
        "open": rows,
        "by_stage": counts.by_stage,
        "by_week": [{"week": str(week), **stages} for week, stages in counts.by_week.items()],
        "reviews_overdue": overdue,
        "reviews_due_soon": due_soon,
    }
