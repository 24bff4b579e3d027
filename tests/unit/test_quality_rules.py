"""The pure rules of EHC plan audits: weighted scores, grades exactly at the thresholds,
quarters, and the quarterly report over plain records (hand-computed examples and properties).
"""

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapis.quality import frameworks, rules
from lapis.quality.rules import (
    GOOD,
    INADEQUATE,
    OUTSTANDING,
    REQUIRES_IMPROVEMENT,
    AuditRecord,
    FollowUpRecord,
    Quarter,
    Scored,
    Thresholds,
)

EHC = Thresholds.of(*frameworks.EHC_PLAN["thresholds"])  # 80, 60, 30
WISHES = Thresholds.of(*frameworks.TEN_WISHES["thresholds"])  # 90, 70, 40


def d(text):
    return dt.date.fromisoformat(text)


# --- grades exactly at the thresholds -------------------------------------------------------

def test_a_score_exactly_on_a_threshold_gets_the_higher_grade():
    assert rules.grade_for(Fraction(80), EHC) == OUTSTANDING
    assert rules.grade_for(Fraction(80) - Fraction(1, 10**9), EHC) == GOOD
    assert rules.grade_for(Fraction(60), EHC) == GOOD
    assert rules.grade_for(Fraction(60) - Fraction(1, 10**9), EHC) == REQUIRES_IMPROVEMENT
    assert rules.grade_for(Fraction(30), EHC) == REQUIRES_IMPROVEMENT
    assert rules.grade_for(Fraction(30) - Fraction(1, 10**9), EHC) == INADEQUATE
    assert rules.grade_for(Fraction(0), EHC) == INADEQUATE
    assert rules.grade_for(None, EHC) is None


def test_weighted_criteria_land_exactly_on_the_good_threshold():
    # Section E of the EHC plan framework: E1 weight 3, E2 2, E3 1, E4 1 (top 3).
    # E1 Good (2), E2 Good (2), E3 Inadequate (0), E4 Outstanding (3):
    # (3*2 + 2*2 + 0 + 3) / (7*3) = 13/21 = 61.9 -> Good.
    items = [Scored(3, 2, 3), Scored(2, 2, 3), Scored(1, 0, 3), Scored(1, 3, 3)]
    assert rules.score(items) == Fraction(1300, 21)
    assert rules.grade_for(rules.score(items), EHC) == GOOD
    # Weights 3 and 2 on a 0-3 scale: 3*3 + 2*0 = 9 of 15 = exactly 60 -> Good, not RI.
    exact = [Scored(3, 3, 3), Scored(2, 0, 3)]
    assert rules.score(exact) == 60
    assert rules.grade_for(rules.score(exact), EHC) == GOOD
    # 4 of 5 weight Outstanding, the rest Inadequate: exactly 80 -> Outstanding.
    assert rules.score([Scored(4, 3, 3), Scored(1, 0, 3)]) == 80
    assert rules.grade_for(rules.score([Scored(4, 3, 3), Scored(1, 0, 3)]), EHC) == OUTSTANDING
    # Decimal weights are kept exact: 0.9 at 1 of 3 with 0.1 at 0 of 3 is 0.9 of 3.0, exactly
    # 30 -> Requires improvement (a float sum would give 29.999...).
    assert rules.score([Scored(Fraction(9, 10), 1, 3)]) == Fraction(100, 3)
    assert rules.score([Scored(Fraction(9, 10), 1, 3), Scored(Fraction(1, 10), 0, 3)]) == 30
    assert rules.grade_for(Fraction(30), EHC) == REQUIRES_IMPROVEMENT


def test_the_ten_wishes_thresholds():
    def wishes(met, partly):
        return [Scored(1, 2, 2)] * met + [Scored(1, 1, 2)] * partly + \
            [Scored(1, 0, 2)] * (10 - met - partly)

    assert rules.score(wishes(10, 0)) == 100
    assert rules.grade_for(rules.score(wishes(8, 2)), WISHES) == OUTSTANDING  # exactly 90
    assert rules.grade_for(rules.score(wishes(8, 1)), WISHES) == GOOD  # 85
    assert rules.grade_for(rules.score(wishes(7, 0)), WISHES) == GOOD  # exactly 70
    assert rules.grade_for(rules.score(wishes(4, 6)), WISHES) == GOOD  # exactly 70
    assert rules.grade_for(rules.score(wishes(6, 1)), WISHES) == REQUIRES_IMPROVEMENT  # 65
    assert rules.grade_for(rules.score(wishes(4, 0)), WISHES) == REQUIRES_IMPROVEMENT  # 40
    assert rules.grade_for(rules.score(wishes(3, 1)), WISHES) == INADEQUATE  # 35


