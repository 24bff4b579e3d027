"""The scorecard's rules: type-7 quantiles, quartile bands A-D, ranks, gaps and trajectories."""

import csv
import datetime as dt
import math
import statistics
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from lapis.scorecard import rules
from lapis.scorecard.rules import HIGHER, LOWER, NEITHER, RuleError, Trajectory

D = dt.date
BETTER = {"A": 0, "B": 1, "C": 2, "D": 3}  # smaller is better
MIRROR = {"A": "D", "B": "C", "C": "B", "D": "A", None: None}

# Figures as DfE publishes them: percentages to one decimal place.
published = st.integers(min_value=0, max_value=1000).map(lambda i: i / 10)
signed = st.integers(min_value=-1000, max_value=1000).map(lambda i: i / 10)
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
value_lists = st.lists(published, min_size=1, max_size=60)
sets_with_gaps = st.dictionaries(st.text(min_size=1, max_size=4), st.none() | published,
                                 max_size=40)
polarities = st.sampled_from([HIGHER, LOWER])


def by_table(value, q1, q2, q3, polarity):
    """The module docstring's table, written out as the LAIT rule reads."""
    if polarity == HIGHER:
        if value <= q1:
            return "D"
        if value <= q2:
            return "C"
        if value <= q3:
            return "B"
        return "A"
    if value <= q1:
        return "A"
    if value <= q2:
        return "B"
    if value <= q3:
        return "C"
    return "D"


def brute_rank(value, values, polarity):
    if polarity == HIGHER:
        return 1 + sum(1 for v in values if v > value)
    return 1 + sum(1 for v in values if v < value)


# ---------------------------------------------------------------------------------------------
# quantile_type7
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "p", "expected"), [
    # [1, 2, 3, 4]: index = 1 + 3p; 1.75 -> 1 + 0.75(2 - 1); 2.5; 3.25
    ([1, 2, 3, 4], 0.25, 1.75),
    ([1, 2, 3, 4], 0.5, 2.5),
    ([1, 2, 3, 4], 0.75, 3.25),
    ([1, 2, 3, 4], 0, 1),
    ([1, 2, 3, 4], 1, 4),
    ([4, 1, 3, 2], 0.25, 1.75),  # order of input does not matter
    ([7], 0.25, 7), ([7], 0.5, 7), ([7], 1, 7),  # n = 1: the value itself
    ([10, 20], 0.25, 12.5), ([10, 20], 0.5, 15), ([10, 20], 0.75, 17.5),  # index 1.25 ..
    ([1, 5, 9], 0.25, 3), ([1, 5, 9], 0.5, 5), ([1, 5, 9], 0.75, 7),  # index 1.5, 2, 2.5
    ([1, 2, 3, 4, 5], 0.25, 2), ([1, 2, 3, 4, 5], 0.5, 3), ([1, 2, 3, 4, 5], 0.75, 4),
    ([1, 2, 3, 4, 5, 6], 0.25, 2.25), ([1, 2, 3, 4, 5, 6], 0.5, 3.5),
    ([1, 2, 3, 4, 5, 6], 0.75, 4.75),
    ([1, 1, 1, 9], 0.25, 1), ([1, 1, 1, 9], 0.5, 1), ([1, 1, 1, 9], 0.75, 3),  # 0.75*1+0.25*9
    ([-3, -1, 0, 8], 0.5, -0.5),
    ([0, 10], 0.1, 1),  # index 1.1
    ([Decimal("58.7"), Decimal("60.4")], 0.5, 59.55),
    ([Fraction(1, 2), Fraction(3, 2)], 0.5, 1),
])
def test_quantiles_computed_by_hand(values, p, expected):
    assert rules.quantile_type7(values, p) == pytest.approx(expected, abs=1e-12)


def test_a_quantile_on_a_data_value_is_that_value_exactly():
    # 153 LAs (England, 2024): Q1 is the 39th value, Q2 the 77th, Q3 the 115th, with no
    # arithmetic, so an LA on the boundary compares equal to it.
    values = [i / 10 + 0.1 for i in range(153)]
    assert rules.quantile_type7(values, 0.25) == values[38]
    assert rules.quantile_type7(values, 0.5) == values[76]
    assert rules.quantile_type7(values, 0.75) == values[114]
    # Between two equal values: that value, exactly (no (1 - h)a + ha rounding).
    assert rules.quantile_type7([0.1, 0.7, 0.7, 0.9], 0.5) == 0.7


def test_quantile_is_r_s_formula_not_just_close_to_it():
    # R: (1 - h) * x[lo] + h * x[hi]; with h = 0.25 on 0.1 and 0.7.
    assert rules.quantile_type7([0.1, 0.7], 0.25) == (1 - 0.25) * 0.1 + 0.25 * 0.7


@pytest.mark.parametrize(("values", "p", "message"), [
    ([], 0.5, "at least one value"),
    ([1, None, 3], 0.5, "missing values"),
    ([1, 2], -0.1, "from 0 to 1"),
    ([1, 2], 1.5, "from 0 to 1"),
    ([1, 2], math.nan, "finite"),
    ([1, 2], "0.5", "must be a number"),
    ([1, math.nan], 0.5, "finite"),
    ([1, math.inf], 0.5, "finite"),
    ([1, "2"], 0.5, "must be a number"),
    ([1, True], 0.5, "must be a number"),
])
def test_bad_quantile_input_is_refused_in_words(values, p, message):
    with pytest.raises(RuleError, match=message):
        rules.quantile_type7(values, p)


@given(st.lists(finite, min_size=2, max_size=80))
def test_quartiles_agree_with_pythons_inclusive_method(values):
    # statistics.quantiles(method="inclusive") is the same definition computed another way.
    theirs = statistics.quantiles(values, n=4, method="inclusive")
    ours = [rules.quantile_type7(values, p) for p in (0.25, 0.5, 0.75)]
    scale = max(1.0, max(abs(v) for v in values))
    assert ours == pytest.approx(theirs, abs=1e-9 * scale)


