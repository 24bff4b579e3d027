"""The risk register's rules: scores, bands, the heat map, review dates, sorting, cells."""

import datetime as dt
import itertools
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapis.risks import rules
from lapis.risks.rules import RiskFacts, RuleError

levels = st.integers(min_value=1, max_value=5)
pairs = st.tuples(levels, levels)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


# Scores and bands --------------------------------------------------------------------------

def test_every_score_on_the_matrix():
    for likelihood, impact in itertools.product(rules.LEVELS, repeat=2):
        assert rules.score(likelihood, impact) == likelihood * impact


@pytest.mark.parametrize("bad", [0, 6, -1, 2.0, "3", None, True])
def test_a_level_outside_1_to_5_is_refused(bad):
    with pytest.raises(RuleError, match="from 1 to 5"):
        rules.score(bad, 3)
    with pytest.raises(RuleError, match="from 1 to 5"):
        rules.score(3, bad)


@pytest.mark.parametrize(("score", "key", "label"), [
    (1, "low", "Low"), (4, "low", "Low"),
    (5, "medium", "Medium"), (9, "medium", "Medium"),
    (10, "high", "High"), (14, "high", "High"),
    (15, "very_high", "Very high"), (25, "very_high", "Very high"),
])
def test_band_edges(score, key, label):
    band = rules.band(score)
    assert (band.key, band.label) == (key, label)


def test_the_bands_cover_1_to_25_once_each_without_gaps():
    covered = [n for b in rules.BANDS for n in range(b.low, b.high + 1)]
    assert covered == list(range(1, 26))
    assert [rules.band(n).key for n in range(1, 26)] == [
        b.key for b in rules.BANDS for _ in range(b.low, b.high + 1)]


@pytest.mark.parametrize("bad", [0, 26, -3, 12.5, None, False])
def test_a_score_outside_1_to_25_has_no_band(bad):
    with pytest.raises(RuleError):
        rules.band(bad)


def test_every_cell_of_the_matrix_is_rated_as_documented():
    # The actual matrix, impact 5 at the top, likelihood 1 on the left.
    expected = [
        "M H VH VH VH",   # impact 5: 5 10 15 20 25
        "L M H VH VH",    # impact 4: 4 8 12 16 20
        "L M M H VH",     # impact 3: 3 6 9 12 15
        "L L M M H",      # impact 2: 2 4 6 8 10
        "L L L L M",      # impact 1: 1 2 3 4 5
    ]
    short = {"low": "L", "medium": "M", "high": "H", "very_high": "VH"}
    for impact, line in zip((5, 4, 3, 2, 1), expected, strict=True):
        got = " ".join(short[rules.rating(lk, impact).key] for lk in rules.LEVELS)
        assert got == line, impact


@given(pairs, pairs)
def test_a_higher_score_never_has_a_lower_band(a, b):
    order = [band.key for band in rules.BANDS]
    sa, sb = rules.score(*a), rules.score(*b)
    if sa <= sb:
        assert order.index(rules.band(sa).key) <= order.index(rules.band(sb).key)


# The heat map --------------------------------------------------------------------------------

def test_an_empty_heat_map_is_5_by_5_zeros_worst_corner_top_right():
    grid = rules.heat_map([])
    assert [row.impact for row in grid.rows] == [5, 4, 3, 2, 1]
    assert all([c.likelihood for c in row.cells] == [1, 2, 3, 4, 5] for row in grid.rows)
    assert grid.total == 0
    assert grid.rows[0].cells[4].score == 25 and grid.rows[0].cells[4].band.key == "very_high"
    assert grid.rows[4].cells[0].score == 1 and grid.rows[4].cells[0].band.key == "low"
    assert grid.rows[0].label == "Severe" and grid.rows[4].label == "Negligible"


def test_heat_map_counts():
    grid = rules.heat_map([(4, 4), (4, 4), (3, 5), (1, 1)])
    assert grid.count(4, 4) == 2 and grid.count(3, 5) == 1 and grid.count(1, 1) == 1
    assert grid.count(5, 5) == 0
    assert grid.rows[0].cells[2].count == 1  # impact 5, likelihood 3
    assert grid.by_band() == {"low": 1, "medium": 0, "high": 0, "very_high": 3}


