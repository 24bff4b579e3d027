"""The statutory EHC timeliness rules (pure, no database): every limit at its boundary, leap
years, exceptions, withdrawn and undecided cases, the as-of date, breakdowns, the live
caseload, and the hand-built example set in src/lapis/cases/examples with its known answers."""

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import lapis.cases
from lapis.cases import timeliness as tl
from lapis.cases.timeliness import (
    Assessment,
    Need,
    Person,
    Plan,
    Request,
    Review,
    RuleError,
)

D = dt.date
DAY = dt.timedelta(days=1)
EXAMPLES = Path(lapis.cases.__file__).parent / "examples"
LEAP_DAY = D(2024, 2, 29)

days = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))


def year_of(day):
    return {"start": D(day.year, 1, 1), "end": D(day.year, 12, 31)}


def report(requests=(), assessments=(), plans=(), reviews=(), *, start, end, as_of, **kw):
    return tl.timeliness(requests, assessments, plans, reviews, start=start, end=end,
                         as_of=as_of, **kw)


# --- the hand-built example set -------------------------------------------------------------

def _rows(name):
    with open(EXAMPLES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _date(text):
    return D.fromisoformat(text) if text else None


def load_examples():
    """The six SEN2-module CSVs, read with the csv module into the rule module's records."""
    people = [Person(r["PersonID"], D.fromisoformat(r["BirthMonth"] + "-01"), r["Sex"])
              for r in _rows("person.csv")]
    requests = [Request(r["RequestID"], r["PersonID"], _date(r["ReceivedDate"]),
                        r["RequestOutcome"], _date(r["RequestOutcomeDate"]))
                for r in _rows("requests.csv")]
    assessments = [Assessment(r["RequestID"], r["AssessmentOutcome"],
                              _date(r["AssessmentOutcomeDate"]), r["Week20"] == "1")
                   for r in _rows("assessments.csv")]
    plans = [Plan(r["PlanID"], r["PersonID"], r["RequestID"] or None, _date(r["StartDate"]),
                  _date(r["CeaseDate"]), r["CeaseReason"] or None)
             for r in _rows("named_plans.csv")]
    reviews = [Review(r["PlanID"], _date(r["ReviewMeeting"]), _date(r["ReviewDecisionDate"]),
                      r["ReviewOutcome"] or None, _date(r["AmendmentNoticeDate"]),
                      _date(r["AmendedPlanDate"]), _date(r["PhaseTransferDueDate"]),
                      _date(r["PhaseTransferFinalDate"]))
               for r in _rows("reviews.csv")]
    needs = [Need(r["PersonID"], r["SENType"], int(r["SENTypeRank"]))
             for r in _rows("sen_need.csv")]
    return {"requests": requests, "assessments": assessments, "plans": plans,
            "reviews": reviews, "people": people, "needs": needs}


def expected(marker):
    """The JSON block after `<!-- expected: marker -->` in EXPECTED.md."""
    text = (EXAMPLES / "EXPECTED.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- expected: " + re.escape(marker) + r" -->\s*```json\n(.*?)```",
                      text, re.S)
    assert found, f"EXPECTED.md has no block for {marker!r}"
    return json.loads(found.group(1))


EXAMPLE_PERIOD = {"start": D(2024, 1, 1), "end": D(2024, 12, 31), "as_of": D(2025, 1, 31)}


@pytest.fixture(scope="module")
def ex():
    return load_examples()


def test_the_example_set_has_exactly_the_issues_columns():
    columns = {
        "person.csv": ["PersonID", "BirthMonth", "Sex"],
        "requests.csv": ["RequestID", "PersonID", "ReceivedDate", "RequestSource",
                         "RequestOutcome", "RequestOutcomeDate"],
        "assessments.csv": ["RequestID", "AssessmentOutcome", "AssessmentOutcomeDate",
                            "Week20"],
        "named_plans.csv": ["PlanID", "PersonID", "RequestID", "StartDate", "CeaseDate",
                            "CeaseReason"],
        "reviews.csv": ["PlanID", "ReviewMeeting", "ReviewDecisionDate", "ReviewOutcome",
                        "AmendmentNoticeDate", "AmendedPlanDate", "PhaseTransferDueDate",
                        "PhaseTransferFinalDate"],
        "sen_need.csv": ["PersonID", "SENType", "SENTypeRank"],
    }
    for name, header in columns.items():
        with open(EXAMPLES / name, newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == header, name


def test_the_example_set_reproduces_the_hand_worked_figures(ex):
    got = report(ex["requests"], ex["assessments"], ex["plans"], ex["reviews"],
                 **EXAMPLE_PERIOD)
    assert got == expected("timeliness")


def test_the_example_set_by_quarter(ex):
    got = report(ex["requests"], ex["assessments"], ex["plans"], ex["reviews"],
                 by="quarter", **EXAMPLE_PERIOD)
    assert got["breakdown"] == expected("breakdown by quarter")
    assert tl.breakdown("quarter", ex["requests"], ex["assessments"], ex["plans"],
                        ex["reviews"], **EXAMPLE_PERIOD) == got["breakdown"]


def test_the_example_set_phase_transfers(ex):
    got = tl.phase_transfers(ex["reviews"], ex["plans"], ex["people"], **EXAMPLE_PERIOD)
    assert {"decided": list(got.denominator_ids), "within": list(got.numerator_ids),
            "late": list(got.late_ids), "rate": got.rate} == expected("phase transfers")


def test_the_example_set_at_risk(ex):
    got = tl.at_risk(ex["requests"], ex["assessments"], ex["reviews"], ex["plans"],
                     as_of=EXAMPLE_PERIOD["as_of"])
    want = expected("at risk")
    weeks = {row["week"]: {k: v for k, v in row.items() if k != "week" and v}
             for row in got.pop("by_week")}
    assert {week: counts for week, counts in weeks.items() if counts} == want.pop("by_week")
    assert list(weeks) == [str(n) for n in range(1, 21)] + ["over 20"]
    assert got == want


@pytest.mark.parametrize("by", tl.BY)
def test_example_breakdowns_add_up_to_the_totals(ex, by):
    got = report(ex["requests"], ex["assessments"], ex["plans"], ex["reviews"], by=by,
                 people=ex["people"], needs=ex["needs"], **EXAMPLE_PERIOD)
    _assert_breakdown_adds_up(got, by)


def test_the_example_by_need_and_by_age_worked_by_hand(ex):
    def row(by, group):
        got = report(ex["requests"], ex["assessments"], ex["plans"], ex["reviews"], by=by,
                     people=ex["people"], needs=ex["needs"], **EXAMPLE_PERIOD)
        return next(r for r in got["breakdown"] if r["group"] == group)

    none = {"decided": 0, "within": 0, "rate": None}
    no_plans = {"issued": 0, "within": 0, "rate": None,
                "issued_ex": 0, "within_ex": 0, "rate_ex": None}
    # SEMH as primary need (rank 1; P16 is SEMH first and ASD second): requests R04
    # (withdrawn), R06 and R10 (late), R16 and R19 (within); reviews PL34 and PL38 decided
    # within 28 days, both amended plans late; no plan issued, no notice, none overdue.
    assert row("need", "SEMH") == {
        "group": "SEMH", "six_week": {"decided": 4, "within": 2, "rate": 50.0},
        "twenty_week": no_plans, "sixteen_week": none,
        "review_decisions": {"decided": 2, "within": 2, "rate": 100.0},
        "amended_plans": {"decided": 2, "within": 0, "rate": 0.0},
        "reviews_overdue": 0, "withdrawn": 1, "undecided": 0}
    # 16 to 19, by age at the event (born on the 15th): R19 (born 2006-09, received
    # 2024-03-11: 17); PL38 (born 2007-02, meeting 2024-06-03 and notice 2024-06-24: 17).
    # P16 (born 2008-11) is 15 on 2024-09-16 and P34 (born 2008-05) 15 on 2024-03-20.
    assert row("age", "16 to 19") == {
        "group": "16 to 19", "six_week": {"decided": 1, "within": 1, "rate": 100.0},
        "twenty_week": no_plans, "sixteen_week": none,
        "review_decisions": {"decided": 1, "within": 1, "rate": 100.0},
        "amended_plans": {"decided": 1, "within": 0, "rate": 0.0},
        "reviews_overdue": 0, "withdrawn": 0, "undecided": 0}


def _assert_breakdown_adds_up(got, by):
    rows = got["breakdown"]
    for rule, keys in [("six_week", ("decided", "within")),
                       ("twenty_week", ("issued", "within", "issued_ex", "within_ex")),
                       ("sixteen_week", ("decided", "within")),
                       ("review_decisions", ("decided", "within")),
                       ("amended_plans", ("decided", "within"))]:
        for key in keys:
            assert sum(row[rule][key] for row in rows) == got[rule][key], (rule, key)
    for key in ("withdrawn", "undecided"):
        assert sum(row[key] for row in rows) == got[key]
    if by in ("need", "age"):
        assert sum(row["reviews_overdue"] for row in rows) == got["reviews_overdue"]
    else:
        assert all(row["reviews_overdue"] is None for row in rows)


# --- rates ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("num", "den", "pct"), [
    (0, 0, None), (0, 5, 0.0), (5, 5, 100.0), (2, 3, 66.7), (1, 3, 33.3), (1, 8, 12.5),
    (1, 16, 6.3),   # 6.25 rounds up, not to even
    (3, 16, 18.8),  # 18.75
    (1, 40, 2.5), (1, 80, 1.3),  # 1.25
    (1333, 2000, 66.7),  # 66.65: half away from zero
])
def test_rates_round_half_away_from_zero(num, den, pct):
    assert tl.rate(num, den) == pct