@given(st.lists(finite, min_size=1, max_size=50),
       st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1), st.randoms())
def test_quantile_properties(values, p, r, random):
    low, high = sorted((p, r))
    q_low, q_high = rules.quantile_type7(values, low), rules.quantile_type7(values, high)
    assert min(values) <= q_low <= q_high <= max(values)
    assert rules.quantile_type7(values, 0) == min(values)
    assert rules.quantile_type7(values, 1) == max(values)
    shuffled = list(values)
    random.shuffle(shuffled)
    assert rules.quantile_type7(shuffled, p) == rules.quantile_type7(values, p)


def test_quartiles_skip_missing_values_and_give_none_for_none():
    assert rules.quartiles([4, None, 1, 3, None, 2]) == (1.75, 2.5, 3.25)
    assert rules.quartiles([None, None]) is None
    assert rules.quartiles([]) is None


# ---------------------------------------------------------------------------------------------
# Quartile bands
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "higher", "lower"), [
    # [1, 2, 3, 4]: Q1 = 1.75, Q2 = 2.5, Q3 = 3.25; no value on a boundary
    (1, "D", "A"), (2, "C", "B"), (3, "B", "C"), (4, "A", "D"),
    # values that are not in the set, either side of and ON each boundary
    (0, "D", "A"), (1.75, "D", "A"), (1.76, "C", "B"), (2.5, "C", "B"), (2.51, "B", "C"),
    (3.25, "B", "C"), (3.26, "A", "D"), (100, "A", "D"),
])
def test_bands_of_one_to_four(value, higher, lower):
    assert rules.quartile_band(value, [1, 2, 3, 4], HIGHER) == higher
    assert rules.quartile_band(value, [1, 2, 3, 4], LOWER) == lower


def test_a_value_on_a_boundary_falls_in_the_band_of_lower_value():
    # [1..5]: Q1 = 2, Q2 = 3, Q3 = 4, each ON a data value.
    values = [1, 2, 3, 4, 5]
    higher = [rules.quartile_band(v, values, HIGHER) for v in values]
    lower = [rules.quartile_band(v, values, LOWER) for v in values]
    # Higher is better: 2 sits on Q1 and goes down to D (the worse band), 3 to C, 4 to B.
    assert higher == ["D", "D", "C", "B", "A"]
    # Lower is better: 2 on Q1 goes down in value, into A (the better band), 3 to B, 4 to C.
    assert lower == ["A", "A", "B", "C", "D"]


@pytest.mark.parametrize(("values", "higher", "lower"), [
    # n = 1: Q1 = Q2 = Q3 = 50, the one value is on every boundary
    ([50], ["D"], ["A"]),
    # n = 2: Q1 = 12.5, Q2 = 15, Q3 = 17.5
    ([10, 20], ["D", "A"], ["A", "D"]),
    ([20, 20], ["D", "D"], ["A", "A"]),  # a tie: both on every boundary
    # n = 3: Q1 = 3, Q2 = 5 (on the middle value), Q3 = 7
    ([1, 5, 9], ["D", "C", "A"], ["A", "B", "D"]),
    ([5, 5, 9], ["D", "D", "A"], ["A", "A", "D"]),  # Q1 = Q2 = 5, Q3 = 7
    ([1, 9, 9], ["D", "C", "C"], ["A", "B", "B"]),  # Q1 = 5, Q2 = Q3 = 9: the 9s on Q2
    # n = 4: Q1 = 1.75, Q2 = 2.5, Q3 = 3.25
    ([1, 2, 3, 4], ["D", "C", "B", "A"], ["A", "B", "C", "D"]),
    ([1, 1, 1, 9], ["D", "D", "D", "A"], ["A", "A", "A", "D"]),  # Q1 = Q2 = 1, Q3 = 3
    ([1, 9, 9, 9], ["D", "C", "C", "C"], ["A", "B", "B", "B"]),  # Q1 = 7, Q2 = Q3 = 9
    ([7, 7, 7, 7], ["D"] * 4, ["A"] * 4),
    # n = 5: Q1 = 2, Q2 = 3, Q3 = 4, on the values
    ([1, 2, 3, 4, 5], ["D", "D", "C", "B", "A"], ["A", "A", "B", "C", "D"]),
    ([5, 4, 3, 2, 1], ["A", "B", "C", "D", "D"], ["D", "C", "B", "A", "A"]),
    ([1, 2, 2, 2, 5], ["D", "D", "D", "D", "A"], ["A", "A", "A", "A", "D"]),  # Q1..Q3 = 2
    ([10, 20, 30, 30, 40], ["D", "D", "C", "C", "A"], ["A", "A", "B", "B", "D"]),  # 20,30,30
])
def test_small_sets_by_hand(values, higher, lower):
    assert [rules.quartile_band(v, values, HIGHER) for v in values] == higher
    assert [rules.quartile_band(v, values, LOWER) for v in values] == lower
    keyed = {f"LA{i}": v for i, v in enumerate(values)}
    assert list(rules.bands(keyed, HIGHER).values()) == higher
    assert list(rules.bands(keyed, LOWER).values()) == lower


def test_missing_values_are_left_out_and_have_no_band():
    values = [1, None, 2, 3, None, 4]
    assert rules.quartile_band(None, values, HIGHER) is None
    assert [rules.quartile_band(v, values, HIGHER) for v in values] == [
        "D", None, "C", "B", None, "A"]
    assert rules.bands({"a": 1, "b": None, "c": 2, "d": 3, "e": 4}, LOWER) == {
        "a": "A", "b": None, "c": "B", "d": "C", "e": "D"}


