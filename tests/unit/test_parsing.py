"""Tests for lapis.plans.parsing: the rules in tables, then the real Hull workbook."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from lapis.core.cells import (
    FORMULA_TRIGGERS,
    AmbiguousDate,
    clean_text,
    infer_order,
    neutralise,
    order_evidence,
    read_date,
    unneutralise,
)
from lapis.core.dates import PartialDate
from lapis.core.errors import CellError
from lapis.plans.parsing import (
    FIELDS,
    REF_PATTERN,
    BoardSplit,
    LinkToken,
    LogEntry,
    find_log_dates,
    format_links,
    format_progress_log,
    is_heading_text,
    known_board_names,
    match_header,
    parse_links,
    parse_ref,
    priority_number,
    ref_sort_key,
    split_boards,
    split_people,
    split_progress_log,
)

HULL = Path(__file__).parents[1] / "fixtures" / "hull-send-improvement-plan.xlsx"


def day(y, m, d):
    return PartialDate(dt.date(y, m, d), "day")


def month(y, m):
    return PartialDate(dt.date(y, m, 1), "month")


# ---------------------------------------------------------------------------------------------
# PartialDate
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("date, end, iso, text", [
    (month(2023, 2), dt.date(2023, 2, 28), "2023-02", "Feb 2023"),
    (month(2024, 2), dt.date(2024, 2, 29), "2024-02", "Feb 2024"),
    (month(2025, 12), dt.date(2025, 12, 31), "2025-12", "Dec 2025"),
    (day(2023, 2, 14), dt.date(2023, 2, 14), "2023-02-14", "14 Feb 2023"),
    (day(2024, 6, 8), dt.date(2024, 6, 8), "2024-06-08", "8 Jun 2024"),
])
def test_partial_date_forms(date, end, iso, text):
    assert date.end() == end
    assert date.iso() == iso
    assert str(date) == text
    assert PartialDate.from_iso(iso) == date


@pytest.mark.parametrize("text", ["2023", "2023-2", "23-02-14", "2023-13", "2023-02-30", "x"])
def test_from_iso_rejects(text):
    with pytest.raises(CellError):
        PartialDate.from_iso(text)


def test_partial_date_validates_and_orders():
    with pytest.raises(ValueError):
        PartialDate(dt.date(2023, 2, 14), "month")  # a month is its 1st
    with pytest.raises(ValueError):
        PartialDate(dt.date(2023, 2, 14), "week")
    # A datetime is kept as its date, so it still compares with other PartialDates.
    assert PartialDate(dt.datetime(2023, 2, 14, 9, 30), "day") == day(2023, 2, 14)
    assert sorted([day(2024, 1, 5), month(2023, 2), day(2023, 1, 31)]) == [
        day(2023, 1, 31), month(2023, 2), day(2024, 1, 5)]


# ---------------------------------------------------------------------------------------------
# read_date
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("", None),
    ("   ", None),
    ("Feb-23", month(2023, 2)),
    ("Feb 23", month(2023, 2)),
    ("feb-2023", month(2023, 2)),
    ("February 2023", month(2023, 2)),
    ("Sept 2025", month(2025, 9)),
    ("Sep-25", month(2025, 9)),
    ("Sept. 2025", month(2025, 9)),
    (" Dec-26 ", month(2026, 12)),
    ("2023-02", month(2023, 2)),
    ("2023-02-14", day(2023, 2, 14)),
    ("14 Feb 2023", day(2023, 2, 14)),  # str(PartialDate) reads back
    ("28 November 2023", day(2023, 11, 28)),
    ("24/04/24", day(2024, 4, 24)),  # only one reading is real
    ("18.06.2024", day(2024, 6, 18)),
    ("28.09. 23", day(2023, 9, 28)),
    ("14 / 9 /2023", day(2023, 9, 14)),
    ("14-09-2023", day(2023, 9, 14)),
    ("05/05/2024", day(2024, 5, 5)),  # both readings are the same day: not ambiguous
    (dt.date(2025, 1, 30), day(2025, 1, 30)),
    (dt.datetime(2025, 1, 30, 0, 0), day(2025, 1, 30)),
])
def test_read_date_without_order(value, expected):
    assert read_date(value) == expected


@pytest.mark.parametrize("number_format, expected", [
    ("General", day(2023, 2, 14)),
    ("m/d/yyyy", day(2023, 2, 14)),
    ("dd/mm/yyyy", day(2023, 2, 14)),
    ("[$-809]dd mmmm yyyy", day(2023, 2, 14)),
    ("mmm-yy", month(2023, 2)),
    ("mmm yyyy", month(2023, 2)),
    ("mmmm yyyy", month(2023, 2)),
    ('"Due "mmm-yy', month(2023, 2)),  # the d of quoted text is not a day token
    ("[Red]mmm-yy", month(2023, 2)),  # nor is the d of a colour
    ("@", day(2023, 2, 14)),
])
def test_read_date_cell_format_sets_precision(number_format, expected):
    assert read_date(dt.datetime(2023, 2, 14), number_format=number_format) == expected


@pytest.mark.parametrize("text, order, expected", [
    ("12/09/2025", "dmy", day(2025, 9, 12)),
    ("12/09/2025", "mdy", day(2025, 12, 9)),
    ("7.9.23", "dmy", day(2023, 9, 7)),
    ("7.9.23", "mdy", day(2023, 7, 9)),
    ("24/04/24", "dmy", day(2024, 4, 24)),
    ("04/24/24", "mdy", day(2024, 4, 24)),
    ("Feb-23", "mdy", month(2023, 2)),  # order does not touch names or ISO
    ("2024-06-18", "mdy", day(2024, 6, 18)),
])
def test_read_date_with_order(text, order, expected):
    assert read_date(text, order=order) == expected


def test_ambiguous_date_carries_both_readings():
    with pytest.raises(AmbiguousDate) as caught:
        read_date("12/09/2025")
    assert caught.value.candidates == {"dmy": day(2025, 9, 12), "mdy": day(2025, 12, 9)}
    assert "'12/09/2025'" in str(caught.value)
    assert "12 Sep 2025" in str(caught.value) and "9 Dec 2025" in str(caught.value)
    assert isinstance(caught.value, CellError)


@pytest.mark.parametrize("text, order", [("24/04/24", "mdy"), ("04/24/24", "dmy")])
def test_date_against_the_registers_order_is_an_error(text, order):
    with pytest.raises(CellError) as caught:
        read_date(text, order=order)
    assert not isinstance(caught.value, AmbiguousDate)
    assert repr(text) in str(caught.value)
    assert "24 Apr 2024" in str(caught.value)  # says what it would have been


@pytest.mark.parametrize("value", [
    "31/02/2024", "13/13/2023", "Feb-2x", "Feb-123", "2023-13", "2023-02-30", "30 Feb 2024",
])
def test_impossible_dates(value):
    with pytest.raises(CellError, match="is not a real date") as caught:
        read_date(value, order="dmy")
    assert repr(value) in str(caught.value)


@pytest.mark.parametrize("value", ["soon", "TBC", "Q3", 45000, 2023.5, True, "1.1", "Feb",
                                   dt.time(9, 30)])
def test_not_dates(value):
    with pytest.raises(CellError, match="is not a date; expected a date such as 14/02/2023"):
        read_date(value)


def test_read_date_rejects_unknown_order():
    with pytest.raises(ValueError):
        read_date("1/2/2023", order="ymd")


@pytest.mark.parametrize("text, expected", [
    ("24/04/24", "dmy"),
    ("18.06.2024", "dmy"),
    ("04/24/24", "mdy"),
    ("12/09/2025", None),  # both readings real
    ("05/05/2024", None),
    ("31/02/2024", None),  # neither
    ("2024-06-18", None),  # not d/m/y at all
    ("Feb-23", None),
    ("soon", None),
])
def test_order_evidence(text, expected):
    assert order_evidence(text) == expected


@pytest.mark.parametrize("texts, expected", [
    (["24/04/24", "18.06.24", "04/24/24", "12/09/2025"], ("dmy", {"dmy": 2, "mdy": 1})),
    (["04/24/24"], ("mdy", {"dmy": 0, "mdy": 1})),
    (["24/04/24", "04/24/24"], (None, {"dmy": 1, "mdy": 1})),  # a tie decides nothing
    (["12/09/2025", "Feb-23"], (None, {"dmy": 0, "mdy": 0})),
    ([], (None, {"dmy": 0, "mdy": 0})),
])
def test_infer_order(texts, expected):
    assert infer_order(texts) == expected


# ---------------------------------------------------------------------------------------------
# clean_text
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (None, ""),
    (3, "3"),
    (3.0, "3"),
    (1.5, "1.5"),
    ("  plain  text \t here ", "plain text here"),
    ("<p>a</p> <p>b</p>", "a\n\nb"),
    ("<p>one\n two</p>", "one two"),  # a source line break in HTML is a space
    ("a<br>b<br/>c", "a\nb\nc"),
    ("<ul><li>x</li><li>y</li></ul>", "x\ny"),
    ("<div>a</div><div>b</div>", "a\n\nb"),
    ("<table><tr><td>a</td></tr><tr><td>b</td></tr></table>", "a\n\nb"),
    ("<b>bold</b> and <i>it</i>", "bold and it"),
    ("Tom &amp; Jerry", "Tom & Jerry"),
    ("<p>Tom &amp; Jerry</p>", "Tom & Jerry"),
    ("x<script>alert(1)</script>y", "xy"),
    ("<style>p {color: red}</style>text", "text"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", ""),
    ("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;ok", "ok"),
    ("<img src=x onerror=alert(1)>after", "after"),
    ("a <!-- hidden --> b", "a b"),
    ("3 < 5 and 6 > 4", "3 < 5 and 6 > 4"),
    ("R&D", "R&D"),
    ("a&nbsp;&nbsp;b", "a b"),
    ("line one\r\nline two\rline three", "line one\nline two\nline three"),
    ("para one\n\n\n\npara two", "para one\n\npara two"),
    ("'=SUM(A1)", "'=SUM(A1)"),  # neutralisation is undone by unneutralise, not here
])
def test_clean_text(value, expected):
    assert clean_text(value) == expected


@pytest.mark.parametrize("value", [
    "<p>a</p> <p>b &amp; c</p>", "&amp;amp;", "x &lt;b&gt; y", "3 < 5", "a\n\nb", "&lt;p",
])
def test_clean_text_is_stable(value):
    once = clean_text(value)
    assert clean_text(once) == once
    assert "<script" not in once.lower()


# ---------------------------------------------------------------------------------------------
# Progress logs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    (None, []),
    ("", []),
    ("<p> </p>", []),
    ("no dates at all", [(None, None, "no dates at all")]),
    # At the start of a paragraph, with or without a dash.
    ("<p>08.09.23 - Done.</p> <p>18.06.24 Agreement to close</p>",
     [(day(2023, 9, 8), "08.09.23", "Done."), (day(2024, 6, 18), "18.06.24",
                                               "Agreement to close")]),
    # Spaces inside the date, a dash with no space, an en dash.
    ("<p>08.09. 23 -Progress to date</p>", [(day(2023, 9, 8), "08.09. 23", "Progress to date")]),
    ("28.09.23-Case reviews", [(day(2023, 9, 28), "28.09.23", "Case reviews")]),
    ("1.2.24 – en dash", [(day(2024, 2, 1), "1.2.24", "en dash")]),
    # Mid-paragraph: after a dash, or after a sentence end.
    ("ongoing 24/04/24 - no further update - ongoing 18.06.24 - closed",
     [(None, None, "ongoing"), (day(2024, 4, 24), "24/04/24", "no further update - ongoing"),
      (day(2024, 6, 18), "18.06.24", "closed")]),
    ("7.9.23 - A. Await details. 13.10.23 The final copy",
     [(day(2023, 9, 7), "7.9.23", "A. Await details."),
      (day(2023, 10, 13), "13.10.23", "The final copy")]),
    # A date mid-sentence with no dash, at the end, or written with a month name never splits.
    ("1.1.24 - seen on 12.04.24 by the team", [(day(2024, 1, 1), "1.1.24",
                                               "seen on 12.04.24 by the team")]),
    ("1.1.24 - done. 12.04.24", [(day(2024, 1, 1), "1.1.24", "done. 12.04.24")]),
    ("1.1.24 - Forum 28 November 2023. 20 Feb 2024 - x",
     [(day(2024, 1, 1), "1.1.24", "Forum 28 November 2023. 20 Feb 2024 - x")]),
    # Refs and ranges are not dates.
    ("1.1.24 - a repetition of 3.5. 3.1.2.1 - see there. 2023 - 2028 plan",
     [(day(2024, 1, 1), "1.1.24", "a repetition of 3.5. 3.1.2.1 - see there. 2023 - 2028 plan")]),
    # Undated paragraphs join the entry before them.
    ("<p>7.9.23 - OT capacity.</p> <p>Dependant on recruitment.</p> <p>21.02.24 - ok</p>",
     [(day(2023, 9, 7), "7.9.23", "OT capacity.\n\nDependant on recruitment."),
      (day(2024, 2, 21), "21.02.24", "ok")]),
    # LAPIS's own export.
    ("2024-06-18 - text\n\n2024-07 - a month", [(day(2024, 6, 18), "2024-06-18", "text"),
                                               (month(2024, 7), "2024-07", "a month")]),
    # An ISO month only starts an entry as the export writes it: "2023-12" in prose stays.
    ("1.1.24 - funded in 2023-12 - see. 2024-06 plan",
     [(day(2024, 1, 1), "1.1.24", "funded in 2023-12 - see. 2024-06 plan")]),
])
def test_split_progress_log(text, expected):
    entries = split_progress_log(text, order="dmy")
    assert [(e.date, e.raw_date, e.text) for e in entries] == expected
    assert all(isinstance(e, LogEntry) for e in entries)


def test_split_progress_log_uses_order():
    assert split_progress_log("07.09.23 - x", order="mdy")[0].date == day(2023, 7, 9)
    with pytest.raises(AmbiguousDate):
        split_progress_log("07.09.23 - x", order=None)
    with pytest.raises(CellError, match="not a real date"):
        split_progress_log("31.02.24 - x", order="dmy")
    with pytest.raises(CellError):
        split_progress_log("24.04.24 - x", order="mdy")  # breaks the register's convention


def test_find_log_dates():
    text = "<p>08.09. 23 - a. 16.08.23 b</p> <p>12.04.24 - c on 1.2.24</p>"
    assert find_log_dates(text) == ["08.09. 23", "16.08.23", "12.04.24"]
    assert find_log_dates("") == []


@pytest.mark.parametrize("entries", [
    [(day(2024, 6, 18), "text")],
    [(None, "Preamble with no date."), (day(2023, 9, 7), "first"), (month(2024, 2), "second")],
    [(day(2023, 8, 16), "Forum on 28 November 2023. Then 20 Feb 2024 - a meeting."),
     (day(2024, 2, 7), "Shared.\n\nA second paragraph.\n\nA third, with 3.5 and 2023 - 2028.")],
    [(day(2024, 1, 1), "Tom & Jerry <3 > 2")],
    [],
])
def test_format_progress_log_round_trip(entries):
    text = format_progress_log(entries)
    assert [(e.date, e.text) for e in split_progress_log(text, order=None)] == entries


def test_format_progress_log_form():
    assert format_progress_log([(None, "a"), (day(2024, 6, 18), "b"), (month(2024, 7), "c")]) \
        == "a\n\n2024-06-18 - b\n\n2024-07 - c"


# ---------------------------------------------------------------------------------------------
# People and links
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, expected", [
    (None, []),
    ("", []),
    ("Kelly Hare", ["Kelly Hare"]),
    ("Steve Tomlinson/ Zoe Golding", ["Steve Tomlinson", "Zoe Golding"]),
    ("Nikki Heffernan/Zoe Golding", ["Nikki Heffernan", "Zoe Golding"]),
    ("A; B, C\nD", ["A", "B", "C", "D"]),
    ("A / / a /B", ["A", "B"]),  # empties and repeats go, the first spelling stays
    ("Standards & Effectiveness Officer", ["Standards & Effectiveness Officer"]),
    ("Head of Policy and Performance", ["Head of Policy and Performance"]),
    ("<p>Jo  Bloggs</p>", ["Jo Bloggs"]),
])
def test_split_people(cell, expected):
    assert split_people(cell) == expected


@pytest.mark.parametrize("cell, expected", [
    (None, []),
    ("SEF", [("sef", "SEF")]),
    ("SEF/DBV", [("sef", "SEF"), ("dbv", "DBV")]),
    ("AFI4 AFI5", [("afi", "AFI4"), ("afi", "AFI5")]),
    ("AFI4/AFI5", [("afi", "AFI4"), ("afi", "AFI5")]),
    ("AF12/AF15", [("afi", "AF12"), ("afi", "AF15")]),
    ("AF13", [("afi", "AF13")]),
    ("AP", [("ap", "AP")]),
    ("afi 4; sef, dbv", [("afi", "AFI4"), ("sef", "SEF"), ("dbv", "DBV")]),
    ("SEF/SEF AFI1/sef", [("sef", "SEF"), ("afi", "AFI1")]),
    ("SEND Sufficiency high needs capital spend strategy",
     [("text", "SEND Sufficiency high needs capital spend strategy")]),
    ("DfE  Programme", [("text", "DfE Programme")]),
    ("ASC Programme/AFI1", [("text", "ASC Programme"), ("afi", "AFI1")]),
    ("AP Steering", [("text", "AP Steering")]),  # not every word is a code
    ("AFI", [("text", "AFI")]),
    ("SEFDBV", [("text", "SEFDBV")]),
])
def test_parse_links(cell, expected):
    tokens = parse_links(cell)
    assert tokens == [LinkToken(kind, code) for kind, code in expected]
    assert parse_links(format_links(tokens)) == tokens


def test_format_links():
    assert format_links([LinkToken("sef", "SEF"), LinkToken("text", "DfE Programme")]) == \
        "SEF/DfE Programme"
    assert format_links([]) == ""


# ---------------------------------------------------------------------------------------------
# Boards
# ---------------------------------------------------------------------------------------------


def test_known_board_names():
    cells = ["SEND Delivery", "SEND Delivery SEND Board", "Learning Partnership Board",
             "SEF; SEND Delivery Group; Internal performance SLT p", "send delivery group",
             "SEND Board", "SEND Delivery Board SEND Strategic Board"]
    assert known_board_names(cells) == {
        "SEND Delivery",  # no ending word: a whole name
        "Learning Partnership Board",  # one run of ending words, at the end
        "SEF",
        "SEND Delivery Group",  # the first spelling
        "SEND Board",  # "SEND Delivery SEND Board" is a run-on of "SEND Delivery"
    }


@pytest.mark.parametrize("cell, known, names, unsplit", [
    (None, [], [], []),
    ("SEND Delivery SEND Board", [], ["SEND Delivery SEND Board"], []),
    ("SEND Delivery SEND Board", ["SEND Delivery"], ["SEND Delivery", "SEND Board"], []),
    ("Send delivery; SEND Board", ["SEND Delivery"], ["SEND Delivery", "SEND Board"], []),
    # A known name followed by an ending word is part of a longer name.
    ("SEND Delivery Board", ["SEND Delivery"], ["SEND Delivery Board"], []),
    ("Alpha Board; alpha  board", [], ["Alpha Board"], []),  # case-insensitive repeats go
    ("Things we do", [], ["Things we do"], ["Things we do"]),
    ("Alpha Board. Beta Forum? Gamma Group.", [], ["Alpha Board", "Beta Forum", "Gamma Group"],
     []),
    ("Alpha Board trailing words", [], ["Alpha Board", "trailing words"], ["trailing words"]),
    ("Learning Partnership Board", ["Learning Partnership"], ["Learning Partnership Board"], []),
    # A known name ending a span splits off when two or more words come before it ...
    ("Elected Members Learning Partnership", ["Learning Partnership"],
     ["Elected Members", "Learning Partnership"], ["Elected Members"]),
    # ... but one word before it is a qualifier.
    ("Hull Learning Partnership", ["Learning Partnership"], ["Hull Learning Partnership"], []),
])
def test_split_boards_rules(cell, known, names, unsplit):
    assert split_boards(cell, known) == BoardSplit(names, unsplit)


# Every governance cell of the real workbook (column P of both sheets), split with the names
# known from all of them, as the importer does.
REAL_BOARDS = [
    ("Internal Senior Leadership team", ["Internal Senior Leadership team"], []),
    ("Internal Senior Leadership Team", ["Internal Senior Leadership team"], []),
    ("SEND Delivery Group Hull Health Place Team Operational Delivery Group.",
     ["SEND Delivery Group", "Hull Health Place Team", "Operational Delivery Group"], []),
    ("SEND Delivery Board SEND Strategic Board",
     ["SEND Delivery Board", "SEND Strategic Board"], []),
    ("SEND Delivery Board SEND Strategic Board DBV Steering Board",
     ["SEND Delivery Board", "SEND Strategic Board", "DBV Steering Board"], []),
    ("Workforce & Training Steering Group SEND Delivery Group SEND Strategic Board",
     ["Workforce & Training Steering Group", "SEND Delivery Group", "SEND Strategic Board"], []),
    ("SEND Delivery Board SEND Strategic Board Learning Partnership Board",
     ["SEND Delivery Board", "SEND Strategic Board", "Learning Partnership Board"], []),
    ("SEND Delivery Board SEND Strategic Board AP Steering Board Learning Partnerships",
     ["SEND Delivery Board", "SEND Strategic Board", "AP Steering Board",
      "Learning Partnerships"], []),
    ("Outreach Partnership Send Delivery", ["Outreach Partnership", "SEND Delivery"], []),
    ("Vulnerable groups and Attendance Board SEND Board Learning Partnership?",
     ["Vulnerable groups and Attendance Board", "SEND Board", "Learning Partnership"], []),
    ("Learning Partnership", ["Learning Partnership"], []),
    ("SEND Delivery Group Limetree Court wider Project Group",
     ["SEND Delivery Group", "Limetree Court wider Project Group"], []),
    ("SEND Delivery Group Hull Health Place Team Operational Delivery Group SEND Board",
     ["SEND Delivery Group", "Hull Health Place Team", "Operational Delivery Group",
      "SEND Board"], []),
    ("Humber Foundation Trust Board Fortnightly Provider and Place Team Assurance meetings. "
     "SEND Delivery Group Hull Health Place Team Operational Delivery Group SEND Board",
     ["Humber Foundation Trust Board", "Fortnightly Provider and Place Team",
      "Assurance meetings", "SEND Delivery Group", "Hull Health Place Team",
      "Operational Delivery Group", "SEND Board"], []),
    ("Humber Foundation Trust Board SEND Delivery Group Hull Health Place Team Operational "
     "Delivery Group SEND Board",
     ["Humber Foundation Trust Board", "SEND Delivery Group", "Hull Health Place Team",
      "Operational Delivery Group", "SEND Board"], []),
    ("SEND Delivery SEND Board", ["SEND Delivery", "SEND Board"], []),
    ("SEND Delivery Learning Partnership", ["SEND Delivery", "Learning Partnership"], []),
    ("Dfe SEND Delivery Group HCC DCS Performance SLT",
     ["Dfe SEND Delivery Group", "HCC DCS Performance SLT"], []),
    ("SEF; SEND Delivery Group; Internal performance SLT p",
     ["SEF", "SEND Delivery Group", "Internal performance SLT", "p"], ["p"]),
    ("SEND Outreach Partnership; SEND Delivery; DBV Steering Group",
     ["SEND Outreach Partnership", "SEND Delivery", "DBV Steering Group"], []),
    ("DBV Steering Group; SEND Delivery Group", ["DBV Steering Group", "SEND Delivery Group"],
     []),
    ("SEND Delivery; DBV Steering Group", ["SEND Delivery", "DBV Steering Group"], []),
    ("SEND DBV Steering Group SEND Delivery Group",
     ["SEND DBV Steering Group", "SEND Delivery Group"], []),
    ("SEND Delivery Group", ["SEND Delivery Group"], []),
    ("ASC Programme Preparation for Adulthood SEND Delivery Group",
     ["ASC Programme", "Preparation for Adulthood", "SEND Delivery Group"],
     ["Preparation for Adulthood"]),
    ("ASC Programme", ["ASC Programme"], []),
    ("ASC Programme SEND Delivery", ["ASC Programme", "SEND Delivery"], []),
    ("Transition Group SEND Delivery Group", ["Transition Group", "SEND Delivery Group"], []),
    ("SEND Delivery SEND Board NDTI on behalf of DfE Employment Forum",
     ["SEND Delivery", "SEND Board", "NDTI on behalf of DfE Employment Forum"], []),
    ("SEND Delivery Transition Group Employment Forum",
     ["SEND Delivery", "Transition Group", "Employment Forum"], []),
    ("Internal Senior Leadership team Elected Members sign off Learning Partnership",
     ["Internal Senior Leadership team", "Elected Members sign off", "Learning Partnership"],
     ["Elected Members sign off"]),
    ("SEND Strategic Planning Group", ["SEND Strategic Planning Group"], []),
    ("DCS Senior Leadership Team", ["DCS Senior Leadership Team"], []),
    ("SEND Delivery", ["SEND Delivery"], []),
]


@pytest.fixture(scope="module")
def workbook():
    return openpyxl.load_workbook(HULL)


def column(workbook, sheet, letter):
    """(ref, cell) for each data row of a sheet's column."""
    ws = workbook[sheet]
    return [(ws[f"A{r}"].value, ws[f"{letter}{r}"]) for r in range(2, ws.max_row + 1)]