@given(st.integers(min_value=1, max_value=100_000), st.data())
def test_a_rate_is_the_nearest_tenth(den, data):
    num = data.draw(st.integers(min_value=0, max_value=den))
    pct = tl.rate(num, den)
    assert abs(pct - 100 * num / den) <= 0.05 + 1e-9
    assert pct == round(pct, 1)


# --- the 6-week decision ---------------------------------------------------------------------

def six(requests, *, as_of, **period):
    return report(requests, start=period["start"], end=period["end"], as_of=as_of)


@given(days, st.integers(min_value=0, max_value=42), st.sampled_from("YN"))
@example(LEAP_DAY, 42, "Y")
@example(D(2023, 12, 31), 42, "N")
def test_a_decision_by_day_42_is_within(received, day, outcome):
    decided = received + day * DAY
    got = six([Request("R1", "P1", received, outcome, decided)], as_of=decided + 400 * DAY,
              **year_of(received))
    assert got["six_week"] == {"decided": 1, "within": 1, "rate": 100.0}
    assert got["cases"]["six_week"]["within"] == ["R1"]


@given(days, st.integers(min_value=43, max_value=400), st.sampled_from("YN"))
@example(LEAP_DAY, 43, "Y")
def test_a_decision_after_day_42_is_late(received, day, outcome):
    decided = received + day * DAY
    got = six([Request("R1", "P1", received, outcome, decided)], as_of=decided,
              **year_of(received))
    assert got["six_week"] == {"decided": 1, "within": 0, "rate": 0.0}
    assert got["cases"]["six_week"]["late"] == ["R1"]