def test_no_values_at_all_means_no_band():
    assert rules.quartile_band(50, [], HIGHER) is None
    assert rules.quartile_band(50, [None, None], LOWER) is None
    assert rules.bands({"a": None, "b": None}, HIGHER) == {"a": None, "b": None}
    assert rules.bands({}, HIGHER) == {}


def test_polarity_neither_has_no_band():
    assert rules.quartile_band(3, [1, 2, 3, 4], NEITHER) is None
    assert rules.bands({"a": 1, "b": 2}, NEITHER) == {"a": None, "b": None}


@pytest.mark.parametrize("bad", ["Higher", "up", "", None, 1])
def test_an_unknown_polarity_is_refused(bad):
    for call in (lambda: rules.quartile_band(1, [1, 2], bad),
                 lambda: rules.bands({"a": 1}, bad),
                 lambda: rules.rank(1, [1, 2], bad),
                 lambda: rules.ranks({"a": 1}, bad)):
        with pytest.raises(RuleError, match="polarity must be 'higher', 'lower' or 'neither'"):
            call()


def test_a_bad_value_is_refused_and_named():
    with pytest.raises(RuleError, match="the value must be a number, not 'x'"):
        rules.quartile_band("x", [1, 2], HIGHER)
    with pytest.raises(RuleError, match="the value for '810' must be a finite number"):
        rules.bands({"810": math.nan}, HIGHER)
    with pytest.raises(RuleError, match="the value for '811' must be a number, not 'z'"):
        rules.ranks({"810": 1.0, "811": "z"}, LOWER)
    with pytest.raises(RuleError, match="must be a number"):
        rules.quartile_band(1, [1, "x"], HIGHER)


@given(value_lists, polarities)
def test_bands_follow_the_table(values, polarity):
    q1, q2, q3 = (rules.quantile_type7(values, p) for p in (0.25, 0.5, 0.75))
    for v in values:
        assert rules.quartile_band(v, values, polarity) == by_table(v, q1, q2, q3, polarity)


@given(st.sets(signed, min_size=1, max_size=120), polarities)
def test_distinct_values_split_into_quarters(distinct, polarity):
    # With no ties, type 7 puts exactly floor(1 + (n-1)p) values at or below each quantile.
    values = sorted(distinct)
    n = len(values)
    at_or_below = [math.floor(1 + (n - 1) * p) for p in (0.25, 0.5, 0.75)]
    by_value = [at_or_below[0], at_or_below[1] - at_or_below[0],
                at_or_below[2] - at_or_below[1], n - at_or_below[2]]
    counts = dict.fromkeys("ABCD", 0)
    for band in rules.bands({i: v for i, v in enumerate(values)}, polarity).values():
        counts[band] += 1
    letters = "DCBA" if polarity == HIGHER else "ABCD"
    assert [counts[letter] for letter in letters] == by_value
    for count in counts.values():
        assert n / 4 - 1 <= count <= n / 4 + 1  # each band holds about a quarter


@given(value_lists, polarities)
def test_a_better_value_never_has_a_worse_band(values, polarity):
    ordered = sorted(values, reverse=polarity == HIGHER)  # best first
    got = [BETTER[rules.quartile_band(v, values, polarity)] for v in ordered]
    assert got == sorted(got)
    # The least value is always on or below Q1; the greatest is above Q3 unless it ties on it.
    least = rules.quartile_band(min(values), values, polarity)
    greatest = rules.quartile_band(max(values), values, polarity)
    assert least == ("D" if polarity == HIGHER else "A")
    if max(values) > rules.quartiles(values)[2]:
        assert greatest == ("A" if polarity == HIGHER else "D")
    else:
        assert values.count(max(values)) > 1 or len(values) == 1


@given(sets_with_gaps)
def test_reversing_polarity_swaps_a_with_d_and_b_with_c(mapping):
    higher = rules.bands(mapping, HIGHER)
    lower = rules.bands(mapping, LOWER)
    assert {k: MIRROR[b] for k, b in higher.items()} == lower


@given(st.lists(signed, min_size=1, max_size=60))
def test_negating_the_values_and_the_polarity_keeps_bands_except_on_boundaries(values):
    bounds = rules.quartiles(values)
    higher = rules.bands(dict(enumerate(values)), HIGHER)
    negated = rules.bands({i: -v for i, v in enumerate(values)}, LOWER)
    for i, v in enumerate(values):
        if v in bounds:
            # On a boundary: the band of lower value. Negated, that is the other side, so the
            # mirror image is exactly one band better.
            assert BETTER[negated[i]] < BETTER[higher[i]]
        else:
            assert negated[i] == higher[i]


@given(sets_with_gaps, polarities)
def test_bands_of_a_set_equal_one_at_a_time(mapping, polarity):
    values = list(mapping.values())
    assert rules.bands(mapping, polarity) == {
        k: rules.quartile_band(v, values, polarity) for k, v in mapping.items()}


# ---------------------------------------------------------------------------------------------
# Ranks
# ---------------------------------------------------------------------------------------------

def test_ties_share_the_best_rank_and_the_next_rank_is_skipped():
    values = {"a": 10, "b": 20, "c": 20, "d": 30, "e": None}
    assert rules.ranks(values, HIGHER) == {"d": 1, "b": 2, "c": 2, "a": 4, "e": None}
    assert rules.ranks(values, LOWER) == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}
    assert rules.ranks({"a": 5, "b": 5, "c": 5}, HIGHER) == {"a": 1, "b": 1, "c": 1}
    assert rules.ranks({"a": 1, "b": 2, "c": 2, "d": 2, "e": 3}, LOWER) == {
        "a": 1, "b": 2, "c": 2, "d": 2, "e": 5}


