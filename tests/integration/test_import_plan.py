"""Loading the council's real workbook through `lapis import_plan`, and every way it can fail."""

import datetime as dt
import json
import zipfile

import pytest

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Board, Partnership, Person
from lapis.plans.models import Action, Plan, ProgressEntry
from tests.conftest import HULL
from tests.integration.helpers import edited_workbook, lapis, lapis_fails

pytestmark = pytest.mark.django_db
MAIN, CLOSURES = "Improvement Plan", "Closures"


def test_the_real_workbook_loads_exactly(hull):
    plan = Plan.objects.get(partnership=hull)
    assert plan.scale.name == "Hull BRAG"
    actions = {a.ref: a for a in Action.objects.filter(plan=plan)}
    assert len(actions) == 81  # 74 rows on the register sheet, 7 closures
    assert sorted(r for r, a in actions.items() if a.closed) == [
        "1.3", "3.1", "3.10", "3.14", "3.15", "3.16", "3.19"]
    assert {r for r, a in actions.items() if a.status is None} == {"5.6", "5.7", "5.8", "5.9"}

    first = actions["1.1"]
    assert first.sro.name == "Mary Meredith"
    assert [p.name for p in first.ordered_leads()] == ["Kelly Hare"]
    assert (first.start_date, first.start_precision) == (dt.date(2023, 2, 1), "month")
    assert (first.due_date, first.due_precision) == (dt.date(2025, 2, 1), "month")
    assert first.due.end() == dt.date(2025, 2, 28)
    assert first.status.label == "Completed" and first.status.family == "complete"
    assert first.last_reviewed == dt.date(2025, 1, 30)
    assert first.priority.number == 1
    assert first.priority.text.startswith("To work towards having clear and open lines")
    assert first.objective.text == "Measure the impact of strategic actions of the LAP"
    assert [b.name for b in first.ordered_boards()] == ["Internal Senior Leadership team"]

    # merged cells are carried down: C2:C4 covers 1.1, 1.2 and 1.4
    assert actions["1.4"].objective == first.objective
    # priority 5's wording sits in B55 only; every priority-5 action gets it
    assert actions["5.1"].priority.text.startswith("To deliver sustainable services")

    assert actions["1.2"].links == [
        {"kind": "afi", "code": "AFI4"}, {"kind": "afi", "code": "AFI5"}]
    assert [t["code"] for t in actions["4.4"].links] == ["AF12", "AF15"]
    assert [t["code"] for t in actions["2.2"].links] == ["SEF", "DBV"]
    assert actions["3.8"].links == [
        {"kind": "text", "code": "SEND Sufficiency high needs capital spend strategy"}]
    assert [p.name for p in actions["6.3"].ordered_leads()] == ["Nikki Heffernan", "Zoe Golding"]
    assert [p.name for p in actions["6.16"].ordered_leads()] == ["Steve Tomlinson", "Katie Fisher"]
    assert [b.name for b in actions["1.6"].ordered_boards()] == [
        "SEND Delivery Board", "SEND Strategic Board"]
    assert [b.name for b in actions["2.3"].ordered_boards()] == [
        "Workforce & Training Steering Group", "SEND Delivery Group", "SEND Strategic Board"]
    assert actions["3.10"].bau_location.startswith("As of 14 / 9 /2023 it has been moved")
    # the one hand-typed date, read by the workbook's own (day-first) convention
    assert actions["3.2b"].last_reviewed == dt.date(2025, 9, 12)
    assert actions["2.11"].last_reviewed == dt.date(2025, 9, 12)  # a real date cell

    # each person and board is one record, however often named
    assert Person.objects.filter(partnership=hull, name="Mary Meredith").count() == 1
    assert Board.objects.filter(partnership=hull, name__iexact="SEND Strategic Board").count() == 1


def test_closures_keep_their_progress_logs_as_dated_entries(hull):
    closure = Action.objects.get(plan__partnership=hull, ref="1.3")
    entries = list(closure.progress.all())
    assert [e.date for e in entries] == [
        dt.date(2023, 9, 8), dt.date(2024, 2, 15), dt.date(2024, 4, 12), dt.date(2024, 4, 24),
        dt.date(2024, 7, 26)]
    assert entries[-1].text.startswith("Closed as per agreed Change Request")
    assert not any("<p>" in e.text for e in ProgressEntry.objects.all())