@pytest.fixture(scope="module")
def board_cells(workbook):
    return [cell.value for sheet in ("Improvement Plan", "Closures")
            for _, cell in column(workbook, sheet, "P") if isinstance(cell.value, str)]


def test_real_board_table_covers_every_cell(board_cells):
    assert set(board_cells) == {cell for cell, _, _ in REAL_BOARDS}


def test_real_known_board_names(board_cells):
    assert known_board_names(board_cells) == {
        "ASC Programme", "DBV Steering Group", "DCS Senior Leadership Team",
        "Internal Senior Leadership team", "Learning Partnership", "SEF", "SEND Delivery",
        "SEND Delivery Group", "SEND Outreach Partnership", "SEND Strategic Planning Group",
    }


@pytest.mark.parametrize("cell, names, unsplit", REAL_BOARDS)
def test_split_real_boards(board_cells, cell, names, unsplit):
    assert split_boards(cell, known_board_names(board_cells)) == BoardSplit(names, unsplit)


# ---------------------------------------------------------------------------------------------
# Refs, headings, headers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("", None),
    ("  ", None),
    ("1.1", "1.1"),
    (" 3.11a ", "3.11a"),
    ("3.2B", "3.2b"),
    ("1.1.1", "1.1.1"),
    ("Action 1.1.1", "1.1.1"),
    ("Ref: 2.4", "2.4"),
    (1.1, "1.1"),
    (3.2, "3.2"),
])
def test_parse_ref(value, expected):
    assert parse_ref(value) == expected