def test_every_criterion_at_one_level_gets_that_grade_on_the_ehc_framework():
    for level, grade in enumerate([INADEQUATE, REQUIRES_IMPROVEMENT, GOOD, OUTSTANDING]):
        assert rules.grade_for(rules.score([Scored(2, level, 3), Scored(1, level, 3)]),
                               EHC) == grade


def test_section_and_overall_grades_are_computed_from_the_criteria():
    scored = [("E", Scored(3, 3, 3)), ("E", Scored(2, 0, 3)),  # E: 9/15 = 60 -> Good
              ("F", Scored(3, 1, 3)), ("F", Scored(1, 1, 3)),  # F: 4/12 = 33.3 -> RI
              ("J", Scored(0, 3, 3))]  # J: weight 0 only -> no grade
    result = rules.compute_grades(scored, EHC)
    assert result["E"] == rules.Computed(GOOD, Fraction(60))
    assert result["F"] == rules.Computed(REQUIRES_IMPROVEMENT, Fraction(100, 3))
    assert "J" not in result
    # Overall over every scored criterion: (9 + 4 + 0) / (15 + 12 + 0) = 13/27 = 48.1 -> RI,
    # not an average of the section grades.
    assert result["overall"] == rules.Computed(REQUIRES_IMPROVEMENT, Fraction(1300, 27))
    assert rules.compute_grades([], EHC) == {}


def test_a_score_off_the_scale_and_bad_thresholds_are_refused():
    with pytest.raises(ValueError):
        rules.score([Scored(1, 4, 3)])
    with pytest.raises(ValueError):
        Thresholds.of(50, 60, 30)


weights = st.fractions(min_value=0, max_value=10, max_denominator=100)


@st.composite
def scored_items(draw):
    top = draw(st.integers(1, 4))
    return [Scored(draw(weights), draw(st.integers(0, top)), top)
            for _ in range(draw(st.integers(1, 8)))]


@given(scored_items())
def test_a_score_is_between_0_and_100_and_its_grade_follows_the_thresholds(items):
    value = rules.score(items)
    if value is None:
        assert sum(i.weight for i in items) == 0
        return
    assert 0 <= value <= 100
    grade = rules.grade_for(value, EHC)
    lowest = {OUTSTANDING: 80, GOOD: 60, REQUIRES_IMPROVEMENT: 30, INADEQUATE: 0}[grade]
    assert value >= lowest
    better = rules.GRADES.index(grade) - 1
    if better >= 0:
        assert value < {OUTSTANDING: 80, GOOD: 60, REQUIRES_IMPROVEMENT: 30}[
            rules.GRADES[better]]


@given(scored_items(), st.integers(1, 5))
def test_scaling_every_weight_does_not_change_the_score(items, factor):
    scaled = [Scored(i.weight * factor, i.score, i.top) for i in items]
    assert rules.score(scaled) == rules.score(items)


@given(st.fractions(min_value=0, max_value=100),
       st.fractions(min_value=0, max_value=100))
def test_a_higher_score_never_gets_a_lower_grade(a, b):
    low, high = sorted([a, b])
    assert rules.GRADES.index(rules.grade_for(high, EHC)) <= rules.GRADES.index(
        rules.grade_for(low, EHC))


# --- percentages and quarters ----------------------------------------------------------------

def test_percentages_round_half_up_to_one_place():
    assert rules.pct(7, 8) == 87.5
    assert rules.pct(1, 6) == 16.7
    assert rules.pct(2, 3) == 66.7
    assert rules.pct(1, 3) == 33.3
    assert rules.pct(19, 24) == 79.2
    assert rules.pct(1, 2000) == 0.1  # 0.05 rounds up
    assert rules.pct(0, 5) == 0.0
    assert rules.pct(0, 0) is None


@pytest.mark.parametrize("text, year, number", [
    ("2024Q2", 2024, 2), ("2024q1", 2024, 1), ("2024-Q4", 2024, 4), (" 2023 Q3 ", 2023, 3),
    ("Q2 2024", 2024, 2),
])
def test_quarters_are_read(text, year, number):
    assert Quarter.parse(text) == Quarter(year, number)


@pytest.mark.parametrize("text", ["2024Q5", "2024Q0", "2024", "24Q2", "2024-06", ""])
def test_anything_else_is_not_a_quarter(text):
    with pytest.raises(ValueError, match="2024Q2"):
        Quarter.parse(text)


