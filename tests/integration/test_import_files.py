"""Every importer handles a hostile or broken workbook the same way: invalid XML is a clear
error naming the file (no traceback, no server path), and a DTD anywhere in a part (not only
in its first kilobytes) is refused before any XML parser sees it."""

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lapis.cases.importing import CaseFileReader
from lapis.core.spreadsheets import Problems, declares_entities, open_sheets, unreadable

from .helpers import lapis_fails

DTD = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _rewrite(path: Path, part: str, change) -> Path:
    """`path` with one part's bytes passed through `change`, written beside it as bad-*.xlsx."""
    target = path.with_name("bad-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w",
                                                          zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            out.writestr(item.filename, change(data) if item.filename == part else data)
    return target


def _invalid_xml(data: bytes) -> bytes:
    return data.replace(b"</sheetData>", b"<row r=\"9\"><c r=\"A9\"></sheetData>", 1)


def _padded_dtd(data: bytes) -> bytes:
    """A DTD after 8 KB of padding (a comment), beyond the first 4 KB scanned before."""
    head, body = data.split(b"?>", 1) if data.startswith(b"<?xml") else (b"", data)
    padding = b"<!--" + b" " * 8192 + b"-->"
    return (head + b"?>" if head else b"") + padding + DTD + body


SHEET = "xl/worksheets/sheet1.xml"


# -- declares_entities ----------------------------------------------------------------------

@pytest.mark.parametrize("offset", [0, 4090, 8192, 65_530, 200_000])
def test_a_dtd_is_found_anywhere_in_a_part(tmp_path, offset):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<?xml version='1.0'?>" + b" " * offset + DTD
                         + b"<workbook/>")
        archive.writestr("xl/styles.xml", b"<styleSheet/>" + b" " * 300_000)
    with zipfile.ZipFile(path) as archive:
        found = {info.filename: declares_entities(archive, info) for info in archive.infolist()}
    assert found == {"xl/workbook.xml": True, "xl/styles.xml": False}


def test_a_utf16_dtd_is_found_and_the_scan_is_bounded(tmp_path):
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", "<?xml version='1.0' encoding='utf-16'?><!DOCTYPE x><x/>"
                         .encode("utf-16-le"))
        archive.writestr("b.xml", b" " * 300_000)
    with zipfile.ZipFile(path) as archive:
        assert declares_entities(archive, archive.getinfo("a.xml"))
        # Nothing passes unscanned: a part longer than the limit counts as declaring them.
        assert declares_entities(archive, archive.getinfo("b.xml"), limit=100_000)
        assert not declares_entities(archive, archive.getinfo("b.xml"), limit=1_000_000)


# -- open_sheets (the plan, risks, scorecard, ... importers) and import_plan ----------------

def _checked(message: str, name: str, *paths: Path):
    assert name in message
    assert "Traceback" not in message
    for path in paths:
        assert str(path.parent) not in message


def test_open_sheets_names_the_upload_for_invalid_xml(tmp_path):
    good = _workbook(tmp_path / "upload.xlsx", {"Plan": [["Ref", "Title"], ["1.1", "x"]]})
    bad = _rewrite(good, SHEET, _invalid_xml)
    register = Problems(file="Our plan.xlsx")
    assert open_sheets(bad, register, 10_000_000) is None
    [problem] = register.errors
    assert "not valid XML" in problem.message
    _checked(str(problem), "Our plan.xlsx", bad)


def test_open_sheets_refuses_a_padded_dtd(tmp_path):
    good = _workbook(tmp_path / "upload.xlsx", {"Plan": [["Ref", "Title"], ["1.1", "x"]]})
    bad = _rewrite(good, SHEET, _padded_dtd)
    register = Problems(file="Our plan.xlsx")
    assert open_sheets(bad, register, 10_000_000) is None
    [problem] = register.errors
    assert "declares XML entities" in problem.message
    _checked(str(problem), "Our plan.xlsx", bad)


def test_an_error_message_never_shows_the_server_path(tmp_path):
    path = tmp_path / "tmpab12cd.xlsx"
    error = OSError(f"cannot open {path}: broken")
    message = unreadable(error, path, "Plan.xlsx")
    assert message == "the workbook could not be read: cannot open Plan.xlsx: broken"


def test_import_plan_reports_invalid_xml_and_a_padded_dtd(db, tmp_path):
    good = _workbook(tmp_path / "plan.xlsx", {"Plan": [["Ref", "Title"], ["1.1", "x"]]})
    for change, said in ((_invalid_xml, "not valid XML"), (_padded_dtd, "XML entities")):
        bad = _rewrite(good, SHEET, change)
        _, err = lapis_fails("import_plan", str(bad), "--partnership", "Nowhere")
        assert said in err
        _checked(err, "bad-plan.xlsx", bad)


# -- the case importer (its own streaming reader) -------------------------------------------

CASES = {"person": [["PersonID", "BirthMonth", "Sex"], ["P1", "2015-03", "M"]],
         "requests": [["RequestID", "PersonID", "ReceivedDate"], ["R1", "P1", "2024-01-02"]]}


@pytest.mark.parametrize("change, said", [(_invalid_xml, "not valid XML"),
                                           (_padded_dtd, "XML entities")])
def test_the_case_reader_reports_invalid_xml_and_a_padded_dtd(tmp_path, change, said):
    bad = _rewrite(_workbook(tmp_path / "cases.xlsx", CASES), SHEET, change)
    reader = CaseFileReader(bad, max_bytes=10_000_000, today=dt.date(2025, 1, 1))
    reader.read_all()  # no exception
    messages = [str(p) for p in reader.report.errors]
    assert any(said in m for m in messages), messages
    for message in messages:
        _checked(message, "bad-cases.xlsx", bad)


# -- import_meetings (now opened by core) ---------------------------------------------------

@pytest.mark.parametrize("change, said", [(_invalid_xml, "not valid XML"),
                                           (_padded_dtd, "XML entities")])
def test_import_meetings_reports_invalid_xml_and_a_padded_dtd(personas, tmp_path, change,
                                                              said):
    good = _workbook(tmp_path / "meetings.xlsx", {"Meetings": [
        ["Board", "Date", "Title"], ["SEND Strategic Board", "2026-04-14", "x"]]})
    bad = _rewrite(good, SHEET, change)
    _, err = lapis_fails("import_meetings", str(bad), "--as", "persona-admin",
                         "--partnership", "Hull")
    assert said in err
    _checked(err, "bad-meetings.xlsx", bad)