def test_day_42_after_a_leap_day_receipt_is_11_april():
    got = six([Request("R1", "P1", LEAP_DAY, "Y", D(2024, 4, 11)),
               Request("R2", "P2", LEAP_DAY, "Y", D(2024, 4, 12))],
              as_of=D(2024, 12, 31), **year_of(LEAP_DAY))
    assert got["cases"]["six_week"]["within"] == ["R1"]
    assert got["cases"]["six_week"]["late"] == ["R2"]


@given(days, st.integers(min_value=0, max_value=42), st.sampled_from(["A", "H", "", None]))
@example(LEAP_DAY, 42, "A")
def test_no_decision_before_day_42_has_passed_is_left_out_as_undecided(received, day, code):
    got = six([Request("R1", "P1", received, code)], as_of=received + day * DAY,
              **year_of(received))
    assert got["six_week"] == {"decided": 0, "within": 0, "rate": None}
    assert (got["undecided"], got["withdrawn"]) == (1, 0)
    assert got["cases"]["six_week"]["undecided"] == ["R1"]


@given(days, st.integers(min_value=43, max_value=2000), st.sampled_from(["A", "H", "", None]))
def test_no_decision_once_day_42_has_passed_is_late(received, day, code):
    got = six([Request("R1", "P1", received, code)], as_of=received + day * DAY,
              **year_of(received))
    assert got["six_week"] == {"decided": 1, "within": 0, "rate": 0.0}
    assert got["undecided"] == 0


@given(days, st.integers(min_value=0, max_value=41), st.integers(min_value=1, max_value=60))
def test_a_decision_dated_after_the_as_of_date_has_not_happened_yet(received, day, later):
    """As-of before the decision: the same case is undecided or late, by the as-of date."""
    as_of = received + day * DAY
    request = Request("R1", "P1", received, "Y", as_of + later * DAY)
    got = six([request], as_of=as_of, **year_of(received))
    assert got["undecided"] == 1 and got["six_week"]["decided"] == 0
    after = six([request], as_of=received + 43 * DAY + later * DAY, **year_of(received))
    assert after["six_week"]["decided"] == 1
    assert after["six_week"]["within"] == (1 if day + later <= 42 else 0)


@given(days, st.one_of(st.none(), st.integers(min_value=0, max_value=200)))
def test_withdrawn_requests_are_left_out_and_counted(received, day):
    when = None if day is None else received + day * DAY
    got = six([Request("R1", "P1", received, "W", when)], as_of=received + 300 * DAY,
              **year_of(received))
    assert got["six_week"]["decided"] == 0
    assert (got["withdrawn"], got["undecided"]) == (1, 0)
    assert got["cases"]["six_week"]["withdrawn"] == ["R1"]


def test_a_withdrawal_after_the_as_of_date_leaves_the_request_open():
    request = Request("R1", "P1", D(2024, 3, 1), "W", D(2024, 6, 1))
    assert six([request], as_of=D(2024, 3, 20), **year_of(D(2024, 1, 1)))["undecided"] == 1
    assert six([request], as_of=D(2024, 5, 1), **year_of(D(2024, 1, 1)))["six_week"] == {
        "decided": 1, "within": 0, "rate": 0.0}