@pytest.mark.parametrize(("values", "higher", "lower"), [
    ([42], [1], [1]),
    ([10, 20], [2, 1], [1, 2]),
    ([20, 20], [1, 1], [1, 1]),
    ([1, 5, 9], [3, 2, 1], [1, 2, 3]),
    ([9, 1, 9], [1, 3, 1], [2, 1, 2]),
    ([1, 2, 3, 4], [4, 3, 2, 1], [1, 2, 3, 4]),
    ([3, 1, 3, 2], [1, 4, 1, 3], [3, 1, 3, 2]),
    ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [1, 2, 3, 4, 5]),
    ([5, 5, 1, 1, 3], [1, 1, 4, 4, 3], [4, 4, 1, 1, 3]),
])
def test_small_sets_ranked_by_hand(values, higher, lower):
    assert [rules.rank(v, values, HIGHER) for v in values] == higher
    assert [rules.rank(v, values, LOWER) for v in values] == lower
    assert list(rules.ranks(dict(enumerate(values)), HIGHER).values()) == higher
    assert list(rules.ranks(dict(enumerate(values)), LOWER).values()) == lower


def test_rank_skips_missing_values_and_has_none_for_neither():
    assert rules.rank(None, [1, 2, 3], HIGHER) is None
    assert rules.rank(2, [1, None, 2, None, 3], HIGHER) == 2
    assert rules.rank(2, [1, 2, 3], NEITHER) is None
    assert rules.ranks({"a": 1, "b": None}, NEITHER) == {"a": None, "b": None}
    assert rules.ranks({}, HIGHER) == {}


def test_a_value_outside_the_set_is_ranked_where_it_would_fall():
    assert rules.rank(2.5, [1, 2, 3, 4], HIGHER) == 3
    assert rules.rank(2.5, [1, 2, 3, 4], LOWER) == 3
    assert rules.rank(99, [1, 2, 3], HIGHER) == 1
    assert rules.rank(99, [1, 2, 3], LOWER) == 4
    assert rules.rank(5, [], HIGHER) == 1


def test_exactly_equal_values_tie_and_nearly_equal_ones_do_not():
    assert rules.ranks({"a": 0.1 + 0.2, "b": 0.3}, HIGHER) == {"a": 1, "b": 2}
    assert rules.ranks({"a": 1, "b": 1.0, "c": Decimal("1.0")}, HIGHER) == {
        "a": 1, "b": 1, "c": 1}


@given(sets_with_gaps, polarities)
def test_ranks_are_a_competition_ranking(mapping, polarity):
    got = rules.ranks(mapping, polarity)
    present = [v for v in mapping.values() if v is not None]
    assert {k for k, r in got.items() if r is None} == {
        k for k, v in mapping.items() if v is None}
    for key, value in mapping.items():
        if value is not None:
            assert got[key] == brute_rank(value, present, polarity)
            assert got[key] == rules.rank(value, list(mapping.values()), polarity)
    # Best first: each rank is its 1-based position, unless it ties the one before it.
    order = sorted((v, got[k]) for k, v in mapping.items() if v is not None)
    if polarity == HIGHER:
        order.reverse()
    for position, (value, r) in enumerate(order, start=1):
        if position > 1 and value == order[position - 2][0]:
            assert r == order[position - 2][1]
        else:
            assert r == position
    if present:
        best = max(present) if polarity == HIGHER else min(present)
        assert sum(1 for v in present if v == best) == sum(1 for r in got.values() if r == 1)


@given(sets_with_gaps, polarities, st.randoms())
def test_ranks_do_not_depend_on_the_order_of_the_set(mapping, polarity, random):
    items = list(mapping.items())
    random.shuffle(items)
    assert rules.ranks(dict(items), polarity) == rules.ranks(mapping, polarity)
    assert rules.bands(dict(items), polarity) == rules.bands(mapping, polarity)


@given(sets_with_gaps)
def test_negating_the_values_and_the_polarity_keeps_ranks(mapping):
    negated = {k: None if v is None else -v for k, v in mapping.items()}
    assert rules.ranks(negated, LOWER) == rules.ranks(mapping, HIGHER)


@given(sets_with_gaps, polarities)
def test_a_better_rank_never_has_a_worse_band(mapping, polarity):
    ranked, banded = rules.ranks(mapping, polarity), rules.bands(mapping, polarity)
    keys = [k for k, v in mapping.items() if v is not None]
    for a in keys:
        for b in keys:
            if ranked[a] < ranked[b]:
                assert BETTER[banded[a]] <= BETTER[banded[b]]


# ---------------------------------------------------------------------------------------------
# Gaps and means
# ---------------------------------------------------------------------------------------------

def test_gap_is_value_minus_comparator():
    assert rules.gap(62.3, 65.1) == pytest.approx(-2.8)
    assert rules.gap(5.8, 46.4) == pytest.approx(-40.6)
    assert rules.gap(10, 4) == 6
    assert rules.gap(Decimal("0.3"), 0.1) == pytest.approx(0.2)
    assert rules.gap(None, 4) is None
    assert rules.gap(4, None) is None
    assert rules.gap(None, None) is None
    with pytest.raises(RuleError, match="the comparator must be a number"):
        rules.gap(1, "x")


def test_mean_ignores_missing_values():
    assert rules.mean([10, None, 20, 30]) == 20
    assert rules.mean([0.1] * 10) == 0.1  # fsum: no drift from adding ten 0.1s
    assert rules.mean([None, None]) is None
    assert rules.mean([]) is None
    assert rules.mean(iter([1, 2])) == 1.5
    with pytest.raises(RuleError, match="must be a number"):
        rules.mean([1, "x"])


@given(st.lists(st.none() | signed, max_size=30))
def test_mean_lies_between_the_least_and_greatest(values):
    present = [v for v in values if v is not None]
    result = rules.mean(values)
    if present:
        assert min(present) - 1e-9 <= result <= max(present) + 1e-9
    else:
        assert result is None