@given(st.lists(pairs, max_size=60))
def test_heat_map_holds_every_pair_in_its_own_cell(items):
    grid = rules.heat_map(items)
    counts = Counter(items)
    assert grid.total == len(items)
    for likelihood, impact in itertools.product(rules.LEVELS, repeat=2):
        assert grid.count(likelihood, impact) == counts[(likelihood, impact)]
    assert sum(grid.by_band().values()) == len(items)


def test_heat_map_refuses_a_pair_off_the_matrix():
    with pytest.raises(RuleError, match="impact"):
        rules.heat_map([(3, 6)])
    with pytest.raises(RuleError, match="likelihood"):
        rules.heat_map([(0, 3)])


# Review dates ---------------------------------------------------------------------------------

def test_review_overdue():
    today = dt.date(2026, 11, 23)
    assert rules.review_overdue(dt.date(2026, 11, 22), today)
    assert not rules.review_overdue(today, today)  # due today is not yet late
    assert not rules.review_overdue(dt.date(2026, 11, 24), today)
    assert not rules.review_overdue(None, today)
    assert not rules.review_overdue(dt.date(2020, 1, 1), today, closed=True)
    assert rules.days_overdue(dt.date(2026, 11, 13), today) == 10
    assert rules.days_overdue(dt.date(2026, 11, 30), today) == 0
    assert rules.days_overdue(None, today) == 0


@given(st.one_of(st.none(), dates), dates, st.booleans())
def test_overdue_exactly_when_open_and_past(review, today, closed):
    overdue = rules.review_overdue(review, today, closed=closed)
    assert overdue == (not closed and review is not None and review < today)
    assert (rules.days_overdue(review, today, closed=closed) > 0) == overdue


# Sorting --------------------------------------------------------------------------------------

def test_codes_sort_naturally():
    assert rules.code_key("R2") < rules.code_key("R10") < rules.code_key("R11a")
    assert rules.code_key(" r2 ") == rules.code_key("R2")
    risks = [RiskFacts(c, 1, 1) for c in ("R10", "R2", "R1", "SEND-3", "R2a")]
    assert [r.code for r in rules.sort_risks(risks)] == ["R1", "R2", "R2a", "R10", "SEND-3"]


def test_sort_by_score_and_by_review_date():
    a = RiskFacts("R1", 12, 6, dt.date(2026, 12, 1))
    b = RiskFacts("R2", 20, 16, None)
    c = RiskFacts("R3", 16, 16, dt.date(2026, 1, 1))
    d = RiskFacts("R4", 4, 2, dt.date(2026, 1, 1))
    assert [r.code for r in rules.sort_risks([a, b, c, d], "residual")] == ["R2", "R3", "R1", "R4"]
    assert [r.code for r in rules.sort_risks([a, b, c, d], "inherent")] == ["R2", "R3", "R1", "R4"]
    assert [r.code for r in rules.sort_risks([a, b, c, d], "review")] == ["R3", "R4", "R1", "R2"]
    with pytest.raises(RuleError, match="sort by"):
        rules.sort_risks([a], "owner")


facts = st.builds(RiskFacts, st.from_regex(r"R[0-9]{1,3}", fullmatch=True),
                  st.integers(1, 25), st.integers(1, 25), st.one_of(st.none(), dates),
                  st.booleans())


@given(st.lists(facts, max_size=30), st.sampled_from(rules.SORTS))
def test_every_sort_is_a_permutation_in_order(items, by):
    result = rules.sort_risks(items, by)
    assert sorted(result, key=repr) == sorted(items, key=repr)
    assert rules.sort_risks(list(reversed(items)), by) == result  # a total order
    for first, second in itertools.pairwise(result):
        if by == "residual":
            assert first.residual >= second.residual
        elif by == "inherent":
            assert first.inherent >= second.inherent
        elif by == "review":
            assert not (first.review_date is None and second.review_date is not None)
            if first.review_date and second.review_date:
                assert first.review_date <= second.review_date
        else:
            assert rules.code_key(first.code) <= rules.code_key(second.code)