@given(st.integers(min_value=2001, max_value=2098), st.integers(min_value=0, max_value=30),
       st.integers(min_value=1, max_value=42))
def test_a_request_spanning_two_years_counts_in_the_year_it_was_received(year, back, day):
    received = D(year, 12, 31) - back * DAY
    request = Request("R1", "P1", received, "Y", received + day * DAY)
    as_of = D(year + 1, 6, 30)
    assert six([request], as_of=as_of, **year_of(D(year, 1, 1)))["six_week"]["within"] == 1
    assert six([request], as_of=as_of, **year_of(D(year + 1, 1, 1)))["six_week"][
        "decided"] == 0


def test_a_request_received_after_the_as_of_date_does_not_exist_yet():
    got = six([Request("R1", "P1", D(2024, 6, 2), "A")], as_of=D(2024, 6, 1),
              **year_of(D(2024, 1, 1)))
    assert (got["six_week"]["decided"], got["undecided"], got["withdrawn"]) == (0, 0, 0)


def _naive_six_week(requests, start, end, as_of):
    """An independent reading of the rule, with timedelta weeks."""
    within, late, withdrawn, undecided = [], [], [], []
    for r in requests:
        if not start <= r.received <= end or r.received > as_of:
            continue
        known = r.outcome_date is not None and r.outcome_date <= as_of
        limit = r.received + dt.timedelta(weeks=6)
        if r.outcome == "W" and (r.outcome_date is None or known):
            withdrawn.append(r.id)
        elif r.outcome in "YN" and known:
            (within if r.outcome_date <= limit else late).append(r.id)
        elif as_of > limit:
            late.append(r.id)
        else:
            undecided.append(r.id)
    return sorted(within), sorted(within + late), sorted(withdrawn), sorted(undecided)


request_lists = st.lists(
    st.tuples(st.dates(min_value=D(2023, 6, 1), max_value=D(2025, 6, 30)),
              st.sampled_from("YNAWH"), st.one_of(st.none(), st.integers(0, 120))),
    max_size=30,
).map(lambda rows: [Request(f"R{i:02d}", f"P{i:02d}", rec, code,
                            None if day is None else rec + day * DAY)
                    for i, (rec, code, day) in enumerate(rows)])


@given(request_lists, st.dates(min_value=D(2024, 1, 1), max_value=D(2025, 12, 31)))
def test_six_week_agrees_with_a_naive_reading_of_the_rule(requests, as_of):
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    got = six(requests, as_of=as_of, start=start, end=end)
    within, decided, withdrawn, undecided = _naive_six_week(requests, start, end, as_of)
    cases = got["cases"]["six_week"]
    assert (cases["within"], cases["decided"]) == (within, decided)
    assert (cases["withdrawn"], cases["undecided"]) == (withdrawn, undecided)
    assert got["six_week"]["rate"] == tl.rate(len(within), len(decided))


# --- the 20-week plan and the 16-week notice ------------------------------------------------

def issued(received, day, *, week20=False, outcome="Y", as_of=None):
    done = received + day * DAY
    return report([Request("R1", "P1", received, "Y", received + 30 * DAY)],
                  [Assessment("R1", outcome, done, week20)], **year_of(done),
                  as_of=as_of or done + 30 * DAY)


@given(days, st.integers(min_value=43, max_value=140))
@example(LEAP_DAY, 140)
@example(D(2023, 11, 20), 140)  # issued 8 April 2024, across 29 February
def test_a_plan_issued_by_day_140_is_within(received, day):
    got = issued(received, day)["twenty_week"]
    assert got == {"issued": 1, "within": 1, "rate": 100.0,
                   "issued_ex": 1, "within_ex": 1, "rate_ex": 100.0}


@given(days, st.integers(min_value=141, max_value=1000))
@example(LEAP_DAY, 141)
def test_a_plan_issued_after_day_140_is_late(received, day):
    got = issued(received, day)["twenty_week"]
    assert got == {"issued": 1, "within": 0, "rate": 0.0,
                   "issued_ex": 1, "within_ex": 0, "rate_ex": 0.0}


@given(days, st.integers(min_value=43, max_value=400))
def test_an_exception_counts_including_and_is_removed_from_both_sides_excluding(received, day):
    got = issued(received, day, week20=True)
    assert got["twenty_week"]["issued"] == 1
    assert got["twenty_week"]["within"] == (1 if day <= 140 else 0)
    assert (got["twenty_week"]["issued_ex"], got["twenty_week"]["within_ex"]) == (0, 0)
    assert got["twenty_week"]["rate_ex"] is None
    assert got["cases"]["twenty_week"]["issued_ex"] == []


