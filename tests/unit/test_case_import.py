"""Reading and checking a case extract (SEN2's modules), without the database."""

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapis.cases import importing
from lapis.cases.importing import CaseFileReader

TODAY = dt.date(2025, 1, 1)
MB = 1 << 20

GOOD = {
    "person": """PersonID,BirthMonth,Sex
P1,2015-03,M
P2,2012-11,F
P3,2019-01,U
""",
    "requests": """RequestID,PersonID,ReceivedDate,RequestSource,RequestOutcome,RequestOutcomeDate
R1,P1,2024-01-08,01,Y,2024-02-15
R2,P2,2024-02-01,02,N,2024-03-10
R3,P3,2024-03-01,,,
R4,P1,2023-05-01,01,W,2023-06-01
""",
    "assessments": """RequestID,AssessmentOutcome,AssessmentOutcomeDate,Week20
R1,Y,2024-05-20,0
""",
    "named_plans": """PlanID,PersonID,RequestID,StartDate,CeaseDate,CeaseReason
PL1,P1,R1,2024-05-20,,
PL2,P2,,2019-09-01,,
""",
    "reviews": """PlanID,ReviewMeeting,ReviewDecisionDate,ReviewOutcome,AmendmentNoticeDate,\
AmendedPlanDate,PhaseTransferDueDate,PhaseTransferFinalDate
PL2,2024-06-10,2024-06-30,amend,2024-07-01,2024-08-20,,
PL2,2023-06-12,2023-07-01,maintain,,,,
""",
    "sen_need": """PersonID,SENType,SENTypeRank
P1,ASD,1
P1,SLCN,2
P2,SEMH,1
""",
}
GOOD_COUNTS = {"person": 3, "requests": 4, "assessments": 1, "named_plans": 2, "reviews": 2,
               "sen_need": 3}