# Reading cells ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "field"), [
    ("Risk ID", "code"), ("risk id", "code"), ("RISK  ID", "code"), ("Risk_ID", "code"),
    ("Title", "title"), ("Owner", "owner"), ("Inherent likelihood", "inherent_likelihood"),
    ("Inherent\nImpact", "inherent_impact"), ("residual-likelihood", "residual_likelihood"),
    ("Residual Impact ", "residual_impact"), ("Response", "response"), ("Trend", "trend"),
    ("Review date", "review_date"), ("Linked actions", "actions"), ("Measures", "measures"),
    ("Description", "description"), ("Status", "status"),
])
def test_headers_match_ignoring_case_and_spacing(header, field):
    assert rules.match_header(header) == field


def test_unknown_and_derived_headers():
    assert rules.match_header("Colour") is None
    assert rules.match_header(None) is None
    assert rules.is_derived_header("Residual score") and rules.is_derived_header("Inherent Rating")
    assert not rules.is_derived_header("Colour")
    assert set(rules.COLUMNS) == {rules.match_header(h) for h in rules.COLUMNS.values()}


@pytest.mark.parametrize(("cell", "value"), [
    (1, 1), (5, 5), ("3", 3), (" 4 ", 4), (2.0, 2), ("2.0", 2),
])
def test_levels_read_from_cells(cell, value):
    assert rules.read_level(cell, "Inherent impact") == value


@pytest.mark.parametrize(("cell", "message"), [
    (None, "missing"), ("", "missing"), (0, "out of range"), (6, "out of range"),
    ("7", "out of range"), (2.5, "not a whole number"), ("high", "not a whole number"),
    ("-1", "not a whole number"), (True, "out of range"),
])
def test_bad_levels_are_named(cell, message):
    with pytest.raises(RuleError, match=message) as error:
        rules.read_level(cell, "Residual likelihood")
    assert "Residual likelihood" in str(error.value)


@given(st.integers())
def test_read_level_accepts_exactly_1_to_5(number):
    if 1 <= number <= 5:
        assert rules.read_level(number, "x") == rules.read_level(str(number), "x") == number
    else:
        with pytest.raises(RuleError):
            rules.read_level(number, "x")


def test_responses_trends_and_statuses():
    assert rules.read_response("Treat") == "treat"
    assert rules.read_response(" TOLERATE ") == "tolerate"
    with pytest.raises(RuleError, match="unknown response 'Mitigate'.*Tolerate, Treat"):
        rules.read_response("Mitigate")
    with pytest.raises(RuleError, match="unknown response"):
        rules.read_response(None)
    assert rules.read_trend("") == rules.read_trend(None) == "stable"
    assert rules.read_trend("Increasing") == rules.read_trend("↑") == "rising"
    assert rules.read_trend("improving") == "falling"
    with pytest.raises(RuleError, match="unknown trend"):
        rules.read_trend("sideways")
    assert rules.read_status(None) == "open" and rules.read_status("Closed") == "closed"
    with pytest.raises(RuleError, match="unknown status"):
        rules.read_status("archived")


def test_review_dates_read_from_cells():
    assert rules.read_date("2026-12-15") == dt.date(2026, 12, 15)
    assert rules.read_date("15/12/2026") == dt.date(2026, 12, 15)
    assert rules.read_date(dt.datetime(2026, 12, 15, 0, 0)) == dt.date(2026, 12, 15)
    assert rules.read_date(dt.date(2026, 12, 15)) == dt.date(2026, 12, 15)
    assert rules.read_date(None) is None and rules.read_date("  ") is None
    for bad in ("31/02/2026", "next week", "2026-13-01"):
        with pytest.raises(RuleError, match="is not a date"):
            rules.read_date(bad)


@given(dates)
def test_dates_round_trip_through_iso_and_uk_text(day):
    assert rules.read_date(day.isoformat()) == day
    assert rules.read_date(day.strftime("%d/%m/%Y")) == day


def test_action_refs_split_on_commas_semicolons_and_lines():
    assert rules.split_refs("4.6, 4.5;3.18\n3.2b") == ["4.6", "4.5", "3.18", "3.2b"]
    assert rules.split_refs("Action 4.6; IP 4.5; 4.6") == ["4.6", "4.5"]
    assert rules.split_refs(" ; , ") == [] and rules.split_refs(None) == []
    assert rules.split_refs(4.6) == ["4.6"] and rules.split_refs(5.0) == ["5"]
