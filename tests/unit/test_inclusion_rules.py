"""The inclusion scorecard's rules: measures, periods, rates, totals and suppression.

The suppression tests check the rule against an independent brute force: every assignment
of the withheld figures that a reader could not tell apart from the truth (shown figures the
same, "fewer than 5" meaning 1 to 4, "withheld" meaning 5 or more) is enumerated, and each
figure of 1 to 4 must still have at least two possible values.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lapis.inclusion import rules
from lapis.inclusion.rules import LA, SECONDARY, SMALL, Figure


def fig(key, count, trust="T1", locality="East", denominator=100):
    return Figure(key, key, trust, locality, count, denominator)


# --- reading values --------------------------------------------------------------------------

@pytest.mark.parametrize("text, key", [
    ("Primary", "primary"), ("SECONDARY", "secondary"), ("All-through", "all_through"),
    ("all through", "all_through"), ("AP", "ap"), ("Alternative provision", "ap"),
    ("Post-16", "post_16"), ("post 16", "post_16"), ("special", "special"),
    ("Nursery", "nursery"),
])
def test_phases_are_read_whatever_the_spelling(text, key):
    assert rules.read_phase(text) == key


@pytest.mark.parametrize("text", ["", None, "Infant", "middle"])
def test_an_unknown_phase_is_refused_with_the_choices(text):
    with pytest.raises(rules.RuleError, match="Primary"):
        rules.read_phase(text)


@pytest.mark.parametrize("text, key", [
    ("suspensions", "suspensions"), ("Permanent exclusions", "permanent_exclusions"),
    ("permanent_exclusions", "permanent_exclusions"), ("ATTENDANCE", "attendance"),
    ("Persistent absence", "persistent_absence"), ("part-time timetables",
                                                   "part_time_timetables"),
    ("Elective Home Education", "elective_home_education"),
])
def test_measures_are_read_by_key_or_name(text, key):
    assert rules.read_measure(text) == key


def test_an_unknown_measure_is_refused():
    with pytest.raises(rules.RuleError, match="is not a measure"):
        rules.read_measure("exclusions")


@pytest.mark.parametrize("text, period", [
    ("2023/24", "2023/24"), ("2024/25 Autumn", "2024/25 Autumn"),
    ("2024/25 autumn term", "2024/25 Autumn"), ("2024-25  SPRING", "2024/25 Spring"),
    ("1999/00", "1999/00"),
])
def test_periods_are_tidied(text, period):
    assert rules.read_period(text) == period


@pytest.mark.parametrize("text", ["2024", "2024/26", "Autumn 2024", "2024/25 Winter", ""])
def test_a_bad_period_is_refused(text):
    with pytest.raises(rules.RuleError):
        rules.read_period(text)


def test_periods_sort_by_time_the_whole_year_after_its_terms():
    periods = ["2024/25", "2024/25 Summer", "2023/24", "2024/25 Autumn", "2024/25 Spring"]
    assert sorted(periods, key=rules.period_key) == [
        "2023/24", "2024/25 Autumn", "2024/25 Spring", "2024/25 Summer", "2024/25"]


@pytest.mark.parametrize("value, expected", [
    (3, 3), (0, 0), ("12", 12), (" 1,204 ", 1204), (7.0, 7), ("5.0", 5),
])
def test_counts_are_whole_numbers(value, expected):
    assert rules.read_count(value, "count", required=True) == expected


@pytest.mark.parametrize("value", [-1, 2.5, "2.5", "three", True, "-4"])
def test_bad_counts_are_refused(value):
    with pytest.raises(rules.RuleError):
        rules.read_count(value, "count", required=True)


def test_a_missing_count_is_refused_only_when_required():
    assert rules.read_count("", "denominator", required=False) is None
    with pytest.raises(rules.RuleError, match="missing"):
        rules.read_count(None, "count", required=True)


def test_rates_are_per_100_and_need_a_denominator():
    assert rules.rate(3, 200) == 1.5
    assert rules.rate(0, 50) == 0
    assert rules.rate(3, None) is None
    assert rules.rate(None, 10) is None
    assert rules.rate(3, 0) is None


def test_a_percentage_cannot_exceed_its_denominator():
    rules.check_figure("suspensions", 300, 200)  # a pupil can be suspended more than once
    with pytest.raises(rules.RuleError, match="more than"):
        rules.check_figure("attendance", 201, 200)
    with pytest.raises(rules.RuleError, match="more than 0"):
        rules.check_figure("suspensions", 1, 0)


def test_differences_from_the_la_average_say_better_or_worse_in_words():
    assert rules.difference(3.0, 2.0, "suspensions") == "1.0 above (worse)"
    assert rules.difference(91.0, 93.5, "attendance") == "2.5 points below (worse)"
    assert rules.difference(95.0, 93.5, "attendance") == "1.5 points above (better)"
    assert rules.difference(2.0, 2.0, "suspensions") == "Same"
    assert rules.difference(None, 2.0, "suspensions") == ""


# --- totals ----------------------------------------------------------------------------------

def test_totals_pool_counts_and_denominators():
    figures = [fig("a", 10, "T1", "East", 100), fig("b", 2, "T1", "West", 300),
               fig("c", 6, "", "West", 200), fig("d", None, "T1", "East", 50)]
    by_trust = {t.name: t for t in rules.totals(figures, "trust")}
    assert by_trust["T1"].count == 12 and by_trust["T1"].denominator == 400
    assert by_trust["T1"].value == 3.0 and by_trust["T1"].schools == 2
    assert by_trust[rules.MAINTAINED].count == 6
    assert [t.name for t in rules.totals(figures, "trust")] == ["T1", rules.MAINTAINED]
    by_locality = {t.name: t.count for t in rules.totals(figures, "locality")}
    assert by_locality == {"East": 10, "West": 8}
    [la] = rules.totals(figures, "la")
    assert (la.count, la.denominator, la.value) == (18, 600, 3.0)


def test_a_total_without_every_denominator_has_no_rate():
    [la] = rules.totals([fig("a", 10, denominator=None), fig("b", 5)], "la")
    assert la.count == 15 and la.value is None


# --- suppression -----------------------------------------------------------------------------

def test_one_to_four_are_withheld_and_zero_is_shown():
    figures = [fig(k, c, trust=k, locality=k) for k, c in
               [("a", 0), ("b", 1), ("c", 4), ("d", 5), ("e", 30), ("f", 40)]]
    found = rules.suppress(figures)
    assert found.cell("a") is None
    assert found.cell("b") == SMALL and found.cell("c") == SMALL
    assert found.cell("e") is None or found.cell("e") == SECONDARY


def test_a_trust_with_one_small_school_loses_its_next_smallest_too():
    figures = [fig("a", 2, "T1", "East"), fig("b", 9, "T1", "East"), fig("c", 7, "T1", "East"),
               fig("d", 20, "T2", "East"), fig("e", 25, "T2", "East")]
    found = rules.suppress(figures)
    assert found.cells == {"a": SMALL, "c": SECONDARY}
    assert found.totals == {}


def test_a_small_school_alone_in_its_trust_and_locality_hides_a_total():
    figures = [fig("a", 3, "T1", "North"), fig("b", 20, "T2", "East"),
               fig("c", 30, "T2", "East")]
    found = rules.suppress(figures)
    assert found.cell("a") == SMALL
    assert rules.exposed_figures(figures, found) == []
    assert found.totals  # the trust or locality (or LA) total had to go


def test_a_small_total_is_withheld_and_protected():
    figures = [fig("a", 0, "T1", "East"), fig("b", 3, "T1", "East"),
               fig("c", 40, "T2", "West"), fig("d", 50, "T2", "West")]
    found = rules.suppress(figures)
    assert found.total(("trust", "T1")) == SMALL
    assert found.total(("locality", "East")) == SMALL
    assert rules.exposed_figures(figures, found) == []


def test_everything_small_withholds_the_la_total_too():
    figures = [fig("a", 1), fig("b", 2)]
    found = rules.suppress(figures)
    assert found.total(LA) == SMALL
    assert rules.exposed_figures(figures, found) == []


def test_suppression_is_the_same_every_time():
    figures = [fig(str(i), c, f"T{i % 3}", f"L{i % 2}") for i, c in
               enumerate([1, 5, 8, 3, 0, 12, 7, 2, 9])]
    assert rules.suppress(figures) == rules.suppress(list(reversed(figures)))


def test_rows_blank_withheld_counts_and_rates_only_when_shared():
    figures = [fig("a", 2, "T1", "East", 100), fig("b", 9, "T1", "East", 100),
               fig("c", 7, "T1", "East", 100), fig("d", 20, "T2", "East", 100),
               fig("e", 25, "T2", "East", 100)]
    rows, la = rules.rows(figures, "school", shared=True)
    shown = {r.name: (r.shown_count, r.value) for r in rows}
    assert shown["a"] == (rules.FEWER_THAN_5, None)
    assert shown["c"] == (rules.WITHHELD, None)
    assert shown["b"] == ("9", 9.0)
    assert la.count == 63 and la.value == pytest.approx(12.6)
    rows, _ = rules.rows(figures, "school", shared=False)
    assert {r.name: r.shown_count for r in rows}["a"] == "2"
    trusts, _ = rules.rows(figures, "trust", shared=True)
    assert [(t.name, t.shown_count) for t in trusts] == [("T1", "18"), ("T2", "45")]


# --- no withheld figure can be worked out (property-based, against a brute force) -------------

CAP = 13  # counts drawn below 12, so a shift of one either way stays under the cap


def _possible(figures, found):
    """Every value each small withheld figure could take, given what a shared view shows."""
    sums = rules._group_sums(f for f in figures if f.count is not None)
    hidden = [f for f in figures if found.cell(f.key)]
    ranges = [range(1, 5) if found.cell(f.key) == SMALL else range(5, CAP + 1) for f in hidden]
    visible = [f for f in figures if not found.cell(f.key)]
    options = {("cell", f.key): set() for f in hidden if found.cell(f.key) == SMALL}
    options.update({("total", g): set() for g, why in found.totals.items() if why == SMALL})
    for values in itertools.product(*ranges):
        guess = {f.key: v for f, v in zip(hidden, values, strict=True)}
        guess.update({f.key: f.count for f in visible})
        guessed = rules._group_sums(Figure(f.key, f.name, f.trust, f.locality, guess[f.key],
                                           f.denominator) for f in figures)
        ok = True
        for group, true_sum in sums.items():
            why = found.total(group)
            if why is None:
                ok = guessed[group] == true_sum
            elif why == SMALL:
                ok = 1 <= guessed[group] <= 4
            else:
                ok = guessed[group] >= 5
            if not ok:
                break
        if ok:
            for f in hidden:
                if ("cell", f.key) in options:
                    options["cell", f.key].add(guess[f.key])
            for group, why in found.totals.items():
                if why == SMALL:
                    options["total", group].add(guessed[group])
    return options


school = st.tuples(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 11]),
                   st.sampled_from(["T1", "T2", ""]),
                   st.sampled_from(["East", "West", "North"]))
tiny_school = st.tuples(st.sampled_from([0, 1, 1, 2, 4]), st.sampled_from(["T1", "T2", ""]),
                        st.sampled_from(["East", "West"]))


def test_when_the_counts_give_each_other_away_everything_is_withheld_alike():
    """Four schools of "fewer than 5" and an LA total of "fewer than 5": each must be 1."""
    figures = [fig("a", 1, "T1", "East"), fig("b", 1, "T2", "West"), fig("c", 1, "", "East"),
               fig("d", 1, "T1", "West"), fig("e", 0, "T2", "East")]
    found = rules.suppress(figures)
    assert found.everything
    assert set(found.cells.values()) == {rules.ALL} and set(found.cells) == set("abcde")
    assert set(found.totals.values()) == {rules.ALL}
    rows, la = rules.rows(figures, "school", shared=True)
    assert {r.shown_count for r in rows} == {rules.WITHHELD} and la.count is None


def _check(schools):
    figures = [Figure(f"s{i}", f"School {i}", trust, locality, count, 100)
               for i, (count, trust, locality) in enumerate(schools)]
    found = rules.suppress(figures)
    if found.everything:  # nothing is shown but the list of schools: nothing to work out
        assert set(found.cells.values()) == {rules.ALL}
        assert set(found.totals.values()) == {rules.ALL}
        return
    # every count of 1 to 4, school or total, is withheld
    for f in figures:
        assert not rules.small(f.count) or found.cell(f.key) == SMALL
    for group, count in rules._group_sums(figures).items():
        assert not rules.small(count) or found.total(group) == SMALL
    # zeros are never withheld, so "withheld" always means 5 or more
    assert all(found.cell(f.key) is None for f in figures if f.count == 0)
    assert all(c >= 5 for g, c in rules._group_sums(figures).items()
               if found.total(g) == SECONDARY)
    assert rules.exposed_figures(figures, found) == []
    for item, values in _possible(figures, found).items():
        assert len(values) >= 2, f"{item} can only be {values}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(school, min_size=1, max_size=6))
def test_no_withheld_small_figure_can_be_worked_out(schools):
    _check(schools)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tiny_school, min_size=1, max_size=7))
def test_no_withheld_small_figure_can_be_worked_out_when_most_are_small(schools):
    _check(schools)


@settings(max_examples=100, deadline=None)
@given(st.lists(school, min_size=1, max_size=5))
def test_the_exact_check_agrees_with_the_brute_force(schools):
    """`exposed_figures` says a figure is exposed exactly when the brute force finds one
    possible value, for the primary suppression alone (before any protection)."""
    figures = [Figure(f"s{i}", f"School {i}", trust, locality, count, 100)
               for i, (count, trust, locality) in enumerate(schools)]
    found = rules.Suppression(
        cells={f.key: SMALL for f in figures if rules.small(f.count)},
        totals={g: SMALL for g, c in rules._group_sums(figures).items() if rules.small(c)})
    exposed = set(rules.exposed_figures(figures, found))
    for item, values in _possible(figures, found).items():
        assert (len(values) == 1) == (item in exposed), (item, values)