def write(folder: Path, changes: dict | None = None, *, drop=(), encoding="utf-8") -> Path:
    """The good set with whole modules replaced ({"person": "..."}) or dropped."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (GOOD | (changes or {})).items():
        if name not in drop:
            (folder / f"{name}.csv").write_text(text, encoding=encoding)
    return folder


def edit(module: str, old: str, new: str) -> dict:
    assert old in GOOD[module], old
    return {module: GOOD[module].replace(old, new, 1)}


def add(module: str, line: str) -> dict:
    return {module: GOOD[module] + line + "\n"}


def read(path: Path, **options):
    reader = CaseFileReader(path, max_bytes=options.pop("max_bytes", MB),
                            today=options.pop("today", TODAY), **options)
    return reader.read_all(), reader.report


def only(problems, **fields):
    """The one problem matching every field given (message: a fragment of it)."""
    fragment = fields.pop("message", "")
    found = [p for p in problems if fragment in p.message
             and all(getattr(p, k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, fragment, [str(p) for p in problems])
    return found[0]


# The good set ------------------------------------------------------------------------------

def test_the_good_set_reads_with_no_problem(tmp_path):
    rows, report = read(write(tmp_path))
    assert report.ok and report.errors == [] and report.warnings == []
    assert report.counts == GOOD_COUNTS
    assert {name: len(batch) for name, batch in rows.items()} == GOOD_COUNTS


def test_rows_carry_typed_values_and_references_by_ordinal(tmp_path):
    rows, _ = read(write(tmp_path))
    people = [p.person_id for p in rows["person"]]
    requests = [r.request_id for r in rows["requests"]]
    plans = [p.plan_id for p in rows["named_plans"]]
    assert rows["person"][0] == importing.PersonRow(2, "P1", dt.date(2015, 3, 1), "M")
    r1 = rows["requests"][0]
    assert (r1.row, people[r1.person], r1.received, r1.source, r1.outcome, r1.outcome_date) == (
        2, "P1", dt.date(2024, 1, 8), "01", "Y", dt.date(2024, 2, 15))
    r3 = rows["requests"][2]
    assert (r3.outcome, r3.outcome_date, r3.source) == ("", None, "")
    a = rows["assessments"][0]
    assert (requests[a.request], a.outcome, a.outcome_date, a.week20) == (
        "R1", "Y", dt.date(2024, 5, 20), False)
    pl1, pl2 = rows["named_plans"]
    assert (people[pl1.person], requests[pl1.request]) == ("P1", "R1")
    assert (people[pl2.person], pl2.request, pl2.cease) == ("P2", None, None)
    review = rows["reviews"][0]
    assert (plans[review.plan], review.meeting, review.outcome, review.amended_plan) == (
        "PL2", dt.date(2024, 6, 10), "amend", dt.date(2024, 8, 20))
    assert [(people[n.person], n.sen_type, n.rank) for n in rows["sen_need"]] == [
        ("P1", "ASD", 1), ("P1", "SLCN", 2), ("P2", "SEMH", 1)]


def test_batches_stream_in_module_order_and_add_up_to_the_whole(tmp_path):
    folder = write(tmp_path)
    reader = CaseFileReader(folder, max_bytes=MB, today=TODAY, batch_size=2)
    batches = list(reader.batches())
    assert all(len(batch) <= 2 for _, batch in batches)
    names = [name for name, _ in batches]
    assert names == sorted(names, key=importing.MODULE_NAMES.index)
    assert names.count("requests") == 2
    whole, _ = read(folder)
    assert [row for name, batch in batches for row in batch] == [
        row for name in importing.MODULE_NAMES for row in whole[name]]


# Headers, files and encodings ------------------------------------------------------------

def test_headers_match_ignoring_case_spaces_and_underscores(tmp_path):
    changes = {
        "person": GOOD["person"].replace("PersonID,BirthMonth,Sex", "person id, BIRTHMONTH ,sex"),
        "requests": GOOD["requests"].replace("RequestID,PersonID,ReceivedDate",
                                             "Request_ID,Person-ID,receiveddate"),
    }
    rows, report = read(write(tmp_path, changes))
    assert report.ok and report.warnings == []
    assert report.counts == GOOD_COUNTS


def test_columns_in_another_order_are_read_by_name(tmp_path):
    rows, report = read(write(tmp_path, {"person": "Sex,PersonID,BirthMonth\nF,P1,2015-03\n"
                                                   "M,P2,2012-11\nU,P3,2019-01\n"}))
    assert report.ok
    assert rows["person"][0] == importing.PersonRow(2, "P1", dt.date(2015, 3, 1), "F")


def test_a_byte_order_mark_is_not_part_of_the_first_header(tmp_path):
    folder = write(tmp_path, encoding="utf-8-sig")
    assert (folder / "person.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    _, report = read(folder)
    assert report.ok and report.warnings == []


def test_file_names_match_ignoring_case(tmp_path):
    folder = write(tmp_path)
    (folder / "person.csv").rename(folder / "Person.CSV")
    (folder / "named_plans.csv").rename(folder / "Named-Plans.csv")
    _, report = read(folder)
    assert report.ok and report.counts == GOOD_COUNTS


def test_a_windows_1252_file_is_read(tmp_path):
    folder = write(tmp_path, edit("requests", "R3,P3,2024-03-01,,,", "R3,P3,2024-03-01,Café,,"),
                   encoding="cp1252")
    rows, report = read(folder)
    assert report.ok
    assert rows["requests"][2].source == "Café"


def test_an_extra_column_is_reported_and_ignored(tmp_path):
    text = GOOD["person"].replace("Sex\n", "Sex,Name\n").replace("M\n", "M,x\n")
    rows, report = read(write(tmp_path, {"person": text}))
    assert report.ok
    warning = only(report.warnings, file="person.csv", row=1)
    assert "column D ('Name') is not a person field" in warning.message
    assert rows["person"][0].sex == "M"


def test_a_missing_required_column_stops_the_module(tmp_path):
    text = "PersonID,Sex\nP1,M\n"
    _, report = read(write(tmp_path, {"person": text}))
    error = only(report.errors, file="person.csv", row=1, message="BirthMonth column")
    assert "is missing" in error.message
    assert report.counts["person"] == 0


def test_a_missing_optional_column_is_a_warning_and_read_as_blank(tmp_path):
    text = "\n".join(",".join(line.split(",")[:3] + line.split(",")[4:])
                     for line in GOOD["requests"].splitlines()) + "\n"
    rows, report = read(write(tmp_path, {"requests": text}))
    assert report.ok
    only(report.warnings, file="requests.csv", message="RequestSource column is missing")
    assert {r.source for r in rows["requests"]} == {""}


def test_person_and_requests_must_be_there(tmp_path):
    _, report = read(write(tmp_path, drop=("person", "requests")))
    only(report.errors, message="there is no person module")
    only(report.errors, message="there is no requests module")


def test_a_missing_optional_module_is_a_warning(tmp_path):
    _, report = read(write(tmp_path, drop=("reviews", "sen_need")))
    assert report.ok
    only(report.warnings, message="there is no reviews module")
    only(report.warnings, message="there is no sen_need module")
    assert report.counts["reviews"] == report.counts["sen_need"] == 0


def test_other_csv_files_are_reported(tmp_path):
    folder = write(tmp_path)
    (folder / "placements.csv").write_text("a,b\n")
    _, report = read(folder)
    assert report.ok
    only(report.warnings, file="placements.csv", message="not a case module file")


def test_blank_rows_are_skipped_but_rows_keep_their_numbers(tmp_path):
    rows, report = read(write(tmp_path, {"person": "PersonID,BirthMonth,Sex\n,,\nP1,2015-03,M\n"
                                                   "\nP2,2012-11,F\nP3,2019-01,U\n"}))
    assert report.ok
    assert [(p.row, p.person_id) for p in rows["person"]] == [(3, "P1"), (5, "P2"), (6, "P3")]


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    folder = write(tmp_path)
    size = (folder / "requests.csv").stat().st_size
    _, report = read(folder, max_bytes=size - 1)
    error = only(report.errors, file="requests.csv")
    assert "over the limit" in error.message and "LAPIS_MAX_CASE_IMPORT_BYTES" in error.message


def test_binary_data_is_not_a_csv(tmp_path):
    folder = write(tmp_path)
    (folder / "person.csv").write_bytes(b"PersonID\x00\x01\x02")
    _, report = read(folder)
    only(report.errors, file="person.csv", message="not a text .csv file")


@pytest.mark.parametrize("name", ["cases.txt", "missing"])
def test_neither_a_folder_nor_a_workbook(tmp_path, name):
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text("x")
    _, report = read(path)
    assert not report.ok and report.errors_total == 1


def test_a_fake_workbook_is_refused(tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_text("not a zip")
    _, report = read(path)
    only(report.errors, message="not an .xlsx workbook")


# Workbooks ---------------------------------------------------------------------------------

def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def good_sheets() -> dict[str, list[list]]:
    return {name: [line.split(",") for line in text.splitlines()]
            for name, text in GOOD.items()}


def test_a_workbook_with_a_sheet_per_module_reads_like_the_folder(tmp_path):
    rows, report = read(workbook(tmp_path / "cases.xlsx", good_sheets()))
    assert report.ok and report.warnings == []
    folder_rows, _ = read(write(tmp_path / "folder"))
    assert rows == folder_rows


def test_workbook_cells_may_be_dates_and_numbers(tmp_path):
    sheets = good_sheets()
    sheets["person"][1] = [1001, dt.datetime(2015, 3, 1), "m"]  # Excel's own cell types
    sheets["requests"][1] = ["R1", 1001, dt.datetime(2024, 1, 8), 1, "y",
                             dt.date(2024, 2, 15)]
    sheets["requests"][4][1] = 1001
    sheets["assessments"][1] = ["R1", "Y", dt.datetime(2024, 5, 20), 0]
    sheets["named_plans"][1][1] = 1001
    sheets["sen_need"][1] = [1001, "asd", 1.0]
    sheets["sen_need"][2][0] = 1001
    rows, report = read(workbook(tmp_path / "cases.xlsx", sheets))
    assert report.ok, [str(p) for p in report.errors]
    assert rows["person"][0] == importing.PersonRow(2, "1001", dt.date(2015, 3, 1), "M")
    r1 = rows["requests"][0]
    assert (r1.received, r1.source, r1.outcome, r1.outcome_date) == (
        dt.date(2024, 1, 8), "1", "Y", dt.date(2024, 2, 15))
    assert (rows["sen_need"][0].sen_type, rows["sen_need"][0].rank) == ("ASD", 1)


def test_workbook_sheet_names_are_tolerant_and_other_sheets_reported(tmp_path):
    sheets = good_sheets()
    sheets["Named Plans"] = sheets.pop("named_plans")
    sheets["Notes"] = [["read me"]]
    _, report = read(workbook(tmp_path / "cases.xlsx", sheets))
    assert report.ok and report.counts == GOOD_COUNTS
    only(report.warnings, sheet="Notes", message="not a case module sheet")


def test_workbook_problems_name_the_sheet(tmp_path):
    sheets = good_sheets()
    sheets["requests"][2][2] = "01/02/2024"
    _, report = read(workbook(tmp_path / "cases.xlsx", sheets))
    error = only(report.errors, file="cases.xlsx", sheet="requests", row=3, column="C")
    assert error.header == "ReceivedDate"
    assert str(error).startswith("ERROR: cases.xlsx, sheet 'requests', row 3, column C "
                                 "(ReceivedDate):")


# Hard problems: each names its file, row and column ------------------------------------

HARD = [
    # (change, file, row, column, fragment)
    (edit("requests", "2024-02-01", "01/02/2024"), "requests", 3, "ReceivedDate",
     "'01/02/2024' is not a date"),
    (edit("requests", "2024-02-01", "2024-02-30"), "requests", 3, "ReceivedDate",
     "not a date"),
    (edit("requests", "2024-02-01", "20240201"), "requests", 3, "ReceivedDate", "not a date"),
    (edit("named_plans", "2024-05-20,,", "2024-05-20,2024-13-01,"), "named_plans", 2,
     "CeaseDate", "not a date"),
    (edit("reviews", "2024-07-01,2024-08-20", "2024-07-01,20 Aug 2024"), "reviews", 2,
     "AmendedPlanDate", "not a date"),
    (edit("person", "2015-03", "2015-03-01"), "person", 2, "BirthMonth", "not a month"),
    (edit("person", "2015-03", "2015-13"), "person", 2, "BirthMonth", "not a month"),
    (edit("person", "2015-03,M", "2015-03,X"), "person", 2, "Sex", "not a Sex code"),
    (edit("requests", "01,Y", "01,X"), "requests", 2, "RequestOutcome",
     "not a RequestOutcome code"),
    (edit("assessments", "R1,Y", "R1,Q"), "assessments", 2, "AssessmentOutcome",
     "not a AssessmentOutcome code"),
    (edit("assessments", "2024-05-20,0", "2024-05-20,2"), "assessments", 2, "Week20",
     "not a Week20 code"),
    (edit("assessments", "2024-05-20,0", "2024-05-20,yes"), "assessments", 2, "Week20",
     "not a Week20 code"),
    (edit("reviews", "amend", "keep"), "reviews", 2, "ReviewOutcome",
     "not a ReviewOutcome code"),
    (edit("sen_need", "ASD", "ABC"), "sen_need", 2, "SENType", "not a SENType code"),
    (edit("sen_need", "ASD,1", "ASD,0"), "sen_need", 2, "SENTypeRank", "not a SENTypeRank"),
    (edit("sen_need", "ASD,1", "ASD,first"), "sen_need", 2, "SENTypeRank",
     "not a SENTypeRank"),
    (add("person", "P2,2012-11,F"), "person", 5, "PersonID", "PersonID P2 is already on row 3"),
    (add("requests", "R2,P2,2024-02-01,,,"), "requests", 6, "RequestID",
     "RequestID R2 is already on row 3"),
    (add("named_plans", "PL1,P1,,2020-01-01,,"), "named_plans", 4, "PlanID",
     "PlanID PL1 is already on row 2"),
    (add("assessments", "R1,Y,2024-05-21,0"), "assessments", 3, "RequestID",
     "already has an assessment"),
    (add("reviews", "PL2,2024-06-10,,,,,,"), "reviews", 4, "ReviewMeeting",
     "already has a review meeting on 2024-06-10 (row 2)"),
    (add("sen_need", "P1,MLD,2"), "sen_need", 5, "SENTypeRank", "already has a need ranked 2"),
    (add("requests", "R9,P9,2024-02-01,,,"), "requests", 6, "PersonID",
     "PersonID P9 is not in person"),
    (add("assessments", "R9,N,2024-05-21,0"), "assessments", 3, "RequestID",
     "RequestID R9 is not in requests"),
    (add("named_plans", "PL9,P1,R9,2020-01-01,,"), "named_plans", 4, "RequestID",
     "RequestID R9 is not in requests"),
    (add("named_plans", "PL9,P9,,2020-01-01,,"), "named_plans", 4, "PersonID",
     "PersonID P9 is not in person"),
    (add("reviews", "PL9,2024-06-10,,,,,,"), "reviews", 4, "PlanID",
     "PlanID PL9 is not in named_plans"),
    (add("sen_need", "P9,MLD,1"), "sen_need", 5, "PersonID", "PersonID P9 is not in person"),
    (add("person", ",2012-11,F"), "person", 5, "PersonID", "PersonID is required"),
    (add("person", "P4,,F"), "person", 5, "BirthMonth", "BirthMonth is required"),
    (add("person", "P4,2012-11,"), "person", 5, "Sex", "Sex is required"),
    (add("requests", "R9,P1,,,,"), "requests", 6, "ReceivedDate", "ReceivedDate is required"),
    (add("requests", ",P1,2024-01-01,,,"), "requests", 6, "RequestID", "RequestID is required"),
    (add("named_plans", "PL9,P1,,,,"), "named_plans", 4, "StartDate", "StartDate is required"),
    (add("reviews", "PL1,,,,,,,"), "reviews", 4, "ReviewMeeting", "ReviewMeeting is required"),
    (add("sen_need", "P3,,1"), "sen_need", 5, "SENType", "SENType is required"),
    (add("sen_need", "P3,MLD,"), "sen_need", 5, "SENTypeRank", "SENTypeRank is required"),
    (edit("requests", "02,N,2024-03-10", "02,N,"), "requests", 3, "RequestOutcomeDate",
     "RequestOutcome N has no RequestOutcomeDate"),
    (edit("requests", "02,N,2024-03-10", "02,,2024-03-10"), "requests", 3, "RequestOutcome",
     "RequestOutcomeDate is given but RequestOutcome is blank"),
    (edit("assessments", "R1,Y,2024-05-20", "R1,Y,"), "assessments", 2,
     "AssessmentOutcomeDate", "AssessmentOutcome Y has no AssessmentOutcomeDate"),
    (edit("reviews", "2024-06-30,amend", ",amend"), "reviews", 2, "ReviewDecisionDate",
     "ReviewOutcome amend has no ReviewDecisionDate"),
    (edit("reviews", "2024-06-30,amend", "2024-06-30,"), "reviews", 2, "ReviewOutcome",
     "ReviewDecisionDate is given but ReviewOutcome is blank"),
    (add("person", "A123456789012,2012-11,F"), "person", 5, "PersonID", "looks like a UPN"),
    (add("person", "X" * 101 + ",2012-11,F"), "person", 5, "PersonID",
     "longer than 100 characters"),
]


@pytest.mark.parametrize(("change", "module", "row", "column", "fragment"), HARD,
                         ids=[h[4][:40] for h in HARD])
def test_each_hard_problem_names_file_row_and_column(tmp_path, change, module, row, column,
                                                    fragment):
    _, report = read(write(tmp_path, change))
    assert not report.ok
    error = only(report.errors, file=f"{module}.csv", row=row, header=column, message=fragment)
    letter = "ABCDEFGH"[importing.MODULES[importing.MODULE_NAMES.index(module)]
                        .columns.index(column)]
    assert error.column == letter
    assert report.errors_total == 1, [str(p) for p in report.errors]


def test_codes_are_read_ignoring_case(tmp_path):
    changes = edit("person", "2015-03,M", "2015-03,m") | edit("reviews", "amend", "Amend")
    changes |= edit("sen_need", "ASD", "SpLD") | edit("requests", "01,Y", "01,y")
    rows, report = read(write(tmp_path, changes))
    assert report.ok
    assert rows["person"][0].sex == "M"
    assert rows["reviews"][0].outcome == "amend"
    assert rows["sen_need"][0].sen_type == "SPLD"
    assert rows["requests"][0].outcome == "Y"


@pytest.mark.parametrize("outcome", ["A", "W", "H"])
def test_outcomes_that_are_not_decisions_need_no_date(tmp_path, outcome):
    _, report = read(write(tmp_path, edit("requests", "R3,P3,2024-03-01,,,",
                                          f"R3,P3,2024-03-01,,{outcome},")))
    assert report.ok


def test_every_problem_in_every_file_is_listed(tmp_path):
    changes = {
        "person": GOOD["person"] + "P4,2012-11,X\nP5,2012,F\nP1,2015-03,M\n",
        "requests": GOOD["requests"] + "R5,P9,2024-01-01,,,\nR6,P1,2024-1-1,,,\n",
        "reviews": GOOD["reviews"] + "PL7,2024-06-10,,,,,,\n",
    }
    _, report = read(write(tmp_path, changes))
    where = sorted((p.file, p.row, p.header) for p in report.errors)
    assert where == [("person.csv", 5, "Sex"), ("person.csv", 6, "BirthMonth"),
                     ("person.csv", 7, "PersonID"), ("requests.csv", 6, "PersonID"),
                     ("requests.csv", 7, "ReceivedDate"), ("reviews.csv", 4, "PlanID")]
    assert report.errors_total == 6


def test_a_bad_row_still_makes_its_id_known_so_errors_do_not_cascade(tmp_path):
    _, report = read(write(tmp_path, edit("person", "2015-03,M", "2015-03,X")))
    # P1 is named by two requests, a plan and two needs: only its own row is reported.
    assert [(p.file, p.row, p.header) for p in report.errors] == [("person.csv", 2, "Sex")]


def test_problems_beyond_the_cap_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_PROBLEMS", 3)
    lines = "".join(f"P{n},2012,F\n" for n in range(10, 20))
    _, report = read(write(tmp_path, {"person": GOOD["person"] + lines}))
    assert len(report.errors) == 3 and report.errors_total == 10


# Soft problems: imported, with a warning -----------------------------------------------

SOFT = [
    (edit("requests", "02,N,2024-03-10", "02,N,2024-01-10"), "requests", 3,
     "RequestOutcomeDate", "before the request was received"),
    (edit("assessments", "R1,Y,2024-05-20", "R1,Y,2024-01-01"), "assessments", 2,
     "AssessmentOutcomeDate", "before the request was received"),
    (edit("assessments", "R1,Y,2024-05-20", "R1,Y,2024-02-01"), "assessments", 2,
     "AssessmentOutcomeDate", "before the decision to assess"),
    (edit("requests", "01,Y,2024-02-15", "01,N,2024-02-15"), "assessments", 2,
     "AssessmentOutcome", "RequestOutcome is N, not Y"),
    (edit("requests", "R3,P3,2024-03-01,,,", "R3,P3,2025-03-01,,,"), "requests", 4,
     "ReceivedDate", "2025-03-01 is in the future"),
    (edit("person", "2019-01", "2025-02"), "person", 4, "BirthMonth", "in the future"),
    (add("assessments", "R2,N,2024-05-20,1"), "assessments", 3, "Week20",
     "on a case not issued (AssessmentOutcome N)"),
    (add("assessments", "R3,,,1"), "assessments", 3, "Week20",
     "on a case not issued (AssessmentOutcome blank)"),
    (edit("assessments", "R1,Y,2024-05-20,0", "R1,N,2024-05-20,0"), "named_plans", 2,
     "RequestID", "which has AssessmentOutcome N, not Y"),
    (add("named_plans", "PL3,P3,R3,2024-06-01,,"), "named_plans", 4, "RequestID",
     "which has no assessment outcome, not Y"),
    (edit("named_plans", "PL1,P1,R1", "PL1,P2,R1"), "named_plans", 2, "RequestID",
     "belongs to another PersonID"),
    (add("named_plans", "PL3,P1,R1,2024-06-01,,"), "named_plans", 4, "RequestID",
     "named by another plan too"),
    (edit("named_plans", "2019-09-01,,", "2019-09-01,2019-08-01,moved"), "named_plans", 3,
     "CeaseDate", "ceased (2019-08-01) before it started"),
    (edit("reviews", "2024-06-10,2024-06-30", "2024-06-10,2024-06-01"), "reviews", 2,
     "ReviewDecisionDate", "before the review meeting"),
    (edit("reviews", "2024-07-01,2024-08-20", "2024-07-01,2024-06-20"), "reviews", 2,
     "AmendedPlanDate", "before the amendment notice"),
]


@pytest.mark.parametrize(("change", "module", "row", "column", "fragment"), SOFT,
                         ids=[s[4][:40] for s in SOFT])
def test_each_soft_problem_is_a_warning_and_the_row_imports(tmp_path, change, module, row,
                                                           column, fragment):
    _, report = read(write(tmp_path, change))
    assert report.ok, [str(p) for p in report.errors]
    only(report.warnings, file=f"{module}.csv", row=row, header=column, message=fragment)
    assert report.warnings_total == 1, [str(p) for p in report.warnings]
    expected = dict(GOOD_COUNTS)
    for name, text in change.items():
        expected[name] += text.count("\n") - GOOD[name].count("\n")
    assert report.counts == expected


def test_a_plan_issued_with_no_request_decision_is_a_warning(tmp_path):
    changes = edit("requests", "01,Y,2024-02-15", "01,,")
    _, report = read(write(tmp_path, changes))
    assert report.ok
    only(report.warnings, file="assessments.csv", row=2,
         message="RequestOutcome is blank, not Y")


# Properties at the boundaries -------------------------------------------------------------

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


def _one_request(received: dt.date, decided: dt.date, today: dt.date):
    with tempfile.TemporaryDirectory() as folder:
        changes = {"requests": "RequestID,PersonID,ReceivedDate,RequestSource,RequestOutcome,"
                               f"RequestOutcomeDate\nR1,P1,{received},,N,{decided}\n",
                   "person": "PersonID,BirthMonth,Sex\nP1,2000-01,F\n"}
        return read(write(Path(folder), changes, drop=("assessments", "named_plans",
                                                       "reviews", "sen_need")), today=today)


@settings(max_examples=60, deadline=None)
@given(received=days, gap=st.integers(min_value=-3, max_value=3))
def test_an_outcome_before_receipt_is_warned_exactly_when_it_is_earlier(received, gap):
    decided = received + dt.timedelta(days=gap)
    rows, report = _one_request(received, decided, today=dt.date(2031, 1, 1))
    assert report.ok
    warned = any("before the request was received" in p.message for p in report.warnings)
    assert warned == (gap < 0)
    assert rows["requests"][0].outcome_date == decided


@settings(max_examples=60, deadline=None)
@given(day=days, offset=st.integers(min_value=-2, max_value=2))
def test_a_date_is_in_the_future_exactly_when_it_is_after_today(day, offset):
    today = day - dt.timedelta(days=offset)
    _, report = _one_request(day, day, today=today)
    future = [p for p in report.warnings if "in the future" in p.message]
    assert len(future) == (2 if offset > 0 else 0)  # received and decided are both that day


@settings(max_examples=60, deadline=None)
@given(day=days)
def test_every_real_iso_date_reads_back_and_other_spellings_do_not(day):
    for text, good in ((day.isoformat(), True), (f"{day:%d/%m/%Y}", False),
                       (f"{day:%Y%m%d}", False), (f"{day.isoformat()}T00:00", False)):
        rows, report = _one_request(text, day, today=dt.date(2031, 1, 1))
        assert report.ok == good, text
        if good:
            assert rows["requests"][0].received == day