@pytest.mark.parametrize("value", [
    "Priority one - closures. Link to change control register", "3", 3, "abc", "1.", "1.1ab",
    "v1.1", True,
])
def test_parse_ref_rejects(value):
    with pytest.raises(CellError, match="is not an action ref"):
        parse_ref(value)


def test_ref_pattern_finds_the_ref():
    assert REF_PATTERN.fullmatch("Action 1.1.1").group("ref") == "1.1.1"


@pytest.mark.parametrize("ref, number", [("1.1", 1), ("3.11a", 3), ("12.4", 12), ("6.18", 6)])
def test_priority_number(ref, number):
    assert priority_number(ref) == number


def test_ref_sort_key_is_natural():
    refs = ["3.11a", "3.10", "3.2b", "10.1", "3.2", "3.2.1", "1.1", "3.11b", "3.9"]
    assert sorted(refs, key=ref_sort_key) == [
        "1.1", "3.2", "3.2.1", "3.2b", "3.9", "3.10", "3.11a", "3.11b", "10.1"]


@pytest.mark.parametrize("value, expected", [
    ("Priority one - closures. Link to change control register", True),
    ("Priority 4 - closures. Link to Change control register", True),
    ("PRIORITY 2", True),
    ("<b>Priority six</b> - closures", True),
    ("1.1", False),
    ("Prioritise the front door", False),
    ("Our priority one", False),
    (None, False),
    (1.1, False),
])
def test_is_heading_text(value, expected):
    assert is_heading_text(value) is expected