def test_exceptions_against_dfe_definitions_in_a_mix():
    received = D(2024, 1, 1)
    requests = [Request(f"R{i}", f"P{i}", received, "Y", D(2024, 2, 1)) for i in range(4)]
    assessments = [Assessment("R0", "Y", received + 140 * DAY, False),
                   Assessment("R1", "Y", received + 141 * DAY, False),
                   Assessment("R2", "Y", received + 100 * DAY, True),
                   Assessment("R3", "Y", received + 200 * DAY, True)]
    got = report(requests, assessments, start=D(2024, 1, 1), end=D(2024, 12, 31),
                 as_of=D(2025, 1, 31))["twenty_week"]
    assert got == {"issued": 4, "within": 2, "rate": 50.0,
                   "issued_ex": 2, "within_ex": 1, "rate_ex": 50.0}


@given(st.integers(min_value=2001, max_value=2098), st.integers(min_value=100, max_value=140))
def test_a_plan_counts_in_the_year_it_was_issued_not_received(year, day):
    received = D(year, 11, 1)
    got = issued(received, day)
    assert got["period"]["start"] == f"{year + 1}-01-01"
    assert got["twenty_week"]["issued"] == 1
    before = report([Request("R1", "P1", received, "Y", received + DAY)],
                    [Assessment("R1", "Y", received + day * DAY)], **year_of(received),
                    as_of=D(year + 1, 12, 31))
    assert before["twenty_week"]["issued"] == 0


def test_a_plan_issued_after_the_as_of_date_is_not_counted_and_nor_is_one_without_a_request():
    got = issued(D(2024, 1, 1), 100, as_of=D(2024, 4, 1))  # issued 10 April
    assert got["twenty_week"]["issued"] == 0
    orphan = report([], [Assessment("R9", "Y", D(2024, 5, 1))], start=D(2024, 1, 1),
                    end=D(2024, 12, 31), as_of=D(2025, 1, 31))
    assert orphan["twenty_week"]["issued"] == 0


@given(days, st.integers(min_value=43, max_value=112))
@example(LEAP_DAY, 112)
def test_a_notice_not_to_issue_by_day_112_is_within(received, day):
    got = issued(received, day, outcome="N")
    assert got["sixteen_week"] == {"decided": 1, "within": 1, "rate": 100.0}
    assert got["twenty_week"]["issued"] == 0


@given(days, st.integers(min_value=113, max_value=500))
@example(LEAP_DAY, 113)
def test_a_notice_not_to_issue_after_day_112_is_late(received, day):
    got = issued(received, day, outcome="N")
    assert got["sixteen_week"] == {"decided": 1, "within": 0, "rate": 0.0}
    assert got["cases"]["sixteen_week"]["late"] == ["R1"]


@given(days, st.sampled_from(["A", "W", "H", "", None]), st.integers(min_value=0, max_value=400))
def test_open_or_withdrawn_assessments_are_in_neither_rate(received, code, day):
    got = issued(received, day, outcome=code)
    assert got["twenty_week"]["issued"] == 0 and got["sixteen_week"]["decided"] == 0


# --- reviews: decisions in 4 weeks, amended plans in 8 ----------------------------------------

def review_report(review, as_of):
    return report([], [], [Plan(review.plan_id, "P1", None, D(2015, 1, 1))], [review],
                  **year_of(review.meeting), as_of=as_of)


@given(days, st.integers(min_value=0, max_value=28))
@example(D(2024, 1, 31), 28)  # 28 February 2024
@example(D(2024, 2, 1), 28)  # 29 February 2024
def test_a_review_decision_by_day_28_is_within(meeting, day):
    rev = Review("PL1", meeting, meeting + day * DAY, "maintain")
    got = review_report(rev, meeting + 400 * DAY)
    assert got["review_decisions"] == {"decided": 1, "within": 1, "rate": 100.0}
    assert got["cases"]["review_decisions"]["within"] == [f"PL1:{meeting.isoformat()}"]


@given(days, st.integers(min_value=29, max_value=400))
@example(D(2024, 1, 31), 29)
def test_a_review_decision_after_day_28_is_late(meeting, day):
    rev = Review("PL1", meeting, meeting + day * DAY, "amend")
    assert review_report(rev, meeting + day * DAY)["review_decisions"] == {
        "decided": 1, "within": 0, "rate": 0.0}


@given(days, st.integers(min_value=0, max_value=100))
def test_no_review_decision_is_undecided_until_day_28_then_late(meeting, day):
    got = review_report(Review("PL1", meeting), meeting + day * DAY)
    cases = got["cases"]["review_decisions"]
    if day <= 28:
        assert got["review_decisions"]["decided"] == 0 and cases["undecided"] == [
            f"PL1:{meeting.isoformat()}"]
    else:
        assert got["review_decisions"] == {"decided": 1, "within": 0, "rate": 0.0}
        assert cases["undecided"] == []


