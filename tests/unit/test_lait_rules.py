"""LAIT's files read as published: periods, values, area codes, rounding and refusals."""

import datetime as dt

import pytest

from lapis.scorecard import lait


@pytest.mark.parametrize(("label", "kind", "start"), [
    ("2024", "calendar_year", dt.date(2024, 1, 1)),
    ("2023/24", "academic_year", dt.date(2023, 9, 1)),
    ("2024-25", "financial_year", dt.date(2024, 4, 1)),
    ("2099-00", "financial_year", dt.date(2099, 4, 1)),
    ("2014-16", "calendar_years", dt.date(2014, 1, 1)),
    ("2013/14-15/16", "academic_years", dt.date(2013, 9, 1)),
    ("2018 (Rev)", "calendar_year", dt.date(2018, 1, 1)),
    ("2020 (Final)", "calendar_year", dt.date(2020, 1, 1)),
    ("2025 (prov)", "calendar_year", dt.date(2025, 1, 1)),
    ("2016-17 (OT)", "financial_year", dt.date(2016, 4, 1)),
])
def test_periods_keep_their_labels_and_start(label, kind, start):
    period = lait.parse_period(label)
    assert (period.label, period.kind, period.start) == (label, kind, start)


@pytest.mark.parametrize("label", ["0", "", "24", "2024/26", "2024-27", "2013/14-15/17",
                                   "2024 Rev", "2024-13", "twenty"])
def test_anything_else_is_not_a_period(label):
    with pytest.raises(ValueError, match="not a LAIT period"):
        lait.parse_period(label)


def test_periods_sort_by_their_start_whatever_the_qualifier():
    labels = ["2025 (prov)", "2018 (Rev)", "2020 (Final)", "2019", "2024"]
    ordered = sorted(labels, key=lambda label: lait.parse_period(label).start)
    assert ordered == ["2018 (Rev)", "2019", "2020 (Final)", "2024", "2025 (prov)"]
    multi = ["2015/16-17/18", "2013/14-15/16", "2014/15-16/17"]
    assert sorted(multi, key=lambda label: lait.parse_period(label).start) == sorted(multi)


def test_a_final_or_revised_figure_is_the_one_shown_for_its_period():
    assert lait.standing("2020 (Final)") > lait.standing("2020 (Rev)") > lait.standing(
        "2020") > lait.standing("2020 (prov)")
    assert lait.standing("2016-17 (OT)") == lait.standing("2016-17")


@pytest.mark.parametrize(("text", "value", "mark"), [
    ("46.4", 46.4, ""), ("7.0000000000000007E-2", 0.07, ""), ("-7.0000000000000007E-2",
                                                               -0.07, ""),
    ("-", None, ""), ("", None, ""), (None, None, ""), ("c", None, "c"), ("x", None, "x"),
    ("..", None, ".."), ("0", 0.0, ""), ("-3", -3.0, ""),
])
def test_values(text, value, mark):
    got, suppressed = lait.read_value(text)
    assert suppressed == mark
    assert got == pytest.approx(value) if value is not None else got is None


@pytest.mark.parametrize("text", ["abc", "1,234", "inf", "nan%", "12 %"])
def test_a_value_that_is_no_number_is_refused(text):
    with pytest.raises(ValueError):
        lait.read_value(text)


@pytest.mark.parametrize(("number", "code", "level"), [
    (810.0, "810", "la"), ("202", "202", "la"), (970.0, "E92000001", "national"),
    (982.0, "E12000003", "regional"), (986.0, "E12000007", "regional"),
    (987.0, "987", "regional"), (988.0, "988", "regional"), (990.0, "E12000009", "regional"),
    (835.0, "835", "la"),
])
def test_areas_by_code(number, code, level):
    assert lait.area_code(number) == (code, level)


@pytest.mark.parametrize("number", [None, "", "81.5", "12", "1000", "Hull"])
def test_an_area_number_that_is_none_is_refused(number):
    with pytest.raises(ValueError):
        lait.area_code(number)


@pytest.mark.parametrize(("value", "dps", "shown"), [
    (38.25, 1, 38.3), (38.24, 1, 38.2), (-38.25, 1, -38.3), (2.675, 2, 2.68), (12.5, 0, 13),
    (0.07, 2, 0.07), (None, 2, None), (46.43, None, 46.43), (5.0, 0, 5),
])
def test_rounding_half_away_from_zero(value, dps, shown):
    assert lait.rounded(value, dps) == shown