def test_a_quarter_is_a_calendar_quarter():
    q2 = Quarter.parse("2024Q2")
    assert (q2.start, q2.end, q2.label, q2.months) == (
        d("2024-04-01"), d("2024-06-30"), "2024Q2", "April to June 2024")
    assert Quarter.parse("2024Q1").previous() == Quarter(2023, 4)
    assert Quarter.parse("2023Q4").next() == Quarter(2024, 1)
    assert Quarter.parse("2024Q4").end == d("2024-12-31")
    assert Quarter.parse("2024Q1").end == d("2024-03-31")
    assert d("2024-03-31") not in q2 and d("2024-04-01") in q2 and d("2024-06-30") in q2
    assert d("2024-07-01") not in q2


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_day_is_in_exactly_its_own_quarter(day):
    quarter = Quarter.of(day)
    assert day in quarter
    assert day not in quarter.previous() and day not in quarter.next()
    assert Quarter.parse(quarter.label) == quarter
    assert quarter.next().start - quarter.end == dt.timedelta(days=1)


# --- the quarterly report ---------------------------------------------------------------------

def audit(audit_id, plan_id, day, overall, agency="", phase="", need="", moderates=None,
          themes=(), **sections):
    return AuditRecord(audit_id, plan_id, d(day), {"overall": overall, **sections}, agency,
                       phase, need, moderates, tuple(themes))


SECTIONS = ["A", "E"]
Q2 = Quarter(2024, 2)


def test_a_plan_audited_twice_counts_once_with_its_latest_audit():
    audits = [
        audit("X1", "P1", "2024-04-10", INADEQUATE, A=INADEQUATE),
        audit("X2", "P1", "2024-06-01", GOOD, A=GOOD),
        audit("X0", "P1", "2024-06-01", INADEQUATE, A=INADEQUATE),  # same day, lower ID
        audit("X3", "P2", "2024-05-01", REQUIRES_IMPROVEMENT, A=GOOD),
    ]
    report = rules.figures(audits, Q2, SECTIONS)
    assert report["audits"] == 2
    assert report["overall"] == {OUTSTANDING: 0, GOOD: 1, REQUIRES_IMPROVEMENT: 1,
                                 INADEQUATE: 0}
    assert report["good_or_better_pct"] == 50.0
    assert report["sections"]["A"] == {"audits": 2, "good_or_better": 2,
                                       "good_or_better_pct": 100.0}
    assert report["sections"]["E"] == {"audits": 0, "good_or_better": 0,
                                       "good_or_better_pct": None}


def test_an_audit_counts_in_the_quarter_of_its_date_and_moderations_do_not_count():
    audits = [
        audit("A1", "P1", "2024-03-31", GOOD),
        audit("A2", "P2", "2024-04-01", OUTSTANDING),
        audit("M1", "P2", "2024-04-02", GOOD, moderates="A2"),
    ]
    assert rules.figures(audits, Q2, SECTIONS)["audits"] == 1
    assert rules.figures(audits, Q2.previous(), SECTIONS)["audits"] == 1
    assert rules.agreement(audits, Q2) == {"moderated": 1, "agreed": 0, "agreement_pct": 0.0}


def test_an_empty_quarter():
    report = rules.quarter_report([audit("A1", "P1", "2024-05-01", GOOD, A=GOOD)],
                                  Quarter(2024, 4), SECTIONS, as_of=d("2025-01-01"))
    assert report["audits"] == 0
    assert report["overall"] == {OUTSTANDING: 0, GOOD: 0, REQUIRES_IMPROVEMENT: 0,
                                 INADEQUATE: 0}
    assert report["good_or_better_pct"] is None
    assert report["sections"]["A"]["good_or_better_pct"] is None
    assert report["previous"]["audits"] == 0  # 2024Q3 is empty too
    assert report["change"]["good_or_better_points"] is None
    assert report["agreement"] == {"moderated": 0, "agreed": 0, "agreement_pct": None}
    assert report["by_agency"] == {} and report["themes"] == []
    assert report["follow_ups"]["open"] == 0


def test_the_change_and_the_breakdowns():
    audits = [
        audit("B1", "P1", "2024-02-01", GOOD, agency="Health", A=GOOD),
        audit("B2", "P2", "2024-02-02", INADEQUATE, agency="Health", A=INADEQUATE),
        audit("C1", "P1", "2024-04-05", OUTSTANDING, agency="Education", phase="Primary",
              A=GOOD),
        audit("C2", "P3", "2024-04-06", GOOD, agency="Education", A=REQUIRES_IMPROVEMENT),
        audit("C3", "P4", "2024-04-07", REQUIRES_IMPROVEMENT, agency="Health",
              phase="Secondary"),
    ]
    report = rules.quarter_report(audits, Q2, SECTIONS, as_of=d("2024-07-01"))
    assert report["good_or_better_pct"] == 66.7  # 2 of 3
    assert report["previous"]["good_or_better_pct"] == 50.0
    assert report["change"]["good_or_better_points"] == 16.7
    assert report["sections"]["A"]["good_or_better_pct"] == 50.0
    assert report["change"]["sections"] == {"A": 0.0, "E": None}
    assert report["by_agency"] == {
        "Education": {"audits": 2, "good_or_better": 2, "good_or_better_pct": 100.0},
        "Health": {"audits": 1, "good_or_better": 0, "good_or_better_pct": 0.0}}
    assert list(report["by_phase"]) == ["Primary", "Secondary", "Not recorded"]
    assert report["by_need"] == {}
    assert rules.change_in_words(16.7, "2024Q1", 50.0) == \
        "Up 16.7 percentage points on 2024Q1 (50.0%)."
    assert rules.change_in_words(-3.0, "2024Q1", 50.0).startswith("Down 3.0")
    assert rules.change_in_words(None, "2024Q1", None) == "No audits in 2024Q1 to compare with."