def test_fields_are_the_councils_columns_in_order():
    assert list(FIELDS) == [
        "ref", "priority", "objective", "description", "pillar", "outcomes", "impact_measures",
        "sro", "leads", "start", "due", "links", "dependencies", "status", "progress",
        "last_reviewed", "boards", "bau_location", "closed"]
    # The export's own headers read back as their fields.
    assert {name: match_header(header) for name, header in FIELDS.items()} == \
        {name: name for name in FIELDS}


@pytest.mark.parametrize("text, expected", [
    ("REF", "ref"), ("Reference", "ref"), ("Action Ref", "ref"), ("Action No", "ref"),
    ("Our improve ment priority", "priority"), ("Priority", "priority"),
    ("Workstream", "priority"),
    ("What do we want to achieve", "objective"), ("Objective", "objective"),
    ("What is needed to make this happen and what we will do to achieve our improvement",
     "description"),
    ("Action description", "description"), ("Action", "description"),
    ("Description", "description"),
    ("Pillar", "pillar"), ("Intended outcomes", "outcomes"), ("Outcomes", "outcomes"),
    ("Impact measure", "impact_measures"), ("Measures of success", "impact_measures"),
    ("Strategic Lead", "sro"), ("SRO", "sro"),
    ("Improvement Lead Partner", "leads"), ("Improvement Leads", "leads"), ("Lead", "leads"),
    ("Start", "start"), ("Due", "due"), ("Deadline", "due"),
    ("SEF/DBV/AFI(no)", "links"), ("Evidence links", "links"),
    ("Interdependencies", "dependencies"), ("Dependencies", "dependencies"),
    ("Status (RAGP)", "status"), ("Status", "status"), ("RAG", "status"),
    ("Progress Updates", "progress"), ("Progress", "progress"),
    ("Last reviewed", "last_reviewed"), ("Date last reviewed", "last_reviewed"),
    ("Governance", "boards"), ("Boards", "boards"),
    ("Moved from plan to continuous\nimprovement", "bau_location"),
    ("BAU location", "bau_location"),
    ("  Due\n  Date ", "due"), ("closed", "closed"),
    ("Notes", None), ("", None), (None, None), ("Strategic", None), ("Stat", None),
])
def test_match_header(text, expected):
    assert match_header(text) == expected