DICTIONARY = {"Measure_short": "M1", "Topic": "Children with SEN", "Measure": "Measure one",
              "Polarity": "High", "dps": "1", "Year_Type": "Calendar Year",
              "Table_status": "NA", "No_Quartile": "NA", "y_axis_name": "%"}


def test_the_dictionary():
    rows = [DICTIONARY, DICTIONARY | {"Measure_short": "M2", "Polarity": "Low", "dps": "NA",
                                      "No_Quartile": "N", "y_axis_name": "Number"},
            DICTIONARY | {"Measure_short": "M3", "Polarity": "-",
                          "Table_status": "DISCONTINUED 2020"},
            DICTIONARY | {"Measure_short": "M4", "Polarity": "NA"}]
    measures = lait.read_dictionary(rows)
    assert [(m.polarity, m.dps, m.no_quartile, m.discontinued, m.unit)
            for m in measures.values()] == [
        ("higher", 1, False, False, "%"), ("lower", None, True, False, "count"),
        ("neither", 1, False, True, "%"), ("neither", 1, False, False, "%")]


def test_a_measure_listed_twice_keeps_its_current_row():
    rows = [DICTIONARY | {"Table_status": "DISCONTINUED", "Polarity": "Low"}, DICTIONARY]
    assert lait.read_dictionary(rows)["M1"].polarity == "higher"


def test_a_bad_dps_names_its_row():
    with pytest.raises(lait.LaitError, match=r"row 3, column 'dps'"):
        lait.read_dictionary([DICTIONARY, DICTIONARY | {"dps": "two"}], file="d.csv")


def _row(**changes):
    return {"Short Desc": "M1", "Years": "2024", "LA and Regions": "Hull", "Values": "5.8",
            "LA Number": 810.0, "Region": "Yorkshire and The Humber"} | changes


def test_rows_read():
    measures = lait.read_dictionary([DICTIONARY])
    figures, skipped = lait.read_rows([
        _row(), _row(**{"LA Number": 970.0, "LA and Regions": "England", "Region": "NA"}),
        _row(Years="0", Values="-"), _row(Years="2023", Values="c")], measures)
    assert skipped == 1
    assert [(f.area_code, f.level, f.region_code, f.value, f.suppressed, f.period.label)
            for f in figures] == [("810", "la", "E12000003", 5.8, "", "2024"),
                                  ("E92000001", "national", "", 5.8, "", "2024"),
                                  ("810", "la", "E12000003", None, "c", "2023")]


def test_a_final_figure_replaces_the_plain_one_in_the_same_file():
    measures = lait.read_dictionary([DICTIONARY])
    figures, _ = lait.read_rows([_row(Values="1"), _row(Years="2024 (Final)", Values="2"),
                                 _row(Years="2024 (prov)", Values="0")], measures)
    assert [(f.period.label, f.value) for f in figures] == [("2024 (Final)", 2.0)]


@pytest.mark.parametrize(("change", "column"), [
    ({"Values": "lots"}, "Values"), ({"Years": "soon"}, "Years"),
    ({"Short Desc": "NOPE"}, "Short Desc"), ({"LA Number": None}, "LA Number"),
])
def test_every_refusal_names_the_row_and_column(change, column):
    measures = lait.read_dictionary([DICTIONARY])
    with pytest.raises(lait.LaitError) as error:
        lait.read_rows([_row(), _row(Years="2023"), _row(Years="2022") | change], measures,
                       file="b.csv")
    assert error.value.problems[0].row == 4
    assert error.value.problems[0].column == column
    assert str(error.value).startswith("b.csv: row 4, column")


def test_a_second_figure_for_the_same_cell_is_refused():
    measures = lait.read_dictionary([DICTIONARY])
    with pytest.raises(lait.LaitError, match=r"row 3.*the first is row 2"):
        lait.read_rows([_row(), _row()], measures)


def test_a_missing_column_is_refused():
    row = _row()
    del row["Values"]
    with pytest.raises(lait.LaitError, match="row 1, column 'Values': this column is missing"):
        lait.read_rows([row], lait.read_dictionary([DICTIONARY]))