# ---------------------------------------------------------------------------------------------
# Trajectories
# ---------------------------------------------------------------------------------------------

HULL = Trajectory(28, D(2023, 1, 1), 50, D(2025, 10, 31),
                  [(D(2024, 10, 31), 42), (D(2024, 3, 31), 35)])  # milestones out of order


def test_milestones_are_kept_in_date_order():
    assert HULL.milestones == ((D(2024, 3, 31), 35.0), (D(2024, 10, 31), 42.0))
    assert HULL.points == ((D(2023, 1, 1), 28.0), (D(2024, 3, 31), 35.0),
                           (D(2024, 10, 31), 42.0), (D(2025, 10, 31), 50.0))


@pytest.mark.parametrize(("day", "expected"), [
    (D(2020, 1, 1), 28),  # long before the baseline: flat
    (D(2023, 1, 1), 28),  # on the baseline
    (D(2024, 3, 31), 35),  # on a milestone
    (D(2024, 10, 31), 42),
    (D(2025, 10, 31), 50),  # on the target
    (D(2030, 1, 1), 50),  # after the target: flat
    # 2024-03-31 -> 2024-10-31 is 214 days; 2024-07-01 is day 92 of them
    (D(2024, 7, 1), 35 + 7 * 92 / 214),
    # 2024-10-31 -> 2025-10-31 is 365 days
    (D(2025, 5, 1), 42 + 8 * 182 / 365),
    # 2023-01-01 -> 2024-03-31 is 455 days (2024 is a leap year); 2024-02-29 is day 424
    (D(2024, 2, 29), 28 + 7 * 424 / 455),
])
def test_expected_on_interpolates_by_calendar_days(day, expected):
    assert rules.expected_on(HULL, day) == pytest.approx(expected)


def test_a_trajectory_without_milestones_is_a_straight_line():
    line = Trajectory(Decimal("55"), D(2021, 1, 1), 75, D(2022, 12, 31))  # Hackney
    assert line.milestones == ()
    assert rules.expected_on(line, D(2022, 1, 1)) == pytest.approx(55 + 20 * 365 / 729)
    assert isinstance(line.baseline_value, float)


def test_a_falling_trajectory_to_zero():
    waits = Trajectory(12, D(2024, 4, 1), 0, D(2025, 3, 31))
    assert rules.expected_on(waits, D(2024, 4, 1)) == 12
    assert rules.expected_on(waits, D(2024, 9, 30)) == pytest.approx(12 - 12 * 182 / 364)
    assert rules.expected_on(waits, D(2025, 3, 31)) == 0
    assert rules.expected_on(waits, D(2026, 1, 1)) == 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"baseline_date": D(2025, 1, 1)}, "baseline date .01 Jan 2025. must be before"),
    ({"baseline_date": D(2026, 1, 1)}, "must be before the target date"),
    ({"baseline_date": dt.datetime(2024, 1, 1, 9, 0)}, "baseline date must be a date"),
    ({"target_date": "2025-01-01"}, "target date must be a date"),
    ({"baseline_value": "28%"}, "baseline value must be a number"),
    ({"target_value": None}, "target value must be a number"),
    ({"target_value": math.inf}, "target value must be a finite number"),
    ({"milestones": [(D(2024, 1, 1), 30)]}, "milestone 1 .01 Jan 2024. must fall after"),
    ({"milestones": [(D(2024, 6, 1), 30), (D(2025, 1, 1), 40)]},
     "milestone 2 .01 Jan 2025. must fall after the baseline date .01 Jan 2024. and before "
     "the target date .01 Jan 2025."),
    ({"milestones": [(D(2024, 6, 1), 30), (D(2024, 6, 1), 31)]},
     "two milestones share the date 01 Jun 2024"),
    ({"milestones": [(D(2024, 6, 1), "x")]}, "value of milestone 1 must be a number"),
    ({"milestones": [("2024-06-01", 30)]}, "date of milestone 1 must be a date"),
    ({"milestones": [(D(2024, 6, 1),)]}, r"milestone 1 must be a \(date, value\) pair"),
    ({"milestones": [5]}, r"milestone 1 must be a \(date, value\) pair"),
])
def test_a_bad_trajectory_is_refused_in_words(kwargs, message):
    good = {"baseline_value": 10, "baseline_date": D(2024, 1, 1), "target_value": 20,
            "target_date": D(2025, 1, 1)}
    with pytest.raises(RuleError, match=message):
        Trajectory(**(good | kwargs))


trajectory_dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


@st.composite
def trajectories(draw):
    days = sorted(draw(st.sets(trajectory_dates, min_size=2, max_size=6)))
    values = draw(st.lists(signed, min_size=len(days), max_size=len(days)))
    milestones = list(zip(days[1:-1], values[1:-1], strict=True))
    draw(st.randoms()).shuffle(milestones)
    return Trajectory(values[0], days[0], values[-1], days[-1], milestones)


@given(trajectories(), trajectory_dates)
def test_expected_lies_between_the_points_either_side(trajectory, day):
    points = trajectory.points
    got = rules.expected_on(trajectory, day)
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if d0 <= day <= d1:
            assert min(v0, v1) - 1e-9 <= got <= max(v0, v1) + 1e-9
    for d, v in points:
        assert rules.expected_on(trajectory, d) == v
    if day < points[0][0]:
        assert got == points[0][1]
    if day > points[-1][0]:
        assert got == points[-1][1]


# ---------------------------------------------------------------------------------------------
# Status against the trajectory
# ---------------------------------------------------------------------------------------------

TIMELINESS = Trajectory(28, D(2024, 1, 1), 50, D(2025, 10, 31), [(D(2024, 10, 31), 42)])
ZERO = Trajectory(10, D(2024, 4, 1), 0, D(2025, 3, 31))  # no child waiting over 52 weeks