@given(days, st.integers(min_value=0, max_value=120))
@example(LEAP_DAY, 56)
@example(LEAP_DAY, 57)
def test_a_final_amended_plan_within_56_days_of_the_notice(notice, day):
    rev = Review("PL1", notice - 10 * DAY, notice, "amend", notice, notice + day * DAY)
    got = report([], [], [], [rev], **year_of(notice), as_of=notice + 200 * DAY)
    assert got["amended_plans"] == {"decided": 1, "within": int(day <= 56),
                                    "rate": 100.0 if day <= 56 else 0.0}


@given(days, st.integers(min_value=0, max_value=120))
def test_no_amended_plan_is_undecided_until_day_56_then_late(notice, day):
    rev = Review("PL1", notice - 10 * DAY, notice, "amend", notice)
    got = report([], [], [], [rev], **year_of(notice), as_of=notice + day * DAY)
    assert got["amended_plans"]["decided"] == (0 if day <= 56 else 1)
    assert len(got["cases"]["amended_plans"]["undecided"]) == (1 if day <= 56 else 0)


def test_the_amended_plan_counts_in_the_period_of_its_notice_not_its_meeting():
    rev = Review("PL1", D(2023, 12, 20), D(2024, 1, 5), "amend", D(2024, 1, 5), D(2024, 2, 1))
    got = report([], [], [], [rev], **year_of(D(2024, 1, 1)), as_of=D(2024, 12, 31))
    assert got["review_decisions"]["decided"] == 0
    assert got["amended_plans"] == {"decided": 1, "within": 1, "rate": 100.0}


# --- reviews overdue ------------------------------------------------------------------------

@pytest.mark.parametrize(("last", "due"), [
    (D(2024, 2, 29), D(2025, 2, 28)),  # no 29 February next year: the month's last day
    (D(2023, 2, 28), D(2024, 2, 28)),  # not moved to the 29th in a leap year
    (D(2023, 3, 1), D(2024, 3, 1)),
    (D(2024, 1, 31), D(2025, 1, 31)),
    (D(2024, 12, 31), D(2025, 12, 31)),
    (D(2099, 2, 28), D(2100, 2, 28)),
])
def test_a_review_is_due_12_calendar_months_after_the_last(last, due):
    assert tl.review_due(last) == due


@given(days)
def test_the_review_due_date_is_the_anniversary_or_the_end_of_a_short_month(last):
    due = tl.review_due(last)
    assert (due.year, due.month) == (last.year + 1, last.month)
    assert due.day == last.day or (last.month, last.day, due.day) == (2, 29, 28)
    assert 365 <= (due - last).days <= 366


@given(days, st.integers(min_value=-60, max_value=60), st.booleans())
@example(LEAP_DAY, 0, False)
@example(LEAP_DAY, 1, False)
def test_a_plan_is_overdue_from_the_day_after_its_review_was_due(last, offset, reviewed):
    start = last if not reviewed else last - 700 * DAY
    plans = [Plan("PL1", "P1", None, start)]
    reviews = [Review("PL1", last, last + DAY)] if reviewed else []
    as_of = tl.review_due(last) + offset * DAY
    assert tl.reviews_overdue(plans, reviews, as_of=as_of) == (("PL1",) if offset > 0 else ())
    got = report([], [], plans, reviews, start=D(2000, 1, 1), end=D(2000, 1, 1), as_of=as_of)
    assert got["reviews_overdue"] == (1 if offset > 0 else 0)


def test_ceased_unstarted_and_future_reviews_in_the_overdue_count():
    as_of = D(2025, 1, 31)
    plans = [Plan("A", "P1", None, D(2020, 1, 1), D(2025, 1, 31)),  # ceased on the day
             Plan("B", "P2", None, D(2020, 1, 1), D(2025, 2, 1)),  # ceases after: still live
             Plan("C", "P3", None, D(2025, 2, 1)),  # not started yet
             Plan("D", "P4", None, D(2020, 1, 1))]  # reviewed only after the as-of date
    reviews = [Review("D", D(2025, 1, 1) + 60 * DAY)]
    assert tl.reviews_overdue(plans, reviews, as_of=as_of) == ("B", "D")


# --- phase transfers ------------------------------------------------------------------------

@pytest.mark.parametrize(("born", "year", "post16"), [
    (D(2008, 8, 1), 2024, True),   # 16 on 31 August 2024: leaves Year 11
    (D(2008, 9, 1), 2024, False),  # 15 on 31 August 2024
    (D(2013, 5, 1), 2024, False),
    (None, 2024, False),
])
def test_a_move_into_post16_is_by_age_on_31_august(born, year, post16):
    assert tl.is_post16_transfer(born, year) is post16
    deadline = tl.phase_transfer_deadline(D(year, 9, 1), post16)
    assert deadline == (D(year, 3, 31) if post16 else D(year, 2, 15))