# ---------------------------------------------------------------------------------------------
# Formula neutralisation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, neutralised", [
    ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
    ("+44 1482", "'+44 1482"),
    ("-5", "'-5"),
    ("@cmd", "'@cmd"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("plain", "plain"),
    ("", ""),
    ("a=b", "a=b"),
    ("'quoted'", "'quoted'"),
    # An apostrophe already before a trigger gets one more, so the two stay apart.
    ("'=1", "''=1"),
    ("''-1", "'''-1"),
])
def test_neutralise(value, neutralised):
    assert neutralise(value) == neutralised
    assert unneutralise(neutralised) == value


@pytest.mark.parametrize("value, expected", [
    ("'=1", "=1"), ("'-", "-"), ("'hello", "'hello"), ("'", "'"), ("''", "''"), ("=1", "=1"),
])
def test_unneutralise(value, expected):
    assert unneutralise(value) == expected


def test_formula_triggers():
    assert FORMULA_TRIGGERS == ("=", "+", "-", "@", "\t", "\r")
    for trigger in FORMULA_TRIGGERS:
        assert neutralise(trigger + "x")[0] == "'"


# ---------------------------------------------------------------------------------------------
# The real Hull workbook
# ---------------------------------------------------------------------------------------------

DATE_COLUMNS = {"Improvement Plan": "JKO", "Closures": "IJO"}