def test_the_issue_s_example():
    got = rules.status(TIMELINESS, 38, D(2024, 10, 31), HIGHER, 1, unit="%")
    assert got == rules.Status(
        "behind", 42.0, -4.0, "38% against a trajectory of 42% for Oct 2024; 4 points behind")


@pytest.mark.parametrize(("actual", "tolerance", "kind", "difference", "how"), [
    (38, 1, "behind", -4, "4 points behind"),
    (41, 1, "on_track", -1, "1 point behind, within the tolerance of 1 point"),
    (42, 0, "on_track", 0, "on the trajectory"),
    (43, 1, "on_track", 1, "1 point ahead, within the tolerance of 1 point"),
    (43.5, 1, "ahead", 1.5, "1.5 points ahead"),
    (46, 2.5, "ahead", 4, "4 points ahead"),
    (40.5, 1.5, "on_track", -1.5, "1.5 points behind, within the tolerance of 1.5 points"),
    (40.4, 1.5, "behind", -1.6, "1.6 points behind"),
])
def test_higher_is_better_percentages(actual, tolerance, kind, difference, how):
    got = rules.status(TIMELINESS, actual, D(2024, 10, 31), HIGHER, tolerance, unit="%")
    assert (got.kind, got.expected, got.difference) == (kind, 42, difference)
    assert got.reason.endswith(f"for Oct 2024; {how}")


@pytest.mark.parametrize(("actual", "kind", "difference", "reason"), [
    # weeks waited, lower is better; expected 12 at the baseline
    (15, "behind", -3, "15 weeks against a trajectory of 12 weeks for Apr 2024; 3 weeks behind"),
    (13, "on_track", -1, "13 weeks against a trajectory of 12 weeks for Apr 2024; "
     "1 week behind, within the tolerance of 1 week"),
    (12, "on_track", 0, "12 weeks against a trajectory of 12 weeks for Apr 2024; "
     "on the trajectory"),
    (11, "on_track", 1, "11 weeks against a trajectory of 12 weeks for Apr 2024; "
     "1 week ahead, within the tolerance of 1 week"),
    (9.5, "ahead", 2.5, "9.5 weeks against a trajectory of 12 weeks for Apr 2024; "
     "2.5 weeks ahead"),
])
def test_lower_is_better_weeks(actual, kind, difference, reason):
    waits = Trajectory(12, D(2024, 4, 1), 6, D(2025, 3, 31))
    got = rules.status(waits, actual, D(2024, 4, 1), LOWER, 1, unit="weeks")
    assert (got.kind, got.difference, got.reason) == (kind, difference, reason)


def test_lower_is_better_reason_reads_plainly():
    waits = Trajectory(12, D(2024, 4, 1), 6, D(2025, 3, 31))
    got = rules.status(waits, 1, D(2025, 4, 1), LOWER, 0, unit="weeks")
    assert got.reason == "1 week against a trajectory of 6 weeks for Apr 2025; 5 weeks ahead"


@pytest.mark.parametrize(("actual", "day", "tolerance", "kind", "reason"), [
    (3, D(2025, 3, 31), 0, "behind",
     "3 against a trajectory of 0 for Mar 2025; 3 more than planned"),
    (0, D(2025, 3, 31), 0, "on_track", "0 against a trajectory of 0 for Mar 2025; on the "
     "trajectory"),
    (1, D(2025, 3, 31), 1, "on_track", "1 against a trajectory of 0 for Mar 2025; 1 more "
     "than planned, within the tolerance of 1"),
    (2, D(2025, 6, 30), 1, "behind",
     "2 against a trajectory of 0 for Jun 2025; 2 more than planned"),
    # halfway (day 182 of 364): expected 5
    (2, D(2024, 9, 30), 0, "ahead",
     "2 against a trajectory of 5 for Sep 2024; 3 fewer than planned"),
    (7, D(2024, 9, 30), 0, "behind",
     "7 against a trajectory of 5 for Sep 2024; 2 more than planned"),
])
def test_a_target_of_zero(actual, day, tolerance, kind, reason):
    got = rules.status(ZERO, actual, day, LOWER, tolerance, unit="count")
    assert (got.kind, got.reason) == (kind, reason)


def test_a_count_target_of_zero_when_higher_is_better():
    # e.g. a count that should rise from zero: supported internships started
    rising = Trajectory(0, D(2024, 9, 1), 20, D(2025, 7, 31))
    got = rules.status(rising, 3, D(2024, 9, 1), HIGHER, 0, unit="count")
    assert (got.kind, got.difference) == ("ahead", 3)
    assert got.reason == "3 against a trajectory of 0 for Sep 2024; 3 more than planned"
    got = rules.status(rising, 0, D(2025, 7, 31), HIGHER, 2, unit="count")
    assert (got.kind, got.difference) == ("behind", -20)
    assert got.reason == "0 against a trajectory of 20 for Jul 2025; 20 fewer than planned"


def test_a_percentage_target_of_zero():
    exclusions = Trajectory(1.2, D(2024, 9, 1), 0, D(2025, 8, 31))
    got = rules.status(exclusions, 0.4, D(2025, 8, 31), LOWER, 0.1, unit="%")
    assert got.kind == "behind"
    assert got.reason == "0.4% against a trajectory of 0% for Aug 2025; 0.4 points behind"


def test_counts_are_whole_numbers_and_decided_as_shown():
    # Expected 10 - 10 * 100/364 = 7.25...: shown as 7, so 7 is on the trajectory.
    day = D(2024, 7, 10)
    got = rules.status(ZERO, 7, day, LOWER, 0, unit="count")
    assert got.expected == pytest.approx(10 - 10 * 100 / 364)
    assert (got.kind, got.difference) == ("on_track", 0)
    assert got.reason == "7 against a trajectory of 7 for Jul 2024; on the trajectory"
    got = rules.status(ZERO, 8, day, LOWER, 0, unit="count")
    assert got.reason == "8 against a trajectory of 7 for Jul 2024; 1 more than planned"