def test_recurring_themes():
    audits = [
        audit("B1", "P1", "2024-02-01", GOOD, themes=["Social care input"]),
        audit("C1", "P2", "2024-04-01", GOOD, themes=["Health advice", "Social care input"]),
        audit("C2", "P3", "2024-04-02", GOOD, themes=["Health advice"]),
        audit("C3", "P3", "2024-05-02", GOOD, themes=["Preparation for adulthood"]),
        audit("M1", "P3", "2024-05-03", GOOD, moderates="C3", themes=["Moderation only"]),
    ]
    assert rules.themes(audits, Q2) == [
        {"theme": "Health advice", "audits": 2, "previous_audits": 0, "recurring": True},
        {"theme": "Preparation for adulthood", "audits": 1, "previous_audits": 0,
         "recurring": False},
        {"theme": "Social care input", "audits": 1, "previous_audits": 1, "recurring": True},
    ]


def test_open_and_overdue_follow_ups():
    items = [
        FollowUpRecord("C1", "P1", d("2024-04-01"), "amend", "Amend F", "Team", d("2024-06-01")),
        FollowUpRecord("C2", "P2", d("2024-04-02"), "training", "Train", "Team",
                       d("2024-08-01")),
        FollowUpRecord("C3", "P3", d("2024-04-03"), "reaudit", "Again", "Team",
                       d("2024-05-01"), done=d("2024-05-02")),
        FollowUpRecord("B1", "P4", d("2024-03-03"), "amend", "Old", "Team", d("2024-04-01")),
    ]
    result = rules.follow_ups(items, Q2, d("2024-07-01"))
    assert (result["total"], result["done"], result["open"], result["overdue"]) == (3, 1, 2, 1)
    assert [(i["plan_id"], i["overdue"]) for i in result["items"]] == [("P1", True),
                                                                       ("P2", False)]


grades = st.sampled_from(rules.GRADES)


@st.composite
def audit_sets(draw):
    count = draw(st.integers(0, 12))
    return [AuditRecord(f"X{n:02d}", f"P{draw(st.integers(1, 5))}",
                        draw(st.dates(dt.date(2024, 1, 1), dt.date(2024, 9, 30))),
                        {"overall": draw(grades), "A": draw(grades)})
            for n in range(count)]


@given(audit_sets())
def test_counts_add_up_and_each_plan_counts_once(audits):
    report = rules.figures(audits, Q2, ["A"])
    in_quarter = {a.plan_id for a in audits if a.audit_date in Q2}
    assert report["audits"] == len(in_quarter) == sum(report["overall"].values())
    assert report["sections"]["A"]["audits"] == report["audits"]
    if report["audits"]:
        good = report["overall"][OUTSTANDING] + report["overall"][GOOD]
        assert report["good_or_better_pct"] == rules.pct(good, report["audits"])
    else:
        assert report["good_or_better_pct"] is None
    # The order the records come in changes nothing.
    assert rules.figures(list(reversed(audits)), Q2, ["A"]) == report


def test_the_scorecard_reads_quarters_as_periods():
    from lapis.scorecard import periods

    period = periods.parse("2024Q2")
    assert (period.label, period.kind, period.start, periods.end(period)) == (
        "2024Q2", "quarter", d("2024-04-01"), d("2024-06-30"))
    assert periods.end(periods.parse("2024q4")) == d("2024-12-31")
    assert periods.parse("2024Q1") < periods.parse("2024Q2") < periods.parse("2024Q3")
    with pytest.raises(ValueError, match="2024Q2"):
        periods.parse("2024Q5")


@given(st.integers(2000, 2099), st.integers(1, 4))
def test_a_scorecard_quarter_covers_the_same_days_as_a_report_quarter(year, number):
    from lapis.scorecard import periods

    quarter = Quarter(year, number)
    period = periods.parse(quarter.label)
    assert (period.start, periods.end(period)) == (quarter.start, quarter.end)
