"""The one table writer: CSV and .xlsx out of `lapis.core.tables`."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from lapis.core.cells import unneutralise
from lapis.core.dates import PartialDate
from lapis.core.tables import Table, attachment, csv_text, download, xlsx_bytes


def _book(tables):
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(tables)))


def _values(ws):
    return [list(row) for row in ws.iter_rows(values_only=True)]


def test_text_cells_are_neutralised_in_both_formats():
    table = Table("Sheet", ["=header"], [["=1+1"], ["+44 1482"], ["-x"], ["@SUM(A1)"],
                                         ["plain"], [3]])
    rows = list(csv.reader(io.StringIO(csv_text(table))))
    assert rows == [["'=header"], ["'=1+1"], ["'+44 1482"], ["'-x"], ["'@SUM(A1)"], ["plain"],
                    ["3"]]
    ws = _book(table)["Sheet"]
    assert _values(ws) == [["'=header"], ["'=1+1"], ["'+44 1482"], ["'-x"], ["'@SUM(A1)"],
                           ["plain"], [3]]
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_control_characters_are_removed_from_a_workbook_but_kept_in_a_csv():
    text = "a\x01b\x1fc\td\ne\rf\x0bg"
    table = Table("Sheet", ["h"], [[text], ["\x02=1"]])
    ws = _book(table)["Sheet"]
    assert ws["A2"].value == "abc\td\ne\rfg"
    assert ws["A3"].value == "'=1"  # stripping cannot uncover a formula
    assert list(csv.reader(io.StringIO(csv_text(table), newline="")))[1] == [text]


def test_several_sheets_in_one_workbook():
    book = _book([Table("Improvement Plan", ["A", "B"], [["1", 2]]),
                  Table("Closures", ["A", "B"], [])])
    assert book.sheetnames == ["Improvement Plan", "Closures"]
    assert _values(book["Improvement Plan"]) == [["A", "B"], ["1", 2]]
    assert _values(book["Closures"]) == [["A", "B"]]
    assert book["Closures"].freeze_panes == "A2"
    assert book["Improvement Plan"]["A1"].font.bold


def test_a_long_sheet_title_is_cut_to_excels_limit():
    book = _book(Table("x" * 40, ["A"], []))
    assert book.sheetnames == ["x" * 31]


def test_dates_are_dates_in_a_workbook_and_iso_in_a_csv():
    day = dt.date(2025, 2, 14)
    table = Table("Dates", ["day", "month", "partial day", "at"],
                  [[day, PartialDate(dt.date(2025, 2, 1), "month"), PartialDate(day, "day"),
                    dt.datetime(2025, 2, 14, 9, 30)]], date_format="dd/mm/yyyy")
    ws = _book(table)["Dates"]
    row = [c for c in ws[2]]
    assert [c.value.date() for c in row[:3]] == [day, dt.date(2025, 2, 1), day]
    assert [c.number_format for c in row[:3]] == ["dd/mm/yyyy", "mmm-yy", "dd/mm/yyyy"]
    assert list(csv.reader(io.StringIO(csv_text(table))))[1] == [
        "2025-02-14", "2025-02", "2025-02-14", "2025-02-14T09:30:00"]


def test_numbers_booleans_and_empty_cells():
    table = Table("N", ["a", "b", "c", "d", "e"], [[1, 2.5, Decimal("1.50"), True, None],
                                                   ["", False, 0, None, "x"]],
                  number_formats={1: "0.0"})
    ws = _book(table)["N"]
    assert _values(ws)[1:] == [[1, 2.5, 1.5, "Yes", None], [None, "No", 0, None, "x"]]
    assert ws["B2"].number_format == "0.0"
    assert list(csv.reader(io.StringIO(csv_text(table))))[1:] == [
        ["1", "2.5", "1.50", "Yes", ""], ["", "No", "0", "", "x"]]


def test_rows_above_the_header_and_the_frozen_panes():
    table = Table("Inclusion", ["School", "Count"], [["A", 1]], above=[["A note"]],
                  freeze="B3")
    ws = _book(table)["Inclusion"]
    assert _values(ws) == [["A note", None], ["School", "Count"], ["A", 1]]
    assert ws["A2"].font.bold and not ws["A1"].font.bold
    assert ws.freeze_panes == "B3"
    assert csv_text(table) == "A note\r\nSchool,Count\r\nA,1\r\n"


def test_widths_given_or_from_the_content():
    ws = _book(Table("W", ["Code", "Title"], [["R1", "t" * 100]]))["W"]
    assert ws.column_dimensions["A"].width == 8
    assert ws.column_dimensions["B"].width == 60
    ws = _book(Table("W", ["Code", "Title"], [], widths={1: 33}))["W"]
    assert ws.column_dimensions["B"].width == 33


def test_runs_of_equal_values_merge():
    table = Table("M", ["Priority", "Ref"], [["P1", "1.1"], ["P1", "1.2"], ["P2", "2.1"],
                                             [None, "2.2"], [None, "2.3"]], merge_runs=[0])
    ws = _book(table)["M"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A2:A3"]


def test_csv_round_trip():
    rows = [["=cmd|' /C calc'!A0", "line\nbreak", "comma, quote \"", "'already", "£ é ✓"],
            ["-1", "", "\t tab", "+", "@"]]
    text = csv_text(Table("T", ["a", "b", "c", "d", "e"], rows))
    assert not text.startswith("\ufeff")
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read[0] == ["a", "b", "c", "d", "e"]
    assert [[unneutralise(v) for v in row] for row in read[1:]] == rows


def test_xlsx_round_trip_of_text():
    rows = [["=1", "'=1", "''=1", "text", "line\nbreak"]]
    ws = _book(Table("T", ["a", "b", "c", "d", "e"], rows))["T"]
    assert [[unneutralise(v) for v in row] for row in _values(ws)[1:]] == rows


def test_downloads():
    table = Table("T", ["a"], [["=1"]])
    response = download(table, "csv", "things")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="things.csv"'
    assert response.content == b"a\r\n'=1\r\n"
    response = download([table, Table("U", ["b"])], "xlsx", "things")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="things.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["T", "U"]
    assert attachment(b"%PDF", "pdf", "x.pdf")["Content-Type"] == "application/pdf"
    with pytest.raises(ValueError):
        download([table, table], "csv", "two")
    with pytest.raises(ValueError):
        download(table, "pdf", "no")