def test_the_ambiguous_date_is_reported_with_its_cell(db):
    out, err = lapis("import_plan", str(HULL), "--partnership", "Hull")
    assert "sheet 'Improvement Plan', row 34, column O" in err
    assert "'12/09/2025' could be read either way" in err
    assert "dmy" in out and "81 actions read" in out


def test_date_order_option_is_obeyed(db):
    out, err = lapis("import_plan", str(HULL), "--partnership", "Hull", "--date-order", "dmy")
    assert "read as 12 Sep 2025 (dmy: given with --date-order)" in err
    assert "given with --date-order" in out
    assert Action.objects.get(ref="3.2b").last_reviewed == dt.date(2025, 9, 12)


def test_a_date_order_the_workbook_contradicts_is_an_error(db):
    """The closure logs have dates such as 24/04/24 that cannot be month-first."""
    _, err = lapis_fails("import_plan", str(HULL), "--partnership", "Hull", "--date-order",
                         "mdy")
    assert "sheet 'Closures', row 3, column N (Progress Update)" in err
    assert not Action.objects.exists()


def test_dry_run_reports_and_writes_nothing(db):
    out, _ = lapis("import_plan", str(HULL), "--partnership", "Hull", "--dry-run")
    assert out.startswith("Would import") and "81 new" in out
    assert not Action.objects.exists() and not ChangeRecord.objects.exists()


def test_json_output_lists_warnings(db):
    out, _ = lapis("import_plan", str(HULL), "--partnership", "Hull", "--format", "json")
    result = json.loads(out)
    assert result["ok"] and len(result["created"]) == 81 and result["date_order"] == "dmy"
    ambiguous = [p for p in result["problems"] if "either way" in p["message"]]
    assert [(p["sheet"], p["row"], p["column"]) for p in ambiguous] == [(MAIN, 34, "O")]


def test_reimporting_the_same_file_changes_nothing(hull):
    before = ChangeRecord.objects.count(), ProgressEntry.objects.count(), Person.objects.count()
    out, _ = lapis("import_plan", str(HULL), "--plan", "Hull SEND improvement plan",
                   "--partnership", "Hull")
    assert "0 new, 0 updated, 81 unchanged; 0 progress entries added" in out
    assert (ChangeRecord.objects.count(), ProgressEntry.objects.count(),
            Person.objects.count()) == before


def test_a_newer_version_updates_by_ref_and_keeps_history(hull, tmp_path):
    newer = edited_workbook(tmp_path, {
        (MAIN, "K39"): "Mar-26",  # 4.6 due Oct-25 -> Mar-26
        (MAIN, "N39"): "On track some concerns",
        (MAIN, "I2"): "Kelly Hare/Paul Brownlee",
    })
    out, _ = lapis("import_plan", str(newer), "--plan", "Hull SEND improvement plan",
                   "--partnership", "Hull", "--as", "analyst")
    assert "0 new, 2 updated, 79 unchanged" in out
    action = Action.objects.get(plan__partnership=hull, ref="4.6")
    assert action.due.iso() == "2026-03" and action.status.label == "On track some concerns"
    changes = {(c.field, c.old, c.new, c.by) for c in ChangeRecord.objects.filter(
        object_id=action.pk, model="plans.Action").exclude(field="created")}
    assert changes == {("due", "2025-10", "2026-03", "analyst"),
                       ("status", "On track no concerns", "On track some concerns", "analyst")}
    out, _ = lapis("drift", "--as-of", "2025-11-01", "--format", "json")
    slipped = next(f for f in json.loads(out) if f["ref"] == "4.6")
    assert "slipped" in slipped["flags"]
    assert slipped["slipped"]["original_due"] == "2025-10"
    moved = dt.date(2026, 3, 31) - dt.date(2025, 10, 31)
    assert slipped["slipped"]["slippage_days"] == moved.days


def _unchanged(before):
    assert (Action.objects.count(), ChangeRecord.objects.count(), Partnership.objects.count(),
            Person.objects.count()) == before


