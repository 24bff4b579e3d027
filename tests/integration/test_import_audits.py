"""`lapis import_audits`: one row per grade, all or nothing, every problem named by its cell,
re-imports that change nothing, updates kept in the history, and the scorecard feed."""

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Membership, Role
from lapis.quality.models import Audit, AuditGrade, AuditImport, Framework
from lapis.scorecard.models import Observation
from tests.integration.helpers import lapis, lapis_fails

FIXTURES = Path(__file__).parent.parent / "fixtures" / "quality"
SMALL = FIXTURES / "audits-small.csv"
HEADER = "audit_id,plan_id,audit_date,auditor,agency,section,grade,phase,need,moderates\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def hull810(hull):
    hull.la_code = "810"
    hull.save()
    return hull


def write(tmp_path, rows, name="audits.csv", header=HEADER):
    path = tmp_path / name
    path.write_text(header + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


GOOD_AUDIT = ["T1,P1,2024-05-01,Ann,Education,A,Good,,,",
              "T1,P1,2024-05-01,Ann,Education,overall,Good,,,"]


def test_the_frameworks_are_shipped_as_data(db):
    ehc = Framework.objects.get(key="ehc-plan", partnership=None)
    assert [s.code for s in ehc.sections.all()] == ["A", "B", "C", "D", "E", "F", "G", "H1",
                                                   "H2", "I", "J", "K"]
    assert all(2 <= s.criteria.count() <= 4 for s in ehc.sections.all())
    contributors = set(ehc.sections.get(code="K").criteria.values_list("contributor",
                                                                        flat=True))
    assert {"education", "health", "social_care"} <= contributors
    assert "SMART" in ehc.sections.get(code="E").criteria.get(code="E1").text
    assert "Code of Practice" in ehc.source
    assert (ehc.outstanding_from, ehc.good_from, ehc.requires_improvement_from) == (80, 60, 30)
    wishes = Framework.objects.get(key="ten-wishes", partnership=None)
    criteria = list(wishes.sections.get().criteria.all())
    assert len(criteria) == 10 and {c.weight for c in criteria} == {1}
    assert criteria[9].text == "We want professionals to respect us and how we feel."
    assert criteria[8].text == "We want professionals to ask us 'do you feel safe?'"
    assert wishes.scale == ["Not met", "Partly met", "Met"]
    assert "Plymouth" in wishes.source


def test_importing_the_small_file(hull810):
    out, _ = lapis("import_audits", str(SMALL), partnership="Hull")
    assert "32 grades read, 10 audits; 10 new, 0 updated, 0 unchanged" in out
    assert "Scorecard: 7 quarterly figures written" in out
    assert Audit.objects.filter(partnership=hull810).count() == 10
    assert Audit.objects.counted().filter(partnership=hull810).count() == 8
    q1_02 = Audit.objects.get(audit_id="Q1-02")
    assert q1_02.audit_date == dt.date(2024, 2, 20)
    assert {g.section: g.grade for g in q1_02.grades.all()} == {
        "A": "Good", "E": "Inadequate", "overall": "Requires improvement"}
    assert set(AuditGrade.objects.values_list("method", flat=True)) == {"recorded"}
    assert Audit.objects.get(audit_id="M-01").moderates.audit_id == "Q2-01"
    assert AuditImport.objects.get().counts["created"] == 10
    assert ChangeRecord.objects.filter(model="quality.Audit", field="created").count() == 10


def test_a_reimport_changes_nothing_and_an_update_keeps_its_history(hull810, tmp_path):
    lapis("import_audits", str(SMALL), partnership="Hull")
    before = ChangeRecord.objects.filter(model="quality.Audit").count()
    grades = sorted(AuditGrade.objects.values_list("audit__audit_id", "section", "grade"))
    out, _ = lapis("import_audits", str(SMALL), partnership="Hull")
    assert "0 new, 0 updated, 10 unchanged" in out
    assert ChangeRecord.objects.filter(model="quality.Audit").count() == before
    assert sorted(AuditGrade.objects.values_list("audit__audit_id", "section", "grade")) == grades
    # An audit held is updated: a grade changed, a section added, one taken away, the agency.
    path = write(tmp_path, [
        "Q1-01,P001,2024-01-15,Ann Auditor,Health,A,Outstanding,Primary,ASD,",
        "Q1-01,P001,2024-01-15,Ann Auditor,Health,F,Good,Primary,ASD,",
        "Q1-01,P001,2024-01-15,Ann Auditor,Health,overall,Good,Primary,ASD,"])
    out, _ = lapis("import_audits", str(path), partnership="Hull", format="json")
    result = json.loads(out)
    assert result["updated"] == {"Q1-01": ["agency", "grade A", "grade F", "grade E"]}
    audit = Audit.objects.get(audit_id="Q1-01")
    assert audit.version == 2 and audit.agency == "Health"
    assert {g.section: g.grade for g in audit.grades.all()} == {
        "A": "Outstanding", "F": "Good", "overall": "Good"}
    changes = {(c.field, c.old, c.new) for c in ChangeRecord.objects.filter(
        model="quality.Audit", object_id=audit.pk).exclude(field="created")}
    assert changes == {("agency", "Education", "Health"),
                       ("grade A", "Good (recorded)", "Outstanding"), ("grade F", "", "Good"),
                       ("grade E", "Requires improvement", "")}
    # Who made them is the command, never a field's name (a loop variable once hid it).
    assert set(ChangeRecord.objects.filter(model="quality.Audit", object_id=audit.pk)
               .values_list("by", flat=True)) == {"import_audits"}
    assert set(AuditImport.objects.values_list("by", flat=True)) == {"import_audits"}


def test_a_dry_run_writes_nothing(hull810):
    out, _ = lapis("import_audits", str(SMALL), partnership="Hull", dry_run=True)
    assert out.startswith("Would import audits-small.csv")
    assert not Audit.objects.exists() and not AuditImport.objects.exists()
    assert not Observation.objects.exists()


def test_an_xlsx_workbook_with_date_cells(hull810, tmp_path):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "April audits"
    ws.append(["Audit report, April"])
    ws.append(["Audit ID", "Plan ID", "Audit date", "Auditor", "Agency", "Section", "Grade"])
    ws.append(["W1", "P9", dt.datetime(2024, 4, 3), "Ann", "Education", "B", "Good"])
    ws.append(["W1", "P9", dt.datetime(2024, 4, 3), "Ann", "Education", "overall",
               "outstanding"])
    for row in (3, 4):
        ws.cell(row, 3).number_format = "dd/mm/yyyy"
    path = tmp_path / "audits.xlsx"
    workbook.save(path)
    lapis("import_audits", str(path), partnership="Hull")
    audit = Audit.objects.get(audit_id="W1")
    assert audit.audit_date == dt.date(2024, 4, 3)
    assert audit.grades.get(section="overall").grade == "Outstanding"


REFUSALS = [
    (["T1,P1,2024-05-01,Ann,Education,Z,Good,,,"], "row 2, column F (section)",
     "'Z' is not a section of this framework"),
    (["T1,P1,2024-05-01,Ann,Education,A,Great,,,"], "row 2, column G (grade)",
     "'Great' is not a grade"),
    (["T1,P1,2024-13-01,Ann,Education,overall,Good,,,"], "row 2, column C (audit_date)",
     "is not a real date"),
    (["T1,P1,someday,Ann,Education,overall,Good,,,"], "row 2, column C (audit_date)",
     "is not a date"),
    (["T1,P1,2099-01-01,Ann,Education,overall,Good,,,"], "row 2, column C (audit_date)",
     "the audit date 2099-01-01 is in the future"),
    ([*GOOD_AUDIT, "T1,P2,2024-05-01,Ann,Education,E,Good,,,"], "row 4, column B (plan_id)",
     "audit 'T1' has plan_id 'P1' on sheet 'audits' row 2: every row of one audit must agree"),
    ([*GOOD_AUDIT, "T1,P1,2024-05-02,Ann,Education,E,Good,,,"], "row 4, column C (audit_date)",
     "audit 'T1' has audit_date '2024-05-01'"),
    ([*GOOD_AUDIT, "T1,P1,2024-05-01,Bob,Education,E,Good,,,"], "row 4, column D (auditor)",
     "audit 'T1' has auditor 'Ann'"),
    ([*GOOD_AUDIT, "T1,P1,2024-05-01,Ann,Education,a,Good,,,"], "row 4, column F (section)",
     "audit 'T1' already has a grade for section 'A' on sheet 'audits' row 2"),
    (["T1,P1,2024-05-01,Ann,Education,A,Good,,,"], "row 2, column F (section)",
     "audit 'T1' has no overall grade"),
    ([*GOOD_AUDIT, "M1,P1,2024-05-03,Cara,Health,overall,Good,,,NOPE"],
     "row 4, column J (moderates)", "moderates 'NOPE', which is neither in this file nor held"),
    ([*GOOD_AUDIT, "M1,P2,2024-05-03,Cara,Health,overall,Good,,,T1"],
     "row 4, column J (moderates)", "is of plan 'P2' but moderates 'T1'"),
    (["T1,P1,2024-05-01,,Education,overall,Good,,,"], "row 2, column D (auditor)",
     "the auditor is missing"),
    (["T1,P1,2024-05,Ann,Education,overall,Good,,,"], "row 2, column C (audit_date)",
     "is a month, not a day"),
]


@pytest.mark.parametrize("rows, where, message", REFUSALS)
def test_a_bad_row_is_refused_with_its_cell_named_and_nothing_written(hull810, tmp_path, rows,
                                                                      where, message):
    path = write(tmp_path, rows)
    out, err = lapis_fails("import_audits", str(path), partnership="Hull")
    line = next(line for line in err.splitlines() if line.startswith("ERROR"))
    assert line.startswith(f"ERROR: audits.csv, sheet 'audits', {where}: ")
    assert message in line
    assert "nothing was imported" in err
    assert not Audit.objects.exists() and not AuditImport.objects.exists()
    assert not ChangeRecord.objects.filter(model="quality.Audit").exists()


def test_one_bad_row_stops_the_good_ones_and_every_problem_is_listed(hull810, tmp_path):
    path = write(tmp_path, [*GOOD_AUDIT, "T2,P2,2024-05-01,Ann,Education,Q,Good,,,",
                            "T3,P3,2024-05-01,Ann,Education,overall,Fine,,,"])
    out, _ = lapis_fails("import_audits", str(path), partnership="Hull", format="json")
    problems = json.loads(out)["problems"]
    assert [(p["row"], p["column"]) for p in problems if p["level"] == "error"] == [
        (4, "F"), (5, "G")]
    assert not Audit.objects.exists()


def test_a_missing_column_and_a_file_that_is_not_a_spreadsheet(hull810, tmp_path):
    path = write(tmp_path, ["T1,P1,2024-05-01,Ann,overall,Good"],
                 header="audit_id,plan_id,audit_date,auditor,section,grade\n")
    _, err = lapis_fails("import_audits", str(path), partnership="Hull")
    assert "row 1: no 'agency' column in the header row" in err
    other = tmp_path / "audits.txt"
    other.write_text("hello")
    _, err = lapis_fails("import_audits", str(other), partnership="Hull")
    assert "is not a spreadsheet LAPIS reads" in err


def test_a_moderation_of_a_held_audit_and_of_a_moderation(hull810, tmp_path):
    lapis("import_audits", str(SMALL), partnership="Hull")
    path = write(tmp_path, ["M-03,P004,2024-06-20,Cara,Health,overall,Good,,,Q2-05"])
    lapis("import_audits", str(path), partnership="Hull")
    assert Audit.objects.get(audit_id="M-03").moderates.audit_id == "Q2-05"
    path = write(tmp_path, ["M-04,P003,2024-06-20,Cara,Health,overall,Good,,,M-01"])
    _, err = lapis_fails("import_audits", str(path), partnership="Hull")
    assert "moderates 'M-01', which is itself a moderation" in err


def test_who_may_import(hull810, alice, django_user_model, tmp_path):
    path = write(tmp_path, GOOD_AUDIT)
    for role in (Role.VIEWER, Role.FORUM, Role.LEAD, Role.BOARD_MEMBER):
        user = django_user_model.objects.create_user(f"u-{role}")
        Membership.objects.create(user=user, partnership=hull810, role=role)
        _, err = lapis_fails("import_audits", str(path), partnership="Hull", by=user.username)
        assert "refused" in err
    assert not Audit.objects.exists()
    auditor = django_user_model.objects.create_user("auditor")
    Membership.objects.create(user=auditor, partnership=hull810, role=Role.AUDITOR)
    lapis("import_audits", str(path), partnership="Hull", by="auditor")
    assert Audit.objects.get().created_by == "auditor"
    assert ChangeRecord.objects.get(model="quality.Audit").by == "auditor"


def test_the_ten_wishes_framework_takes_its_own_section(hull810, tmp_path):
    path = write(tmp_path, ["W1,P1,2024-05-01,Ann,Education,W,Good,,,",
                            "W1,P1,2024-05-01,Ann,Education,overall,Good,,,"])
    _, err = lapis_fails("import_audits", str(path), partnership="Hull")
    assert "'W' is not a section of this framework" in err
    out, _ = lapis("import_audits", str(path), partnership="Hull", framework="ten-wishes")
    assert "1 new" in out and "Scorecard: 0 quarterly figures" in out
    assert Audit.objects.get().framework.key == "ten-wishes"


def test_the_scorecard_feed(hull810):
    lapis("import_audits", str(SMALL), partnership="Hull")
    got = {(o.indicator.key, o.period): (o.value, o.numerator, o.denominator)
           for o in Observation.objects.filter(partnership=hull810).select_related("indicator")}
    assert got == {
        ("qa_good_or_better", "2024Q1"): (50.0, 1, 2),
        ("qa_good_or_better", "2024Q2"): (60.0, 3, 5),
        ("qa_section_a_good_or_better", "2024Q1"): (100.0, 2, 2),
        ("qa_section_a_good_or_better", "2024Q2"): (60.0, 3, 5),
        ("qa_section_e_good_or_better", "2024Q1"): (0.0, 0, 2),
        ("qa_section_e_good_or_better", "2024Q2"): (60.0, 3, 5),
        ("qa_section_f_good_or_better", "2024Q2"): (75.0, 3, 4),
        # the moderation M-01 graded A but is not counted; no other section has grades
    }
    observation = Observation.objects.get(indicator__key="qa_good_or_better", period="2024Q2")
    assert observation.period_start == dt.date(2024, 4, 1)
    assert observation.area.code == "810"
    assert observation.indicator.name == "% of audited EHC plans good or better"


def test_no_la_code_means_no_feed(hull, tmp_path):
    out, _ = lapis("import_audits", str(SMALL), partnership="Hull")
    assert "Scorecard: 0 quarterly figures written (the partnership has no LA code" in out
    assert not Observation.objects.exists()


def test_the_demo_loads_twice_the_same(hull810):
    from lapis.demo.quality import load_demo
    from lapis.quality.models import Finding, FollowUp

    first = load_demo(hull810)
    assert len(first.created) > 100 and first.published > 0
    counts = (Audit.objects.count(), Finding.objects.count(), FollowUp.objects.count())
    second = load_demo(hull810)
    assert not second.created and not second.updated
    assert (Audit.objects.count(), Finding.objects.count(), FollowUp.objects.count()) == counts
    assert counts[1] >= 10 and counts[2] == counts[1]


def test_a_copy_elsewhere_in_the_file_system(hull810, tmp_path):
    copy = tmp_path / "copy.csv"
    shutil.copy(SMALL, copy)
    out, _ = lapis("import_audits", str(copy), partnership="Hull", dry_run=True, format="json")
    assert json.loads(out)["created"][:2] == ["Q1-01", "Q1-02"]