@given(st.integers(min_value=2001, max_value=2098), st.integers(min_value=-30, max_value=30),
       st.booleans())
def test_a_phase_transfer_is_within_on_or_before_its_deadline(year, offset, post16):
    born = D(year - 16, 5, 1) if post16 else D(year - 11, 5, 1)
    deadline = D(year, 3, 31) if post16 else D(year, 2, 15)
    rev = Review("PL1", D(year - 1, 11, 1), phase_transfer_due=D(year, 9, 1),
                 phase_transfer_final=deadline + offset * DAY)
    got = tl.phase_transfers([rev], [Plan("PL1", "P1", None, D(2000, 1, 1))],
                             [Person("P1", born)], **year_of(deadline),
                             as_of=D(year, 12, 31))
    assert (got.denominator, got.numerator) == (1, int(offset <= 0))


# --- ages, needs, weeks, breakdowns ---------------------------------------------------------

@pytest.mark.parametrize(("on", "age"), [
    (D(2020, 3, 14), 9), (D(2020, 3, 15), 10), (D(2020, 2, 29), 9), (D(2021, 1, 1), 10),
])
def test_age_takes_everyone_as_born_on_the_15th(on, age):
    assert tl.age_at(D(2010, 3, 1), on) == age


@pytest.mark.parametrize(("age", "band"), [
    (None, "Unknown"), (0, "Under 5"), (4, "Under 5"), (5, "5 to 10"), (10, "5 to 10"),
    (11, "11 to 15"), (15, "11 to 15"), (16, "16 to 19"), (19, "16 to 19"),
    (20, "20 to 25"), (25, "20 to 25"), (26, "26 and over"),
])
def test_age_bands(age, band):
    assert tl.age_band(age) == band


def test_primary_need_is_rank_1():
    needs = [Need("P1", "SLCN", 2), Need("P1", "ASD", 1), Need("P2", "SEMH", 1),
             Need("P2", "MLD", 1), Need("P3", "HI", 2)]
    assert tl.primary_needs(needs) == {"P1": "ASD", "P2": "MLD"}


@pytest.mark.parametrize(("day", "week"), [
    (0, 1), (7, 1), (8, 2), (42, 6), (43, 7), (112, 16), (113, 17), (140, 20), (141, 21),
])
def test_weeks_of_the_clock(day, week):
    assert tl.clock_week(day) == week


def test_month_breakdowns_list_every_month_of_the_period_in_order():
    got = report([Request("R1", "P1", D(2024, 3, 5), "Y", D(2024, 3, 9))],
                 start=D(2023, 11, 15), end=D(2024, 4, 2), as_of=D(2024, 6, 1), by="month")
    assert [row["group"] for row in got["breakdown"]] == [
        "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"]
    assert [row["six_week"]["decided"] for row in got["breakdown"]] == [0, 0, 0, 0, 1, 0]


small_cases = st.tuples(
    request_lists,
    st.lists(st.tuples(st.integers(0, 29), st.sampled_from("YNAW"), st.integers(40, 300),
                       st.booleans()), max_size=30),
    st.lists(st.tuples(st.dates(min_value=D(2023, 1, 1), max_value=D(2025, 6, 30)),
                       st.one_of(st.none(), st.integers(0, 60)), st.booleans(),
                       st.one_of(st.none(), st.integers(0, 90))), max_size=20),
)


def _build(cases):
    requests, raw_assessments, raw_reviews = cases
    received = {r.id: r.received for r in requests}
    assessments = [Assessment(f"R{i:02d}", code, received[f"R{i:02d}"] + day * DAY, week20)
                   for i, code, day, week20 in raw_assessments if f"R{i:02d}" in received]
    plans = [Plan(f"PL{i:02d}", f"P{i:02d}", None, D(2022, 1 + i % 12, 1)) for i in range(20)]
    reviews = [Review(f"PL{i:02d}", meeting,
                      None if dec is None else meeting + dec * DAY, None,
                      meeting if amend else None,
                      None if (not amend or amd is None) else meeting + amd * DAY)
               for i, (meeting, dec, amend, amd) in enumerate(raw_reviews)]
    people = [Person(f"P{i:02d}", D(2005 + i % 15, 1 + i % 12, 1)) for i in range(29)]
    needs = [Need(f"P{i:02d}", ("ASD", "SEMH", "SLCN")[i % 3], 1) for i in range(0, 29, 2)]
    return requests, assessments, plans, reviews, people, needs


@given(small_cases, st.sampled_from(tl.BY),
       st.dates(min_value=D(2024, 1, 1), max_value=D(2025, 12, 31)))