def test_every_real_date_cell_parses(workbook):
    seen = 0
    for sheet, letters in DATE_COLUMNS.items():
        for letter in letters:
            for ref, cell in column(workbook, sheet, letter):
                if cell.coordinate == "O34" and sheet == "Improvement Plan":
                    continue  # the ambiguous one, below
                parsed = read_date(cell.value, order="dmy", number_format=cell.number_format)
                if cell.value is None:
                    assert parsed is None
                    continue
                seen += 1
                assert dt.date(2022, 1, 1) <= parsed.value <= dt.date(2028, 12, 31), ref
                # Start and due are "Feb-23" text; last reviewed is a real date cell.
                assert parsed.precision == ("day" if letter == "O" else "month"), cell.coordinate
    assert seen == 209  # 210 date cells, less O34


@pytest.mark.parametrize("sheet, coordinate, expected", [
    ("Improvement Plan", "J2", month(2023, 2)),
    ("Improvement Plan", "K2", month(2025, 2)),
    ("Improvement Plan", "O2", day(2025, 1, 30)),
    ("Improvement Plan", "J34", month(2022, 9)),
    ("Improvement Plan", "K73", month(2028, 12)),
    ("Closures", "I3", month(2023, 2)),
    ("Closures", "J6", month(2023, 11)),
    ("Closures", "O8", day(2024, 2, 21)),
])
def test_real_dates(workbook, sheet, coordinate, expected):
    cell = workbook[sheet][coordinate]
    assert read_date(cell.value, number_format=cell.number_format) == expected


