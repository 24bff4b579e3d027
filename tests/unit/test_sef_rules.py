"""The SEF consistency rules, on plain data."""

import pytest

from lapis.sef import checks
from lapis.sef.checks import ActionFact, AfiFact, AreaFact, FigureFact, PriorityFact, SefFacts

OPEN = ActionFact("4.6", closed_status=False, closure_record=False)
CLOSED_OK = ActionFact("3.3", closed_status=True, closure_record=True)
CLOSED_BAD = ActionFact("3.7", closed_status=True, closure_record=False)
ACTIONS = {a.ref: a for a in (OPEN, CLOSED_OK, CLOSED_BAD)}


LINKED = (PriorityFact("P1", "x (IP 4.6)", ("4.6",)),)


def area(number=1, *, evidence=1, priorities=LINKED, figures=(), cited=(), has_content=True):
    return AreaFact(number, f"Area {number}", has_content, evidence, tuple(priorities),
                    tuple(figures), tuple(cited))


def kinds(*areas, afis=()):
    report = checks.check(SefFacts("Test", ACTIONS, tuple(areas), tuple(afis)))
    return [p.kind for p in report.problems]


@pytest.mark.parametrize("text, refs", [
    ("Increase the % of plans issued within timescales to 50% (IP 4.6)", ["4.6"]),
    ("Construct a new home (IP 3.10 & 3.11)", ["3.10"]),
    ("(IP 3.18) and (ip 2.1a)", ["3.18", "2.1a"]),
    ("No reference here; IPaSS is a service", []),
])
def test_cited_refs(text, refs):
    assert checks.cited_refs(text) == refs


@pytest.mark.parametrize("figure, value, matches", [
    (385, 385.0, True), (28, 27.6, True), (28, 28.4, True), (28, 28.6, False),
    (27.6, 27.63, True), (27.6, 27.7, False), (0.5, 0.54, True), (183, 180, False),
])
def test_figure_matches_within_rounding(figure, value, matches):
    assert checks.figure_matches(figure, value) is matches


def test_a_sound_area_has_no_problems():
    assert kinds(area()) == []


def test_an_area_with_no_content_is_not_started_not_a_problem():
    report = checks.check(SefFacts("Test", ACTIONS, (area(2, evidence=0, priorities=(),
                                                          has_content=False),)))
    assert report.ok and report.not_started == ["Area 2. Area 2"]


def test_an_area_with_content_needs_evidence_and_a_linked_action():
    assert kinds(area(evidence=0)) == ["no_evidence"]
    assert kinds(area(priorities=[PriorityFact("P1", "no link", ())])) == ["no_action"]


def test_a_cited_ref_not_in_the_plan():
    found = kinds(area(priorities=[PriorityFact("P1", "renumbered (IP 4.66)", ("4.6",))]))
    assert found == ["missing_action"]


def test_a_ref_cited_in_evidence_text_is_checked_too():
    assert kinds(area(cited=[("Evidence 1.2", "see IP 9.9")])) == ["missing_action"]


def test_closed_actions_need_a_closure_record():
    assert kinds(area(priorities=[PriorityFact("P1", "x", ("3.3",))])) == []
    assert kinds(area(priorities=[PriorityFact("P1", "x", ("3.7",))])) == [
        "closed_without_record"]


def test_figures_are_checked_against_the_period_value():
    assert kinds(area(figures=[FigureFact("E1", "i", "2023/24", 385, 385.0)])) == []
    assert kinds(area(figures=[FigureFact("E1", "i", "2023/24", 400, 385.0)])) == [
        "figure_mismatch"]
    assert kinds(area(figures=[FigureFact("E1", "i", "2022/23", 385, None)])) == ["no_value"]
    assert kinds(area(figures=[FigureFact("E1", "i", "2023/24", None, 12.0)])) == []


def test_afis_need_an_action_and_a_measure():
    assert kinds(area(), afis=[AfiFact("AFI1", ("4.6",), 1)]) == []
    assert kinds(area(), afis=[AfiFact("AFI2", (), 1)]) == ["afi_no_action"]
    assert kinds(area(), afis=[AfiFact("AFI3", ("4.6",), 0)]) == ["afi_no_measure"]
    assert kinds(area(), afis=[AfiFact("AFI4", ("3.7",), 1)]) == ["closed_without_record"]


def test_text_and_json_reports():
    report = checks.check(SefFacts("Test", ACTIONS, (area(evidence=0),)))
    assert "1 problem(s)" in checks.as_text(report)
    assert report.as_json()["problems"][0]["kind"] == "no_evidence"


def test_the_demo_afi_codes_are_normalised():
    from lapis.demo.sef import afi_code

    assert [afi_code(c) for c in ("AFI4", "AF12", "AF 3", "afi 5")] == [
        "AFI4", "AFI2", "AFI3", "AFI5"]
