"""The sampling rules: the phase from a month of birth, which plans are live in a month, the
seeded draw, and a pasted list. Pure functions, no database."""

import datetime as dt

import pytest

from lapis.quality import actions, sampling
from lapis.quality.sampling import Candidate

D = dt.date


@pytest.mark.parametrize(("born", "month", "age"), [
    (D(2016, 8, 1), D(2024, 6, 1), 7),    # August born: 7 on 31 Aug 2023
    (D(2016, 9, 1), D(2024, 6, 1), 6),    # September born: the youngest of the next year
    (D(2016, 8, 1), D(2024, 9, 1), 8),    # a new school year from September
    (D(2016, 9, 1), D(2024, 9, 1), 7),
    (D(2016, 1, 1), D(2024, 8, 1), 7),    # August is still the old school year
    (D(2016, 12, 1), D(2025, 1, 1), 7),
])
def test_academic_age_is_the_age_on_31_august_at_the_start_of_the_school_year(born, month,
                                                                             age):
    assert sampling.academic_age(born, month) == age


@pytest.mark.parametrize(("age", "phase"), [
    (0, "Early years"), (3, "Early years"), (4, "Primary"), (10, "Primary"),
    (11, "Secondary"), (15, "Secondary"), (16, "Post-16"), (18, "Post-16"),
    (19, "Post-19"), (25, "Post-19"),
])
def test_phase_boundaries(age, phase):
    month = D(2024, 6, 1)
    born = D(2023 - age, 5, 1)  # May born: age on 31 Aug 2023 is 2023 - year
    assert sampling.academic_age(born, month) == age
    assert sampling.phase_for(born, month) == phase


def test_phase_is_unknown_without_a_birth_month():
    assert sampling.phase_for(None, D(2024, 6, 1)) == ""


@pytest.mark.parametrize(("start", "cease", "live"), [
    (D(2024, 6, 30), None, True),          # starts on the month's last day
    (D(2024, 7, 1), None, False),          # starts the day after
    (D(2020, 1, 1), D(2024, 6, 1), True),  # ceases on the month's first day
    (D(2020, 1, 1), D(2024, 5, 31), False),  # ceased the day before
    (D(2020, 1, 1), None, True),
    (D(2024, 6, 10), D(2024, 6, 20), True),
])
def test_a_plan_is_live_from_its_start_until_it_ceases(start, cease, live):
    assert sampling.is_live(start, cease, D(2024, 6, 15)) is live


def test_month_ends():
    assert sampling.month_end(D(2024, 2, 10)) == D(2024, 2, 29)
    assert sampling.month_end(D(2023, 2, 1)) == D(2023, 2, 28)
    assert sampling.month_end(D(2024, 12, 31)) == D(2024, 12, 31)
    assert sampling.month_start(D(2024, 12, 31)) == D(2024, 12, 1)


POOL = [Candidate(f"P{n:02d}", "Primary" if n % 3 else "Secondary",
                  "ASD" if n % 2 else "SEMH", "East" if n < 10 else "West")
        for n in range(1, 31)]


def test_the_same_seed_draws_the_same_sample_whatever_the_order_given():
    first = sampling.draw(POOL, 5, seed=42)
    again = sampling.draw(list(reversed(POOL)), 5, seed=42)
    assert first == again and len(first) == 5 and len(set(first)) == 5
    assert sampling.draw(POOL, 5, seed=43) != first


def test_a_draw_takes_everything_when_asked_for_more_than_there_is():
    drawn = sampling.draw(POOL, 100, seed=1)
    assert sorted(drawn, key=lambda c: c.plan_id) == POOL


def test_filters_ignore_case_and_combine():
    drawn = sampling.draw(POOL, 100, seed=7, phase="secondary", need="semh", team="EAST")
    assert {c.plan_id for c in drawn} == {"P06"}
    assert all(c.phase == "Primary" for c in sampling.draw(POOL, 5, 3, phase="Primary"))
    assert sampling.draw(POOL, 5, 3, need="HI") == []
    assert len(sampling.matching(POOL, team="West")) == 21


def test_a_sample_needs_a_size():
    with pytest.raises(ValueError):
        sampling.draw(POOL, 0, seed=1)


def test_a_pasted_list_with_a_header_and_missing_columns():
    found, problems = sampling.parse_pasted(
        "plan_id,phase,need,team\nA1,Primary,ASD,East\n\n  A2 \nA3,,SEMH\n")
    assert problems == []
    assert found == [Candidate("A1", "Primary", "ASD", "East"), Candidate("A2"),
                     Candidate("A3", "", "SEMH", "")]


def test_a_pasted_list_names_each_bad_line():
    found, problems = sampling.parse_pasted("A1\n,Primary\nA1\nA4,a,b,c,d\n" + "X" * 101)
    assert found == [Candidate("A1")]
    assert problems == ["Line 2: the plan ID is missing", "Line 3: plan A1 is listed twice",
                        "Line 4: expected plan_id,phase,need,team but found 5 values",
                        "Line 5: the plan ID is longer than 100 characters"]
    assert sampling.parse_pasted("  \n") == ([], ["Paste at least one plan ID"])


def test_agreement_between_two_gradings():
    result = actions.agreement({"A": "Good", "B": "Good", "overall": "Good"},
                               {"A": "Good", "B": "Inadequate", "C": "Good",
                                "overall": "Good"}, ["A", "B", "C"])
    assert [(r["section"], r["agree"]) for r in result.rows] == [
        ("A", True), ("B", False), ("C", None), ("overall", True)]
    assert (result.agreed, result.compared, result.pct) == (2, 3, 66.7)
    assert result.overall_agrees is True
    empty = actions.agreement({}, {}, ["A"])
    assert (empty.rows, empty.pct, empty.overall_agrees) == ([], None, None)


@pytest.mark.parametrize(("value", "shown"), [
    (None, ""), (62.5, "62.5"), (70, "70"), (200 / 3, "66.7"), (0.05, "0.1"), (100, "100"),
])
def test_scores_are_shown_to_one_decimal_place(value, shown):
    from fractions import Fraction

    exact = None if value is None else (Fraction(200, 3) if shown == "66.7"
                                        else Fraction(str(value)))
    assert actions.shown_score(exact) == shown