@pytest.mark.parametrize(("edits", "expected"), [
    ({(MAIN, "K2"): "31/02/2024"}, "sheet 'Improvement Plan', row 2, column K"),
    ({(MAIN, "N3"): "Going great"}, "unknown status 'Going great'"),
    ({(MAIN, "A3"): "1.1"}, "duplicate ref '1.1': already used in sheet 'Improvement Plan' row 2"),
    ({(CLOSURES, "I3"): "Febuary 2023"}, "sheet 'Closures', row 3, column I"),
    ({(MAIN, "A5"): "one point five"}, "sheet 'Improvement Plan', row 5, column A"),
])
def test_bad_cells_stop_the_import_naming_the_cell(hull, tmp_path, edits, expected):
    before = (Action.objects.count(), ChangeRecord.objects.count(), Partnership.objects.count(),
              Person.objects.count())
    bad = edited_workbook(tmp_path, edits)
    _, err = lapis_fails("import_plan", str(bad), "--partnership", "Hull")
    assert expected in err
    assert "nothing was imported" in err
    _unchanged(before)


def test_every_problem_is_listed_not_just_the_first(db, tmp_path):
    bad = edited_workbook(tmp_path, {(MAIN, "K2"): "31/02/2024", (MAIN, "N3"): "Going great",
                                     (MAIN, "A4"): "1.1"})
    _, err = lapis_fails("import_plan", str(bad), "--partnership", "Hull")
    assert "row 2, column K" in err and "row 3, column N" in err and "row 4, column A" in err
    assert "3 error(s)" in err
    assert not Action.objects.exists()


def test_a_missing_ref_column_is_named(db, tmp_path):
    bad = edited_workbook(tmp_path, {(MAIN, "A1"): "Number", (CLOSURES, "A1"): "Number"})
    _, err = lapis_fails("import_plan", str(bad))
    assert "no column headed 'Ref'" in err
    assert not Action.objects.exists()


def test_a_file_that_is_not_a_spreadsheet(db, tmp_path):
    fake = tmp_path / "plan.xlsx"
    fake.write_text("this is a letter, not a workbook")
    _, err = lapis_fails("import_plan", str(fake))
    assert "plan.xlsx" in err and "not an .xlsx workbook" in err
    word = tmp_path / "plan.docx"
    word.write_bytes(b"PK\x03\x04")
    _, err = lapis_fails("import_plan", str(word))
    assert "not a spreadsheet LAPIS reads" in err
    assert not Partnership.objects.filter(plans__isnull=False).exists()


def test_an_oversized_file_is_refused(db, settings):
    settings.LAPIS_MAX_IMPORT_BYTES = 10_000
    _, err = lapis_fails("import_plan", str(HULL))
    assert "over the limit of 10,000" in err
    assert not Action.objects.exists()


def test_a_zip_bomb_is_refused(db, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)
    _, err = lapis_fails("import_plan", str(bomb))
    assert "zip bomb" in err
    assert not Action.objects.exists()


def test_an_xml_entity_bomb_is_refused(db, tmp_path):
    """A billion-laughs workbook: defusedxml makes openpyxl refuse it."""
    path = edited_workbook(tmp_path, {})
    bomb = tmp_path / "laughs.xlsx"
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = lol.encode() + body
            target.writestr(item, data)
    _, err = lapis_fails("import_plan", str(bomb))
    assert "laughs.xlsx" in err and "could not be read" in err
    assert not Action.objects.exists()


def test_html_in_the_workbook_is_made_plain_text(db, tmp_path):
    hostile = edited_workbook(tmp_path, {
        (MAIN, "D2"): '<p>Safe words</p><script>alert("x")</script><img src=x onerror=alert(1)>',
    })
    lapis("import_plan", str(hostile), "--partnership", "Hull")
    action = Action.objects.get(ref="1.1")
    assert action.description == "Safe words"


def test_a_csv_register_loads(db, tmp_path):
    csv_file = tmp_path / "small.csv"
    csv_file.write_text(
        "Ref,Our improvement priority,What is needed to make this happen,Strategic Lead (SRO),"
        "Improvement Lead,Due Date,Status,Colour\n"
        "1.1,Communication,Publish timescales,Ann Able,Bob Baker/Cat Cole,Mar-25,Green,red\n"
        "1.2,Communication,Local Offer,Ann Able,Bob Baker,31/03/2025,Amber,\n")
    out, err = lapis("import_plan", str(csv_file), "--partnership", "CSV")
    assert "column 'Colour' is not a register column" in err
    assert "scale 'RAG'" in out
    action = Action.objects.get(ref="1.1")
    assert [p.name for p in action.ordered_leads()] == ["Bob Baker", "Cat Cole"]
    assert Action.objects.get(ref="1.2").due_date == dt.date(2025, 3, 31)
