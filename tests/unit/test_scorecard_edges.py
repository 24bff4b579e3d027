"""The pure rules of `lapis.scorecard.edges` and the chart's gaps and breaks."""

import re

import pytest

from lapis.scorecard import charts, edges


@pytest.mark.parametrize(("value", "expected"), [
    (42.230000000000004, 42.23), (13.100000000000009, 13.1), (-15.099999999999998, -15.1),
    (378.0, 378), (0.0, 0), (5.8, 5.8), (None, None), ("2024", "2024"), (True, True),
    (7, 7), (1 / 3, 0.3333333333), (123456.789, 123456.789),
])
def test_tidy(value, expected):
    assert edges.tidy(value) == expected
    assert type(edges.tidy(value)) is type(expected)


@pytest.mark.parametrize(("a", "b", "expected"), [
    (60.5, 45.9, 14.6), (97.9, 84.8, 13.1), (29.3, 44.4, -15.1), (5.8, 46.4, -40.6),
    (0.1, 0.2, -0.1), (1, 1, 0.0), (None, 4, None), (4, None, None),
])
def test_gap_is_exact_on_the_figures_as_written(a, b, expected):
    assert edges.gap(a, b) == expected


def test_the_break_is_data_with_its_source():
    (found,) = edges.breaks_for("ehcp_issued_20_weeks")
    assert (found.last_before, found.first) == ("2022", "2023")
    assert "Data sources" in found.source and "change of data source" in found.why
    assert edges.breaks_for("timely") == []


@pytest.mark.parametrize(("earlier", "later", "spans"), [
    ("2022", "2023", True), ("2021", "2024", True), ("2019", "2022", False),
    ("2023", "2024", False), ("2022", "2022", False), ("2024", "2023", False),
    ("2022/23", "2023/24", True), ("2023/24", "2024/25", False), ("nonsense", "2023", False),
])
def test_break_between(earlier, later, spans):
    found = edges.break_between("ehcp_issued_20_weeks", earlier, later)
    assert (found is not None) == spans
    assert edges.break_between("timely", earlier, later) is None


def test_successors_are_matched_by_code():
    assert {c: s.predecessor for c, s in edges.SUCCESSORS.items()} == {
        "942": "909", "943": "909", "940": "928", "941": "928"}
    assert edges.SUCCESSORS["943"].last == "2022" and edges.SUCCESSORS["940"].last == "2020"
    assert "Westmorland and Furness (943)" in edges.SUCCESSORS["942"].note


def _lines(svg):
    return [len(p.split()) for p in re.findall(r'<polyline points="([^"]+)"', svg)]


def test_a_missing_period_leaves_a_gap():
    svg = charts.line_chart(title="t", series=[
        ("A", [("2019", 1), ("2020", 2), ("2021", None), ("2022", 4), ("2023", 5)])])
    assert _lines(svg) == [2, 2]
    assert svg.count("<circle") == 5  # four points and the legend's marker
    assert "2021 no value" in svg


def test_a_break_cuts_the_line_and_is_marked():
    svg = charts.line_chart(title="t", series=[
        ("A", [("2021", 1), ("2022", 2), ("2023", 3), ("2024", 4)])],
        breaks=[("2022", "2023", "a change of data source")])
    assert _lines(svg) == [2, 2]
    assert 'class="lapis-chart-break"' in svg and "Series break</text>" in svg
    assert "Series break between 2022 and 2023: a change of data source" in svg
    whole = charts.line_chart(title="t", series=[("A", [("2021", 1), ("2022", 2)])])
    assert _lines(whole) == [2] and "lapis-chart-break" not in whole


def test_periods_fix_the_axis_order():
    svg = charts.line_chart(title="t", periods=["2019", "2020", "2021"], series=[
        ("A", [("2021", 3)]), ("B", [("2019", 1), ("2020", 2)])])
    labels = re.findall(r'font-size="16">(20\d\d)</text>', svg)
    assert labels == ["2019", "2020", "2021"]