def test_rounding_is_half_away_from_zero_on_the_figure_as_written():
    flat = Trajectory(42.25, D(2024, 1, 1), 42.25, D(2025, 1, 1))
    got = rules.status(flat, 38.25, D(2024, 6, 1), HIGHER, 0, unit="%")
    assert got.reason == "38.3% against a trajectory of 42.3% for Jun 2024; 4 points behind"
    assert rules._figure(rules._round(2.5, 0)) == "3"
    assert rules._figure(rules._round(-2.5, 0)) == "-3"
    assert rules._figure(rules._round(0.05, 1)) == "0.1"
    assert rules._figure(rules._round(-0.04, 1)) == "0"  # never "-0"
    assert rules._figure(rules._round(1234567.0, 0)) == "1,234,567"
    assert rules._figure(rules._round(1e300, 1)).startswith("1,000,000,000")


def test_the_decision_is_made_at_the_shown_precision_not_on_float_noise():
    flat = Trajectory(43.1, D(2024, 1, 1), 43.1, D(2025, 1, 1))
    # 41.1 - 43.1 is -2.0000000000000036 in floating point; it is 2 points, within 2.
    got = rules.status(flat, 41.1, D(2024, 6, 1), HIGHER, 2, unit="%")
    assert (got.kind, got.difference) == ("on_track", -2)
    # 2.04 points behind shows as 2 points behind, so with a tolerance of 2 it is on track.
    got = rules.status(flat, 41.06, D(2024, 6, 1), HIGHER, 2, unit="%")
    assert (got.kind, got.difference) == ("on_track", -2)
    got = rules.status(flat, 41.04, D(2024, 6, 1), HIGHER, 2, unit="%")
    assert (got.kind, got.difference) == ("behind", -2.1)


@pytest.mark.parametrize(("unit", "actual_text", "expected_text", "how"), [
    ("rate", "5.2", "5", "0.2 behind"),
    ("score", "5.2", "5", "0.2 behind"),
    ("grade", "5.2", "5", "0.2 behind"),
    ("", "5.2", "5", "0.2 behind"),
    ("per 10,000 pupils", "5.2 per 10,000 pupils", "5 per 10,000 pupils",
     "0.2 per 10,000 pupils behind"),
    ("days", "5.2 days", "5 days", "0.2 days behind"),
])
def test_other_units(unit, actual_text, expected_text, how):
    suspensions = Trajectory(5, D(2024, 1, 1), 3, D(2025, 1, 1))
    got = rules.status(suspensions, 5.2, D(2024, 1, 1), LOWER, 0.1, unit=unit)
    assert got.reason == (f"{actual_text} against a trajectory of {expected_text} for Jan 2024; "
                          f"{how}")


def test_decimals_can_be_chosen():
    progress8 = Trajectory(-0.4, D(2023, 9, 1), -0.1, D(2025, 8, 31))
    got = rules.status(progress8, -0.35, D(2023, 9, 1), HIGHER, 0.02, unit="score", decimals=2,
                       period="2023/24")
    assert (got.kind, got.difference) == ("ahead", 0.05)
    assert got.reason == "-0.35 against a trajectory of -0.4 for 2023/24; 0.05 ahead"
    got = rules.status(ZERO, 3, D(2025, 3, 31), LOWER, 0, unit="count", decimals=1)
    assert got.reason == "3 against a trajectory of 0 for Mar 2025; 3 more than planned"
    for bad in (-1, 1.5, True, "2"):
        with pytest.raises(RuleError, match="decimal places"):
            rules.status(ZERO, 3, D(2025, 3, 31), LOWER, 0, unit="count", decimals=bad)


def test_the_period_label_can_be_given():
    got = rules.status(TIMELINESS, 38, D(2024, 10, 31), HIGHER, 1, unit="%",
                       period="Autumn term 2024")
    assert got.reason.endswith("for Autumn term 2024; 4 points behind")


@pytest.mark.parametrize(("day", "label"), [
    (D(2024, 1, 31), "Jan 2024"), (D(2024, 2, 29), "Feb 2024"), (D(2024, 3, 1), "Mar 2024"),
    (D(2024, 4, 1), "Apr 2024"), (D(2024, 5, 1), "May 2024"), (D(2024, 6, 1), "Jun 2024"),
    (D(2024, 7, 1), "Jul 2024"), (D(2024, 8, 1), "Aug 2024"), (D(2024, 9, 1), "Sep 2024"),
    (D(2024, 10, 1), "Oct 2024"), (D(2024, 11, 1), "Nov 2024"), (D(2024, 12, 31), "Dec 2024"),
])
def test_period_labels(day, label):
    assert rules.period_label(day) == label


def test_no_actual_means_no_status():
    assert rules.status(TIMELINESS, None, D(2024, 10, 31), HIGHER, 1, unit="%") is None


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    ((38, D(2024, 10, 31), NEITHER, 1), {"unit": "%"}, "neither higher nor lower is better"),
    ((38, D(2024, 10, 31), "up", 1), {"unit": "%"}, "polarity must be"),
    ((38, D(2024, 10, 31), HIGHER, -1), {"unit": "%"}, "tolerance must be 0 or more"),
    ((38, D(2024, 10, 31), HIGHER, None), {"unit": "%"}, "tolerance must be a number"),
    (("38%", D(2024, 10, 31), HIGHER, 1), {"unit": "%"}, "actual value must be a number"),
    ((38, "2024-10-31", HIGHER, 1), {"unit": "%"}, "the date must be a date"),
    ((38, D(2024, 10, 31), HIGHER, 1), {"unit": None}, "unit must be text"),
])
def test_bad_status_input_is_refused_in_words(args, kwargs, message):
    with pytest.raises(RuleError, match=message):
        rules.status(TIMELINESS, *args, **kwargs)