def test_real_ambiguous_last_reviewed(workbook):
    cell = workbook["Improvement Plan"]["O34"]
    assert cell.value == "12/09/2025"
    with pytest.raises(AmbiguousDate) as caught:
        read_date(cell.value, number_format=cell.number_format)
    assert caught.value.candidates == {"dmy": day(2025, 9, 12), "mdy": day(2025, 12, 9)}
    assert read_date(cell.value, order="dmy") == day(2025, 9, 12)


@pytest.fixture(scope="module")
def logs(workbook):
    """Ref -> progress log of every Closures row that has one."""
    return {ref: cell.value for ref, cell in column(workbook, "Closures", "N") if cell.value}


def test_real_log_dates_infer_dmy(logs):
    texts = [raw for log in logs.values() for raw in find_log_dates(log)]
    assert len(texts) == 27
    assert infer_order(texts) == ("dmy", {"dmy": 18, "mdy": 0})


@pytest.mark.parametrize("ref, count, first, last", [
    ("1.3", 5, day(2023, 9, 8), day(2024, 7, 26)),
    ("3.1", 5, day(2023, 8, 16), day(2024, 6, 18)),
    ("3.10", 4, day(2023, 9, 8), day(2024, 6, 18)),
    ("3.14", 3, day(2023, 9, 7), day(2024, 6, 18)),
    ("3.15", 4, day(2023, 9, 7), day(2024, 6, 18)),
    ("3.16", 4, day(2023, 9, 7), day(2024, 6, 18)),
    ("3.19", 2, day(2023, 9, 28), day(2024, 6, 18)),
])
def test_real_logs_split(logs, ref, count, first, last):
    entries = split_progress_log(logs[ref], order="dmy")
    assert len(entries) == count
    assert all(e.date is not None and e.text for e in entries)
    assert (entries[0].date, entries[-1].date) == (first, last)
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    if ref != "3.19":  # the others have a date such as 07.09.23 that reads both ways
        with pytest.raises(AmbiguousDate):
            split_progress_log(logs[ref], order=None)
    else:
        assert split_progress_log(logs[ref], order=None) == entries