def test_every_breakdown_adds_up_to_the_totals(cases, by, as_of):
    requests, assessments, plans, reviews, people, needs = _build(cases)
    got = report(requests, assessments, plans, reviews, start=D(2024, 1, 1),
                 end=D(2024, 12, 31), as_of=as_of, by=by, people=people, needs=needs)
    _assert_breakdown_adds_up(got, by)
    plain = report(iter(requests), iter(assessments), iter(plans), iter(reviews),
                   start=D(2024, 1, 1), end=D(2024, 12, 31), as_of=as_of)
    assert {k: v for k, v in got.items() if k != "breakdown"} == {
        k: v for k, v in plain.items() if k != "breakdown"}


# --- at risk --------------------------------------------------------------------------------

@given(days, st.integers(min_value=0, max_value=200))
@example(D(2024, 1, 1), 28)  # 14 days left: due soon
@example(D(2024, 1, 1), 27)  # 15 days left: on course
def test_an_open_request_runs_to_day_42(received, day):
    as_of = received + day * DAY
    got = tl.at_risk([Request("R1", "P1", received, "A")], [], [], [], as_of=as_of)
    (row,) = got["open"]
    assert (row["stage"], row["rule"], row["days_left"]) == ("request", "six_week", 42 - day)
    assert row["deadline"] == (received + 42 * DAY).isoformat()
    assert row["state"] == ("breached" if day > 42 else "due_soon" if day >= 28
                            else "on_course")
    assert got["by_stage"]["request"][row["state"]] == 1


@given(days, st.integers(min_value=0, max_value=300), st.sampled_from([None, "A", "H"]))
@example(D(2024, 1, 1), 112, None)
@example(D(2024, 1, 1), 113, "A")
@example(D(2024, 1, 1), 140, "A")
@example(D(2024, 1, 1), 141, "A")
def test_an_open_assessment_runs_to_day_112_then_day_140(received, day, code):
    as_of = received + day * DAY
    request = Request("R1", "P1", received, "Y", received)
    assessments = [] if code is None else [Assessment("R1", code)]
    (row,) = tl.at_risk([request], assessments, [], [], as_of=as_of)["open"]
    limit = 112 if day <= 112 else 140
    assert (row["stage"], row["rule"]) == (
        "assessment", "sixteen_week" if limit == 112 else "twenty_week")
    assert row["days_left"] == limit - day
    assert (row["state"] == "breached") is (day > 140)
    assert row["week"] == tl.clock_week(day)


def test_closed_cases_are_not_at_risk():
    as_of = D(2024, 6, 1)
    requests = [Request("N", "P1", D(2024, 1, 1), "N", D(2024, 2, 1)),
                Request("W", "P2", D(2024, 1, 1), "W"),
                Request("Y1", "P3", D(2024, 1, 1), "Y", D(2024, 2, 1)),
                Request("Y2", "P4", D(2024, 1, 1), "Y", D(2024, 2, 1)),
                Request("Y3", "P5", D(2024, 1, 1), "Y", D(2024, 2, 1)),
                Request("later", "P6", D(2024, 7, 1), "A")]
    assessments = [Assessment("Y1", "Y", D(2024, 5, 1)), Assessment("Y2", "W"),
                   Assessment("Y3", "N", D(2024, 7, 1))]  # notice after the as-of date
    got = tl.at_risk(requests, assessments, [], [], as_of=as_of)
    assert [row["case"] for row in got["open"]] == ["Y3"]


def test_reviews_due_in_the_next_30_days():
    as_of = D(2025, 1, 31)
    starts = {"A": D(2024, 1, 30), "B": D(2024, 1, 31), "C": D(2024, 3, 2), "D": D(2024, 3, 3)}
    plans = [Plan(plan, "P1", None, start) for plan, start in starts.items()]
    got = tl.at_risk([], [], [], plans, as_of=as_of)
    assert [(row["plan_id"], row["days_overdue"]) for row in got["reviews_overdue"]] == [
        ("A", 1)]
    assert [(row["plan_id"], row["days_left"]) for row in got["reviews_due_soon"]] == [
        ("B", 0), ("C", 30)]


# --- bad input ------------------------------------------------------------------------------

def test_bad_input_is_refused_in_words():
    with pytest.raises(RuleError, match="ends .* before it starts"):
        report(start=D(2024, 2, 1), end=D(2024, 1, 1), as_of=D(2024, 3, 1))
    with pytest.raises(RuleError, match="request R7: the outcome 'X'"):
        report([Request("R7", "P1", D(2024, 1, 1), "X")], start=D(2024, 1, 1),
               end=D(2024, 12, 31), as_of=D(2024, 3, 1))
    with pytest.raises(RuleError, match="assessment for request R8"):
        report([], [Assessment("R8", "Q")], start=D(2024, 1, 1), end=D(2024, 12, 31),
               as_of=D(2024, 3, 1))
    with pytest.raises(RuleError, match="month, quarter, need, age"):
        report(start=D(2024, 1, 1), end=D(2024, 12, 31), as_of=D(2024, 3, 1), by="week")
