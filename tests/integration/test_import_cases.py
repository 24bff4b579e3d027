"""`lapis import_cases`: a case extract replaces the partnership's case data, all or nothing."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from lapis.cases.models import (
    CaseAssessment,
    CaseImport,
    CaseNeed,
    CasePerson,
    CasePlan,
    CaseRequest,
    CaseReview,
)
from lapis.core.models import ChangeRecord
from lapis.partnership.models import Membership, Partnership, Role
from tests.integration.helpers import lapis, lapis_fails
from tests.unit.test_case_import import GOOD, GOOD_COUNTS, add, edit, write

pytestmark = pytest.mark.django_db

TABLES = {"person": CasePerson, "requests": CaseRequest, "assessments": CaseAssessment,
          "named_plans": CasePlan, "reviews": CaseReview, "sen_need": CaseNeed}
EXAMPLES = Path(__file__).parents[2] / "src" / "lapis" / "cases" / "examples"


def held(partnership) -> dict[str, int]:
    return {name: model.objects.filter(partnership=partnership).count()
            for name, model in TABLES.items()}


def snapshot(partnership) -> dict:
    """Every case row of the partnership, as values, to show nothing changed."""
    return {name: sorted(map(str, model.objects.filter(partnership=partnership).values()))
            for name, model in TABLES.items()}


@pytest.fixture
def imported(hull, tmp_path):
    """Hull with the good small set imported."""
    lapis("import_cases", str(write(tmp_path / "good")), "--partnership", "Hull")
    return hull


def member(partnership, username, role):
    user = get_user_model().objects.create_user(username, password="correct horse battery")
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


def test_a_good_set_imports_with_its_counts(hull, tmp_path):
    out, err = lapis("import_cases", str(write(tmp_path)), "--partnership", "Hull")
    assert held(hull) == GOOD_COUNTS
    assert f"Imported {tmp_path.name} into the case data of Hull" in out
    for name, count in GOOD_COUNTS.items():
        assert f"  {name}: {count}\n" in out
    assert "0 warning(s)." in out
    r1 = CaseRequest.objects.select_related("person", "assessment").get(request_id="R1")
    assert (r1.person.person_id, r1.received, r1.outcome, r1.outcome_date) == (
        "P1", dt.date(2024, 1, 8), "Y", dt.date(2024, 2, 15))
    assert (r1.assessment.outcome, r1.assessment.outcome_date, r1.assessment.week20) == (
        "Y", dt.date(2024, 5, 20), False)
    pl1 = CasePlan.objects.get(plan_id="PL1")
    assert (pl1.person.person_id, pl1.request.request_id) == ("P1", "R1")
    assert CasePlan.objects.get(plan_id="PL2").request is None
    assert sorted(CaseReview.objects.filter(plan__plan_id="PL2").values_list(
        "meeting", "outcome")) == [(dt.date(2023, 6, 12), "maintain"),
                                    (dt.date(2024, 6, 10), "amend")]
    assert CasePerson.objects.get(person_id="P1").birth_month == dt.date(2015, 3, 1)
    assert list(CaseNeed.objects.filter(person__person_id="P1").order_by("rank").values_list(
        "sen_type", "rank")) == [("ASD", 1), ("SLCN", 2)]
    record = CaseImport.objects.get()
    assert (record.partnership, record.by, record.counts, record.warnings) == (
        hull, "import_cases", GOOD_COUNTS, [])
    line = ChangeRecord.objects.get(model="cases.CaseImport")
    assert (line.by, line.source, line.partnership_id, line.field) == (
        "import_cases", f"import:{tmp_path.name}", hull.pk, "cases")
    assert "requests 4" in line.new and "0 warnings" in line.new


def test_json_output(hull, tmp_path):
    folder = write(tmp_path, edit("requests", "R3,P3,2024-03-01", "R3,P3,2099-03-01"))
    out, _ = lapis("import_cases", str(folder), "--format", "json")
    result = json.loads(out)
    assert result["ok"] is True and result["errors"] == []
    assert result["counts"] == GOOD_COUNTS
    (warning,) = result["warnings"]
    assert {k: warning[k] for k in ("file", "row", "column", "header")} == {
        "file": "requests.csv", "row": 4, "column": "C", "header": "ReceivedDate"}
    assert "in the future" in warning["message"]


def test_warnings_are_kept_for_the_data_quality_page_and_the_first_50_printed(hull, tmp_path):
    future = "".join(f"P{n},2099-01,F\n" for n in range(10, 70))
    out, _ = lapis("import_cases", str(write(tmp_path, {"person": GOOD["person"] + future})))
    assert "60 warning(s); the first 50:" in out
    assert out.count("WARNING: person.csv") == 50
    record = CaseImport.objects.filter(partnership=hull).latest()
    assert record.warnings_total == 60 and len(record.warnings) == 60
    assert record.warnings[0]["row"] == 5 and record.warnings[0]["header"] == "BirthMonth"


def test_a_workbook_imports(hull, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, text in GOOD.items():
        sheet = book.create_sheet(name)
        for line in text.splitlines():
            sheet.append(line.split(","))
    book.save(tmp_path / "cases.xlsx")
    out, _ = lapis("import_cases", str(tmp_path / "cases.xlsx"))
    assert "Imported cases.xlsx" in out
    assert held(hull) == GOOD_COUNTS


BROKEN = [
    add("person", "P2,2012-11,F") | add("requests", "R9,P9,2024-01-01,,,"),
    edit("requests", "2024-02-01", "1/2/2024") | edit("assessments", ",0", ",2"),
    add("reviews", "PL9,2024-06-10,2024-06-11,maybe,,,,"),
    {"requests": "RequestID,PersonID\nR1,P1\n"},
]


@pytest.mark.parametrize("change", BROKEN)
def test_a_broken_file_names_every_problem_and_changes_nothing(imported, tmp_path, change):
    before = snapshot(imported)
    imports = CaseImport.objects.count()
    history = ChangeRecord.objects.count()
    out, err = lapis_fails("import_cases", str(write(tmp_path / "broken", change)))
    assert "error(s); nothing was imported" in err
    assert snapshot(imported) == before
    assert (CaseImport.objects.count(), ChangeRecord.objects.count()) == (imports, history)
    out, _ = lapis_fails("import_cases", str(tmp_path / "broken"), "--format", "json")
    result = json.loads(out)
    assert result["ok"] is False and result["errors"]
    for error in result["errors"]:
        assert error["file"].endswith(".csv") and error["row"] and error["header"]
        assert str(error["row"]) in err and error["message"] in err
    assert snapshot(imported) == before


def test_every_problem_across_the_files_is_named(hull, tmp_path):
    change = (add("person", "P2,2012-11,F") | add("requests", "R9,P9,2024-01-01,,,")
              | edit("assessments", ",0", ",2")
              | add("reviews", "PL9,2024-06-10,2024-06-11,maybe,,,,"))
    out, _ = lapis_fails("import_cases", str(write(tmp_path, change)), "--format", "json")
    errors = {(e["file"], e["row"], e["header"]) for e in json.loads(out)["errors"]}
    assert errors == {("person.csv", 5, "PersonID"), ("requests.csv", 6, "PersonID"),
                      ("assessments.csv", 2, "Week20"), ("reviews.csv", 4, "PlanID"),
                      ("reviews.csv", 4, "ReviewOutcome")}
    assert held(hull) == dict.fromkeys(TABLES, 0)


def test_a_dry_run_writes_nothing(imported, tmp_path):
    before = snapshot(imported)
    folder = write(tmp_path / "smaller", {"person": "PersonID,BirthMonth,Sex\nP1,2015-03,M\n"},
                   drop=("requests", "assessments", "named_plans", "reviews", "sen_need"))
    (folder / "requests.csv").write_text(GOOD["requests"].splitlines()[0] + "\n")
    out, _ = lapis("import_cases", str(folder), "--dry-run")
    assert out.startswith(f"Would import {folder.name}")
    assert "  person: 1\n" in out
    assert snapshot(imported) == before
    assert CaseImport.objects.count() == 1


def test_a_second_import_replaces_the_case_data(imported, tmp_path):
    old_keys = set(CaseRequest.objects.values_list("pk", flat=True))
    change = {"person": "PersonID,BirthMonth,Sex\nQ1,2016-04,F\n",
              "requests": GOOD["requests"].splitlines()[0] + "\nS1,Q1,2024-09-02,05,,\n"}
    folder = write(tmp_path / "next", change,
                   drop=("assessments", "named_plans", "reviews", "sen_need"))
    lapis("import_cases", str(folder))
    assert held(imported) == {"person": 1, "requests": 1, "assessments": 0, "named_plans": 0,
                              "reviews": 0, "sen_need": 0}
    request = CaseRequest.objects.get()
    assert (request.request_id, request.person.person_id) == ("S1", "Q1")
    assert request.pk not in old_keys
    assert CaseImport.objects.count() == 2
    lines = list(ChangeRecord.objects.filter(model="cases.CaseImport").order_by("id"))
    assert len(lines) == 2 and "requests 4" in lines[1].old and "requests 1" in lines[1].new


def test_another_partnerships_case_data_is_untouched(imported, tmp_path):
    elsewhere = Partnership.objects.create(name="Elsewhere")
    lapis("import_cases", str(write(tmp_path / "theirs")), "--partnership", "Elsewhere")
    before = snapshot(imported)
    lapis("import_cases", str(write(tmp_path / "ours", drop=("reviews",))),
          "--partnership", "Hull")
    assert held(elsewhere) == GOOD_COUNTS
    assert snapshot(imported) != before and held(imported)["reviews"] == 0
    viewer = member(elsewhere, "vera", Role.VIEWER)
    assert set(CaseRequest.objects.visible_to(viewer).values_list(
        "partnership", flat=True)) == {elsewhere.pk}


def test_a_viewer_acting_is_refused_and_nothing_changes(imported, tmp_path):
    member(imported, "vic", Role.VIEWER)
    before = snapshot(imported)
    _, err = lapis_fails("import_cases", str(write(tmp_path / "x", drop=("reviews",))),
                         "--as", "vic")
    assert "refused: vic cannot import case data for Hull" in err
    assert snapshot(imported) == before and CaseImport.objects.count() == 1


def test_the_action_itself_refuses_a_viewer_and_nothing_changes(imported, tmp_path):
    from django.core.exceptions import PermissionDenied

    from lapis.cases import loading

    viewer = member(imported, "vic", Role.VIEWER)
    before = snapshot(imported)
    with pytest.raises(PermissionDenied):
        loading.import_cases(partnership=imported, path=write(tmp_path / "x"), by=viewer,
                             max_bytes=10_000_000)
    assert snapshot(imported) == before and CaseImport.objects.count() == 1


def test_a_programme_manager_may_act_and_is_recorded(hull, alice, tmp_path):
    lapis("import_cases", str(write(tmp_path)), "--as", "alice")
    assert CaseImport.objects.get().by == "alice"
    assert ChangeRecord.objects.get(model="cases.CaseImport").by == "alice"


def test_a_file_over_the_limit_is_refused(hull, tmp_path, settings):
    settings.LAPIS_MAX_CASE_IMPORT_BYTES = 100
    _, err = lapis_fails("import_cases", str(write(tmp_path)))
    assert "over the limit of 100 (LAPIS_MAX_CASE_IMPORT_BYTES)" in err
    assert held(hull) == dict.fromkeys(TABLES, 0)


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="the example set is not in the tree yet")
def test_the_example_set_imports_cleanly(hull):
    out, _ = lapis("import_cases", str(EXAMPLES), "--format", "json")
    result = json.loads(out)
    assert result["ok"] is True and result["errors"] == []
    assert result["counts"]["person"] > 0 and result["counts"]["requests"] > 0
    assert held(hull) == {name: result["counts"][name] for name in TABLES}


def test_a_workbook_declaring_xml_entities_is_refused(hull, tmp_path):
    """Whatever XML parser openpyxl picks, a DTD in a case workbook is refused unread."""
    import zipfile

    import openpyxl

    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "person"
    book.active.append(["PersonID", "BirthMonth", "Sex"])
    book.save(plain)
    bomb = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]>' + body
            target.writestr(item, data)
    _, err = lapis_fails("import_cases", str(bomb))
    assert "declares XML entities" in err
    assert held(hull) == dict.fromkeys(TABLES, 0)