def test_real_logs_are_split_in_the_right_places(logs):
    assert set(logs) == {"1.3", "3.1", "3.10", "3.14", "3.15", "3.16", "3.19"}
    first = split_progress_log(logs["3.14"], order="dmy")
    # An undated paragraph continues the entry before it; month-name dates stay in the text.
    assert first[0].text.endswith("September 2024.\n\nDependant on recruitment drive been "
                                  "successful.")
    assert first[1].text.endswith("(meeting 20 Feb 2024).")
    assert first[2].raw_date == "18.06.2024"
    log_31 = split_progress_log(logs["3.1"], order="dmy")
    assert "SENCO Forum 28 November 2023." in log_31[0].text
    assert log_31[1].text.startswith("The final copy has now been created")
    assert log_31[-1].text == "Agreement to close as a repetition of 3.5"
    log_310 = split_progress_log(logs["3.10"], order="dmy")
    assert log_310[0].raw_date == "08.09. 23"
    assert log_310[0].text.startswith("Progress to date - refreshed")
    log_315 = split_progress_log(logs["3.15"], order="dmy")
    assert log_315[0].text.endswith("i.e. Hull Museum")
    log_316 = split_progress_log(logs["3.16"], order="dmy")
    assert [e.raw_date for e in log_316] == ["7.9.23", "21.02.24", "24/04/24", "18.06.24"]
    assert log_316[2].text == "no further update - ongoing"
    log_319 = split_progress_log(logs["3.19"], order="dmy")
    assert log_319[0].text.startswith("Case reviews")
    assert log_319[1].text == "request to close"
    # No markup survives.
    for log in logs.values():
        for entry in split_progress_log(log, order="dmy"):
            assert "<" not in entry.text and "&amp;" not in entry.text


def test_real_logs_round_trip(logs):
    for ref, log in logs.items():
        entries = [(e.date, e.text) for e in split_progress_log(log, order="dmy")]
        again = split_progress_log(format_progress_log(entries), order=None)
        assert [(e.date, e.text) for e in again] == entries, ref


def test_real_links(workbook):
    cells = [cell.value for sheet, letter in (("Improvement Plan", "L"), ("Closures", "K"))
             for _, cell in column(workbook, sheet, letter) if cell.value]
    assert len(cells) == 74
    for cell in cells:
        tokens = parse_links(cell)
        assert tokens, cell
        assert parse_links(format_links(tokens)) == tokens
    texts = {t.code for cell in cells for t in parse_links(cell) if t.kind == "text"}
    assert texts == {"SEND Sufficiency high needs capital spend strategy", "ASC Programme",
                     "DfE Programme", "DfE programme"}
    codes = {t.code for cell in cells for t in parse_links(cell) if t.kind != "text"}
    assert codes == {"SEF", "DBV", "AP", "AFI1", "AFI2", "AFI3", "AFI4", "AFI5", "AF11",
                     "AF12", "AF13", "AF15"}


def test_real_people(workbook):
    leads = {ref: split_people(cell.value) for ref, cell in
             column(workbook, "Improvement Plan", "I")}
    assert leads["6.7"] == ["Steve Tomlinson", "Zoe Golding"]
    assert leads["6.16"] == ["Steve Tomlinson", "Katie Fisher"]
    assert leads["1.7"] == ["Hayley O'Grady"]
    assert leads["5.7"] == []
    closures = {ref: split_people(cell.value) for ref, cell in column(workbook, "Closures", "H")}
    assert closures["1.3"] == [
        "Lead Performance Compliance Commissioning Officer Standards & Effectiveness Officer"]
    assert closures["3.1"] == ["Standards & Effectiveness Officer"]


def test_real_refs_and_headings(workbook):
    refs = []
    for sheet in ("Improvement Plan", "Closures"):
        for value, _ in column(workbook, sheet, "A"):
            if is_heading_text(value):
                with pytest.raises(CellError):
                    parse_ref(value)
            else:
                refs.append(parse_ref(value))
    assert len(refs) == 74 + 7
    assert len(set(refs)) == len(refs)
    assert {"3.11a", "3.11b", "3.2b", "3.19"} <= set(refs)
    ordered = sorted(refs, key=ref_sort_key)
    assert ordered[:3] == ["1.1", "1.2", "1.3"]
    assert ordered.index("3.2") < ordered.index("3.2b") < ordered.index("3.3")
    assert ordered.index("3.9") < ordered.index("3.10") < ordered.index("3.11a")
    assert ordered[-1] == "6.18"


def test_real_headers(workbook):
    def headers(sheet):
        return [match_header(cell.value) for cell in workbook[sheet][1]]

    assert headers("Improvement Plan") == [
        "ref", "priority", "objective", "description", "pillar", "outcomes", "impact_measures",
        "sro", "leads", "start", "due", "links", "dependencies", "status", "last_reviewed",
        "boards", "bau_location"]
    assert headers("Closures") == [
        "ref", "priority", "objective", "description", "outcomes", "impact_measures", "sro",
        "leads", "start", "due", "links", "dependencies", "status", "progress", "last_reviewed",
        "boards", "bau_location"]


def test_real_text_round_trips_through_neutralise(workbook):
    values = [cell.value for ws in workbook for row in ws.iter_rows() for cell in row
              if isinstance(cell.value, str)]
    assert len(values) > 900
    for value in values:
        assert unneutralise(neutralise(value)) == value
        assert not neutralise(value).startswith(FORMULA_TRIGGERS)
        # Cleaned text too, as the importer stores it.
        cleaned = clean_text(value)
        assert unneutralise(neutralise(cleaned)) == cleaned