units = st.sampled_from(["%", "count", "weeks", "rate", "score"])
tolerances = st.integers(min_value=0, max_value=50).map(lambda i: i / 10)


@given(trajectories(), signed, trajectory_dates, polarities, tolerances, units)
def test_the_kind_follows_the_difference_and_tolerance(trajectory, actual, day, polarity,
                                                       tolerance, unit):
    got = rules.status(trajectory, actual, day, polarity, tolerance, unit=unit)
    assert got.expected == rules.expected_on(trajectory, day)
    raw = actual - got.expected if polarity == HIGHER else got.expected - actual
    places = 0 if unit == "count" else 1
    assert abs(got.difference - raw) <= 0.5 * 10 ** -places + 1e-9
    allowed = float(rules._round(tolerance, places))
    if abs(got.difference) <= allowed:
        assert got.kind == "on_track"
    elif got.difference > 0:
        assert got.kind == "ahead"
    else:
        assert got.kind == "behind"
    assert got.reason.startswith(rules._with_unit(rules._round(actual, places), unit))
    assert f" for {rules.period_label(day)}; " in got.reason
    if got.kind != "on_track" and unit != "count":
        assert got.reason.endswith(got.kind)


@given(trajectories(), signed, trajectory_dates, tolerances, units)
def test_reversing_the_polarity_reverses_the_verdict(trajectory, actual, day, tolerance, unit):
    higher = rules.status(trajectory, actual, day, HIGHER, tolerance, unit=unit)
    lower = rules.status(trajectory, actual, day, LOWER, tolerance, unit=unit)
    assert higher.difference == -lower.difference
    swap = {"ahead": "behind", "behind": "ahead", "on_track": "on_track"}
    assert lower.kind == swap[higher.kind]


@given(trajectories(), signed, trajectory_dates, tolerances, units)
def test_lower_is_better_mirrors_higher_is_better(trajectory, actual, day, tolerance, unit):
    negated = Trajectory(-trajectory.baseline_value, trajectory.baseline_date,
                         -trajectory.target_value, trajectory.target_date,
                         [(d, -v) for d, v in trajectory.milestones])
    higher = rules.status(trajectory, actual, day, HIGHER, tolerance, unit=unit)
    lower = rules.status(negated, -actual, day, LOWER, tolerance, unit=unit)
    assert (lower.kind, lower.difference) == (higher.kind, higher.difference)


@given(st.dates(min_value=D(2020, 1, 2), max_value=D(2030, 1, 1)), signed, tolerances)
def test_a_zero_target_is_met_only_by_zero_once_the_date_has_passed(target_day, actual,
                                                                     tolerance):
    trajectory = Trajectory(25, D(2020, 1, 1), 0, target_day)
    actual = abs(actual)  # a count or a percentage cannot be negative
    got = rules.status(trajectory, actual, target_day, LOWER, tolerance, unit="%")
    assert got.expected == 0
    assume(actual > 0)
    assert got.kind in ("on_track", "behind")
    assert got.kind == ("on_track" if actual <= tolerance else "behind")


# ---------------------------------------------------------------------------------------------
# DfE's 20-week timeliness for every LA (read from ../shared when it is there)
# ---------------------------------------------------------------------------------------------

TIMELINESS_FILE = (Path(__file__).resolve().parents[2].parent / "shared" / "data"
                   / "dfe-ehc-plans-2025" / "timeliness_20_week.csv")


def _published(year):
    if not TIMELINESS_FILE.exists():
        pytest.skip(f"DfE's EHC plans release is not at {TIMELINESS_FILE} (it is not "
                    "committed; put the 2025 release there to run this test)")
    with TIMELINESS_FILE.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle)
                if row["time_period"] == year and row["geographic_level"] == "Local authority"
                and row["breakdown"] == "All EHC plans issued"]
    cell = "pc_plans_issued_within_20_weeks"
    return ({row["new_la_code"]: None if row[cell] in ("x", "z", "c") else float(row[cell])
             for row in rows}, {row["new_la_code"]: row["la_name"] for row in rows})


@pytest.mark.parametrize("year", ["2019", "2020", "2021", "2022", "2023", "2024"])
def test_every_la_on_the_published_timeliness(year):
    values, _ = _published(year)
    present = [v for v in values.values() if v is not None]
    assert len(present) > 140
    bounds = rules.quartiles(present)
    assert bounds == pytest.approx(statistics.quantiles(present, n=4, method="inclusive"))
    banded, ranked = rules.bands(values, HIGHER), rules.ranks(values, HIGHER)
    for code, value in values.items():
        if value is None:
            assert banded[code] is None and ranked[code] is None
        else:
            assert banded[code] == by_table(value, *bounds, HIGHER)
            assert ranked[code] == brute_rank(value, present, HIGHER)


def test_las_on_a_2024_boundary_fall_in_the_lower_band():
    # 153 LAs in 2024: index 1 + 152p is 39, 77 and 115, so every boundary is a published
    # value, and four LAs sit exactly on one.
    values, names = _published("2024")
    present = sorted(v for v in values.values() if v is not None)
    assert len(present) == 153
    q1, q2, q3 = rules.quartiles(present)
    assert (q1, q2, q3) == (present[38], present[76], present[114])
    banded = rules.bands(values, HIGHER)
    on = {names[code]: (value, banded[code]) for code, value in values.items()
          if value in (q1, q2, q3)}
    assert on == {"Luton": (q1, "D"), "Havering": (q1, "D"), "Swindon": (q2, "C"),
                  "Islington": (q3, "B")}
    counts = {band: list(banded.values()).count(band) for band in "ABCD"}
    assert counts == {"A": 38, "B": 38, "C": 38, "D": 39}  # the two on Q1 make D one larger
