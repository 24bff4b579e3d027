"""The wide layout reader (`lapis.scorecard.wide`): SEF tables with years across."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lapis.scorecard import wide
from lapis.scorecard.wide import WideLayoutError, is_wide_layout, read_wide

AREAS = {"Plymouth": "879"}
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "lapis" / "demo" / "data" / "scorecard"
SEEDS = ROOT.parent / "shared" / "seeds"

# The two tables as the Plymouth SEF (seed 004) prints them: cohorts across (ALL pupils,
# SEN Support, EHCP), 2022, 2023, 2024 under each, rows Plymouth, National and GAP.
YEARS = ["2022", "2023", "2024"] * 3
KS2_RWM_PRINTED = {
    "Plymouth": "59.0% 59.8% 62.5% 22.7% 22.7% 27.5% 5.9% 5.2% 8.6%".split(),
    "National": "59.0% 59.9% 61.1% 21.2% 23.6% 25.7% 7.0% 8.2% 8.7%".split(),
    "GAP": "0.0% -0.1% 1.4% 1.5% -0.9% 1.8% -1.1% -3.0% -0.2%".split(),
}
PHONICS_PRINTED = {
    "Plymouth": "75.7% 79.9% 81.3% 44.9% 49.7% 56.2% 18.3% 15.4% 15.3%".split(),
    "National": "75.4% 78.8% 80.2% 43.5% 48.4% 51.5% 18.6% 19.6% 20.1%".split(),
    "GAP": "0.2% 1.1% 1.0% 1.4% 1.3% 4.7% -0.3% -4.2% -4.8%".split(),
}

# What the reader must give, typed separately from the printed text above:
# (area, cohort) -> {year: value}.
KS2_RWM = {
    ("879", "All"): {"2022": 59.0, "2023": 59.8, "2024": 62.5},
    ("879", "SEN Support"): {"2022": 22.7, "2023": 22.7, "2024": 27.5},
    ("879", "EHCP"): {"2022": 5.9, "2023": 5.2, "2024": 8.6},
    ("E92000001", "All"): {"2022": 59.0, "2023": 59.9, "2024": 61.1},
    ("E92000001", "SEN Support"): {"2022": 21.2, "2023": 23.6, "2024": 25.7},
    ("E92000001", "EHCP"): {"2022": 7.0, "2023": 8.2, "2024": 8.7},
}
KS2_RWM_GAPS = {
    "All": {"2022": 0.0, "2023": -0.1, "2024": 1.4},
    "SEN Support": {"2022": 1.5, "2023": -0.9, "2024": 1.8},
    "EHCP": {"2022": -1.1, "2023": -3.0, "2024": -0.2},
}
PHONICS = {
    ("879", "All"): {"2022": 75.7, "2023": 79.9, "2024": 81.3},
    ("879", "SEN Support"): {"2022": 44.9, "2023": 49.7, "2024": 56.2},
    ("879", "EHCP"): {"2022": 18.3, "2023": 15.4, "2024": 15.3},
    ("E92000001", "All"): {"2022": 75.4, "2023": 78.8, "2024": 80.2},
    ("E92000001", "SEN Support"): {"2022": 43.5, "2023": 48.4, "2024": 51.5},
    ("E92000001", "EHCP"): {"2022": 18.6, "2023": 19.6, "2024": 20.1},
}
PHONICS_GAPS = {
    "All": {"2022": 0.2, "2023": 1.1, "2024": 1.0},
    "SEN Support": {"2022": 1.4, "2023": 1.3, "2024": 4.7},
    "EHCP": {"2022": -0.3, "2023": -4.2, "2024": -4.8},
}
COHORT_ORDER = ["All", "SEN Support", "EHCP"]


def write_csv(path: Path, rows, *, bom: bool = False) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict, *, merges=(), percent=()) -> Path:
    """sheets: title -> rows; merges: (title, "B2:D2"); percent: (title, "B3") cells as 0.0%."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    for title, cells in merges:
        book[title].merge_cells(cells)
    for title, cell in percent:
        book[title][cell].number_format = "0.0%"
    book.save(path)
    return path


def rows_form(key: str, printed: dict, *, block_row_extra: str = "") -> list[list[str]]:
    """The table retyped one row per area and cohort: 'Plymouth SEN Support', ..."""
    rows = [[f"Indicator: {key}{block_row_extra}", "% of pupils (Plymouth SEF)"],
            ["Row", "2022", "2023", "2024"]]
    for area in ("Plymouth", "National", "GAP"):
        for i, cohort in enumerate(COHORT_ORDER):
            rows.append([f"{area} {cohort}", *printed[area][3 * i:3 * i + 3]])
    return rows


def band_form(key: str, printed: dict) -> list[list]:
    """The table exactly as the SEF prints it: a cohort row, then 'Year', then areas."""
    return [
        [f"Indicator: {key}"],
        ["Cohort", "ALL pupils", None, None, "SEN Support", None, None, "EHCP", None, None],
        ["Year", *[int(y) for y in YEARS]],
        *[[area, *printed[area]] for area in ("Plymouth", "National", "GAP")],
    ]


def figures_by_key(result, indicator):
    out = {}
    for f in result.figures:
        if f.indicator == indicator:
            assert f.suppression == ""
            out.setdefault((f.area_code, f.breakdown), {})[f.period] = f.value
    return out


def gaps_by_key(result, indicator):
    out = {}
    for g in result.gaps:
        if g.indicator == indicator:
            out.setdefault(g.breakdown, {})[g.period] = g.value
    return out


def check_tables(result):
    assert figures_by_key(result, "ks2_rwm_expected") == KS2_RWM
    assert gaps_by_key(result, "ks2_rwm_expected") == KS2_RWM_GAPS
    assert figures_by_key(result, "phonics_y1_expected") == PHONICS
    assert gaps_by_key(result, "phonics_y1_expected") == PHONICS_GAPS
    assert len(result.figures) == 2 * 18 and len(result.gaps) == 2 * 9
    assert {f.period_kind for f in result.figures} == {"calendar_year"}
    assert result.indicators == ["ks2_rwm_expected", "phonics_y1_expected"]


def problems_of(path, areas=AREAS) -> list[str]:
    with pytest.raises(WideLayoutError) as caught:
        read_wide(path, areas=areas)
    assert str(caught.value).startswith(f"{len(caught.value.problems)} problem")
    return [str(p) for p in caught.value.problems]


# The Plymouth SEF tables --------------------------------------------------------------------


def test_printed_tables_are_copied_from_the_seed():
    seeds = sorted(SEEDS.glob("004_*.txt"))
    if not seeds:
        pytest.skip(f"the Plymouth SEF (seed 004) is not in {SEEDS}")
    text = re.sub(r"</?b>", "", seeds[0].read_text(encoding="utf-8"))
    lines = text.splitlines()

    def table(title_start, first_column_blank):
        start = next(i for i, line in enumerate(lines) if line.startswith(title_start))
        out = {}
        for line in lines[start + 2:start + 5]:
            cells = line.split("\t")
            cells = cells[1:] if first_column_blank else cells
            out[cells[0]] = cells[1:]
        assert lines[start + 1].split("\t")[-9:] == YEARS
        return out

    assert table("Year One Phonics", False) == PHONICS_PRINTED
    assert table("KS2 % of pupils", True) == KS2_RWM_PRINTED


def test_csv_with_a_row_per_area_and_cohort(tmp_path):
    path = write_csv(tmp_path / "sef.csv", [
        *rows_form("ks2_rwm_expected", KS2_RWM_PRINTED), [],
        *rows_form("phonics_y1_expected", PHONICS_PRINTED)])
    result = read_wide(path, areas=AREAS)
    check_tables(result)
    assert result.file == "sef.csv"
    first = result.figures[0]
    assert (first.sheet, first.row, first.column, first.area_code, first.period) == (
        None, 3, "B", "879", "2022")
    gap = next(g for g in result.gaps if g.indicator == "ks2_rwm_expected"
               and g.breakdown == "SEN Support" and g.period == "2023")
    assert (gap.text, gap.row, gap.column) == ("-0.9%", 10, "C")


def test_xlsx_as_the_sef_prints_it_with_merged_cohort_cells(tmp_path):
    path = write_xlsx(tmp_path / "sef.xlsx", {
        "KS2": band_form("ks2_rwm_expected", KS2_RWM_PRINTED),
        "Phonics": band_form("phonics_y1_expected", PHONICS_PRINTED),
    }, merges=[(t, r) for t in ("KS2", "Phonics")
               for r in ("A1:J1", "B2:D2", "E2:G2", "H2:J2")])
    result = read_wide(path, areas=AREAS)
    check_tables(result)
    ehcp = next(f for f in result.figures if f.sheet == "Phonics" and f.breakdown == "EHCP"
                and f.area_code == "E92000001" and f.period == "2024")
    assert (ehcp.value, ehcp.row, ehcp.column) == (20.1, 5, "J")


def test_both_forms_of_one_table_agree(tmp_path):
    by_rows = read_wide(write_csv(tmp_path / "a.csv", rows_form(
        "phonics_y1_expected", PHONICS_PRINTED)), areas=AREAS)
    banded = read_wide(write_csv(tmp_path / "b.csv", band_form(
        "phonics_y1_expected", PHONICS_PRINTED)), areas=AREAS)

    def plain(result):
        return (sorted((f.period, f.area_code, f.breakdown, f.value) for f in result.figures),
                sorted((g.period, g.breakdown, g.value, g.text) for g in result.gaps))

    assert plain(by_rows) == plain(banded)


def test_academic_ending_matches_the_demo_data_typed_from_the_sef(tmp_path):
    """2022 under 'years: academic-ending' is 2021/22, as the demo files type it."""
    path = write_csv(tmp_path / "sef.csv", [
        *rows_form("ks2_rwm_expected", KS2_RWM_PRINTED, block_row_extra="; years: academic-ending"),
        [], *rows_form("phonics_y1_expected", PHONICS_PRINTED,
                       block_row_extra="; Years : Academic-Ending; source: Plymouth SEF 2024")])
    result = read_wide(path, areas=AREAS)
    assert {f.period for f in result.figures} == {"2021/22", "2022/23", "2023/24"}
    assert {f.period_kind for f in result.figures} == {"academic_year"}
    assert {f.source for f in result.figures if f.indicator == "phonics_y1_expected"} == {
        "Plymouth SEF 2024"}
    with open(DEMO / "plymouth_sef_2024.csv", encoding="utf-8") as handle:
        demo = {(r["indicator"], r["period"], r["area_code"], r["breakdown"]): float(r["value"])
                for r in csv.DictReader(handle)
                if r["indicator"] in ("ks2_rwm_expected", "phonics_y1_expected")}
    with open(DEMO / "plymouth_printed_gaps.csv", encoding="utf-8") as handle:
        demo_gaps = {(r["indicator"], r["period"], r["breakdown"]): float(r["printed_gap"])
                     for r in csv.DictReader(handle)
                     if r["indicator"] in ("ks2_rwm_expected", "phonics_y1_expected")}
    assert {(f.indicator, f.period, f.area_code, f.breakdown): f.value
            for f in result.figures} == demo
    assert {(g.indicator, g.period, g.breakdown): g.value for g in result.gaps} == demo_gaps


def test_bare_years_are_calendar_years_unless_the_block_says_otherwise(tmp_path):
    rows = [["Indicator: a"], ["", "2024"], ["879", "1"], [],
            ["Indicator: b; years: as-written"], ["", "2024"], ["879", "2"], [],
            ["Indicator: c; years: academic-ending"], ["", "2024", "2024/25"], ["879", "3", "4"]]
    result = read_wide(write_csv(tmp_path / "y.csv", rows), areas={})
    assert [(f.indicator, f.period, f.period_kind) for f in result.figures] == [
        ("a", "2024", "calendar_year"), ("b", "2024", "calendar_year"),
        ("c", "2023/24", "academic_year"), ("c", "2024/25", "academic_year")]


def test_other_period_kinds_and_dfe_academic_years(tmp_path):
    rows = [["Indicator: t"], ["Row", "202223", "2023/24"], ["879", "1", "2"], [],
            ["Indicator: m"], ["Row", "2024-04", "2024-05"], ["879", "3", "4"], [],
            ["Indicator: f"], ["Row", "2023-24", "2024-25"], ["879", "5", "6"]]
    result = read_wide(write_csv(tmp_path / "p.csv", rows), areas={})
    assert [(f.period, f.period_kind) for f in result.figures] == [
        ("2022/23", "academic_year"), ("2023/24", "academic_year"),
        ("2024-04", "month"), ("2024-05", "month"),
        ("2023-24", "financial_year"), ("2024-25", "financial_year")]


def test_byte_order_mark_in_csv(tmp_path):
    rows = rows_form("ks2_rwm_expected", KS2_RWM_PRINTED)
    with_bom = read_wide(write_csv(tmp_path / "bom.csv", rows, bom=True), areas=AREAS)
    assert (tmp_path / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    without = read_wide(write_csv(tmp_path / "plain.csv", rows), areas=AREAS)
    assert with_bom.figures == without.figures and with_bom.gaps == without.gaps
    assert figures_by_key(with_bom, "ks2_rwm_expected") == KS2_RWM
    assert is_wide_layout(tmp_path / "bom.csv")


# Areas and cohorts ---------------------------------------------------------------------------


def test_areas_by_code_name_and_england(tmp_path):
    rows = [["Indicator: k"], ["Row", "2024"],
            ["879 SEN Support", "1"], ["  plymouth   ehc plan ", "2"], ["ENGLAND all pupils", "3"],
            ["E92000001 ehcp", "4"], ["Statistical neighbours", "5"], ["gap sen support", "6"]]
    result = read_wide(write_csv(tmp_path / "a.csv", rows),
                       areas={"Plymouth": "879", "Statistical Neighbours": "SN-879"})
    assert [(f.area_code, f.breakdown, f.value) for f in result.figures] == [
        ("879", "SEN Support", 1.0), ("879", "EHCP", 2.0), ("E92000001", "All", 3.0),
        ("E92000001", "EHCP", 4.0), ("SN-879", "All", 5.0)]
    assert [(g.breakdown, g.value) for g in result.gaps] == [("SEN Support", 6.0)]


def test_unknown_area_name_is_named_with_its_cell(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"KS2": [
        ["Indicator: k"], ["Row", 2024], ["Plymuoth All", 1], ["Devon All", 2]]})
    assert problems_of(path, areas={"Plymouth": "879", "Torbay": "880"}) == [
        f"a.xlsx, sheet 'KS2', row {r}, column A: '{name}' is not an area LAPIS knows: use an "
        "LA's three-digit code (such as 879), England (or National), GAP, or a name it has "
        "been told (Plymouth, Torbay); then the cohort: All, SEN Support or EHCP"
        for r, name in ((3, "Plymuoth"), (4, "Devon"))]


def test_cohort_without_area_and_cohort_twice(tmp_path):
    rows = [["Indicator: k"], ["Cohort", "All", "EHCP"], ["Row", "2024", "2024"],
            ["Plymouth EHCP", "1", "2"], [],
            ["Indicator: j"], ["Row", "2024"], ["SEN Support", "1"]]
    problems = problems_of(write_csv(tmp_path / "c.csv", rows))
    assert problems == [
        "c.csv, row 4, column A: 'Plymouth EHCP' names a cohort, but this block's cohort row "
        "already gives each column its cohort: name only the area here",
        "c.csv, row 8, column A: 'SEN Support' names a cohort but no area: write the area "
        "first, such as 'Plymouth SEN Support' or 'National SEN Support'"]


def test_bad_cohort_row(tmp_path):
    rows = [["Indicator: k"], ["Cohort", "", "Pupils", "All", "EHCP"],
            ["Row", "2024", "2023", "2022"], ["879", "1", "2", "3"]]
    assert problems_of(write_csv(tmp_path / "c.csv", rows)) == [
        "c.csv, row 2, column B: is blank: the cohort row must name the cohort of column B "
        "(All, SEN Support or EHCP)",
        "c.csv, row 2, column C: 'Pupils' is not a cohort: use All, SEN Support or EHCP",
        "c.csv, row 2, column E: 'EHCP' is to the right of the last period in the header row"]


def test_same_area_and_cohort_twice_for_a_period(tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", {
        "One": [["Indicator: k"], ["Row", 2023, 2024], ["Plymouth", 1, 2], ["GAP", 0, 0]],
        "Two": [["Indicator: k"], ["Row", 2024, 2025], ["879 All", 3, 4], ["Gap All", 1, 1]],
    })
    assert problems_of(path) == [
        "d.xlsx, sheet 'Two', row 3, column A: '879 All' repeats k for 2024, already given at "
        "sheet 'One', row 3: give each area and cohort once per indicator and period",
        "d.xlsx, sheet 'Two', row 4, column A: 'Gap All' repeats k for 2024, already given at "
        "sheet 'One', row 4: give each area and cohort once per indicator and period"]


def test_areas_given_two_codes_for_one_name(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["Indicator: k"], ["", "2024"], ["879", "1"]])
    with pytest.raises(ValueError, match="two codes"):
        read_wide(path, areas={"Plymouth": "879", "PLYMOUTH": "880"})


# Cells ----------------------------------------------------------------------------------------


def test_numbers_and_missing_cells(tmp_path):
    rows = [["Indicator: k"], ["Row", *[str(y) for y in range(2010, 2024)]],
            ["879", "59", "59.0%", "-0.9", "+1.4", ".5", "\u22122.5 %", "", "-", "X", "c",
             "\u2013", " 7 ", "0", "100%"]]
    result = read_wide(write_csv(tmp_path / "n.csv", rows), areas={})
    assert [(f.value, f.suppression) for f in result.figures] == [
        (59.0, ""), (59.0, ""), (-0.9, ""), (1.4, ""), (0.5, ""), (-2.5, ""), (None, ""),
        (None, "-"), (None, "x"), (None, "c"), (None, "-"), (7.0, ""), (0.0, ""), (100.0, "")]


def test_bad_numbers_each_named(tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", {"KS2": [
        ["Indicator: ks2_rwm_expected"], ["Row", 2022, 2023, 2024],
        ["Plymouth All", 59, "n/a", True], [], [], [],
        ["Indicator: other"], ["Row", 2022, 2023], ["National", 1, "61,1"]]})
    assert problems_of(path) == [
        "b.xlsx, sheet 'KS2', row 3, column C: 'n/a' is not a number (a number such as 59.0 or "
        "59.0%, or -, x or c for a missing figure)",
        "b.xlsx, sheet 'KS2', row 3, column D: True is not a number",
        "b.xlsx, sheet 'KS2', row 9, column C: '61,1' is not a number (type numbers without "
        "commas, with a point for decimals: 61.1, 1234)"]


def test_percentage_formatted_xlsx_cells_read_as_shown(tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", {"S": [
        ["Indicator: k"], ["Row", 2022, 2023, 2024], ["879", 0.59, 0.598, 0.625],
        ["National", 59.9, 0.001, 1]]},
        percent=[("S", "B3"), ("S", "C3"), ("S", "D3"), ("S", "C4")])
    result = read_wide(path, areas={})
    assert [f.value for f in result.figures] == [59.0, 59.8, 62.5, 59.9, 0.1, 1.0]


def test_formula_without_a_saved_result(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", {"S": [
        ["Indicator: k"], ["Row", 2024], ["879", 5], ["National", 4], ["GAP", "=B3-B4"]]})
    assert problems_of(path) == [
        "f.xlsx, sheet 'S', row 5, column B: holds a formula with no saved result: open the "
        "workbook in Excel and save it, or type the figure"]


def test_merged_data_cells_and_cells_beyond_the_last_period(tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [
        ["Indicator: k"], ["Row", 2023, 2024], ["879", 5, None, "note"], ["National", 4, 3],
        [None, 1, 2]]}, merges=[("S", "B3:C3")])
    assert problems_of(path) == [
        "m.xlsx, sheet 'S', row 3, column D: 'note' is to the right of the last period in the "
        "header row: give it a period or move it out of the block",
        "m.xlsx, sheet 'S', row 3, column C: is part of the merged cells B3:C3: give each "
        "period its own figure, in its own cell",
        "m.xlsx, sheet 'S', row 5, column A: is blank but the row has figures: name the area "
        "and cohort in column A, such as 'Plymouth All' or 'National SEN Support'"]


# Blocks and headers ---------------------------------------------------------------------------


def test_missing_header(tmp_path):
    rows = [["Indicator: a"], ["Plymouth All", "1", "2"], [],
            ["Indicator: b"], [],
            ["Indicator: c"], ["Indicator: d"], ["Row", "2024"], ["879", "1"]]
    assert problems_of(write_csv(tmp_path / "h.csv", rows)) == [
        "h.csv, row 2, column A: 'Plymouth All' is where the header row of the block "
        "'Indicator: a' (row 1) should be: put 'Row' (or nothing) in column A, then the "
        "periods across (2022, 2023, ... or 2022/23, ...)",
        "h.csv, row 4, column A: the block 'Indicator: b' has no header row: the row after it "
        "must hold 'Row' (or nothing) in column A, then the periods across",
        "h.csv, row 6, column A: the block 'Indicator: c' has no header row: the row after it "
        "must hold 'Row' (or nothing) in column A, then the periods across"]


def test_header_without_periods(tmp_path):
    rows = [["Indicator: a"], ["Row"], ["879", "1"]]
    assert problems_of(write_csv(tmp_path / "h.csv", rows)) == [
        "h.csv, row 2, column B: the header row of the block 'Indicator: a' has no periods: "
        "put the periods across from column B"]


def test_block_with_no_rows(tmp_path):
    rows = [["Indicator: a"], ["Row", "2024"], [], ["Indicator: b"], ["Row", "2024"],
            ["# a note, not a row"]]
    assert problems_of(write_csv(tmp_path / "e.csv", rows)) == [
        f"e.csv, row {r}, column A: the block 'Indicator: {k}' has a header but no rows of "
        "figures beneath it: add rows such as 'Plymouth All', 'National All', 'GAP All'"
        for r, k in ((1, "a"), (4, "b"))]


def test_duplicate_period_column(tmp_path):
    rows = [["Indicator: a"], ["Row", "2023", "2024", "2023"], ["879", "1", "2", "3"], [],
            ["Indicator: b; years: academic-ending"], ["Row", "2024", "2023/24"], ["879", "1", "2"],
            [], ["Indicator: c"], ["Cohort", "All", "", "EHCP"], ["Row", "2024", "2023", "2024"],
            ["879", "1", "2", "3"]]
    assert problems_of(write_csv(tmp_path / "d.csv", rows)) == [
        "d.csv, row 2, column D: '2023' heads column B and column D: a period may head only "
        "one column in a block",
        "d.csv, row 6, column C: '2023/24' heads column B and column C: a period may head only "
        "one column in a block"]


def test_mixed_period_kinds(tmp_path):
    rows = [["Indicator: a"], ["Row", "2022", "2023", "2023/24", "2024-04"],
            ["879", "1", "2", "3", "4"], [],
            ["Indicator: b; years: academic-ending"], ["Row", "2022-23", "2024"], ["879", "1", "2"]]
    assert problems_of(write_csv(tmp_path / "k.csv", rows)) == [
        "k.csv, row 2, column D: the header mixes kinds of period: calendar years (B, C); "
        "academic years (D); months (E). Use one kind in a block; if the bare years are "
        "academic years, add '; years: academic-ending' to the block row",
        "k.csv, row 6, column C: the header mixes kinds of period: financial years (B); "
        "academic years (C). Use one kind in a block"]


def test_bad_periods_and_gaps_in_the_header(tmp_path):
    import datetime as dt

    path = write_xlsx(tmp_path / "g.xlsx", {"S": [
        ["Indicator: a"], ["Year", "2022", None, "2023/25", dt.datetime(2022, 12, 1), "2024", None],
        ["879", 1, 2, 3, 4, 5, 6], [], ["Indicator: b"], ["Row", 2023, None, 2025],
        ["Plymuoth", 1, 2, 3]]}, merges=[("S", "F2:G2"), ("S", "B6:C6")])
    assert problems_of(path) == [
        "g.xlsx, sheet 'S', row 2, column C: is blank between periods: every column from B to "
        "the last period needs a period in the header row",
        "g.xlsx, sheet 'S', row 2, column D: '2023/25' is not a period: use a year (2024), an "
        "academic year (2022/23 or 202223), a financial year (2024-25), a month (2024-04) or a "
        "term (2024/25 Autumn)",
        "g.xlsx, sheet 'S', row 2, column E: 01/12/2022 is a date, not a period: type the "
        "period as text (a year such as 2024, an academic year such as 2022/23)",
        "g.xlsx, sheet 'S', row 2, column G: is part of the merged cells F2:G2: give each "
        "period a column of its own, with the period in its header cell",
        "g.xlsx, sheet 'S', row 6, column C: is part of the merged cells B6:C6: give each "
        "period a column of its own, with the period in its header cell",
        "g.xlsx, sheet 'S', row 7, column A: 'Plymuoth' is not an area LAPIS knows: use an "
        "LA's three-digit code (such as 879), England (or National), GAP, or a name it has "
        "been told (Plymouth); then the cohort: All, SEN Support or EHCP"]


def test_block_row_key_and_options(tmp_path):
    rows = [["Indicator:"], ["Row", "2024"], ["879", "1"], [],
            ["Indicator: ks2 rwm"], ["Row", "2024"], ["879", "1"], [],
            ["INDICATOR : ok_key; years: financial; colour: red;"], ["Row", "2024"], ["879", "1"]]
    assert problems_of(write_csv(tmp_path / "o.csv", rows)) == [
        "o.csv, row 1, column A: names no indicator: write 'Indicator: <key>', such as "
        "'Indicator: ks2_rwm_expected'",
        "o.csv, row 5, column A: 'ks2 rwm' is not an indicator key: a key is up to 60 letters, "
        "digits, '-' and '_', such as ks2_rwm_expected",
        *[f"o.csv, row 9, column A: '{o}' is not an option of a block row: use 'years: "
          "academic-ending' (a bare year 2024 is then the academic year 2023/24), 'years: "
          "as-written' or 'source: <text>'" for o in ("years: financial", "colour: red")]]


def test_rows_outside_blocks_notes_and_titles(tmp_path):
    rows = [["# Plymouth SEF 2024, attainment tables"], ["", "", "A title in C1"],
            ["Indicatr: k"], ["Indicator: k", "KS2 % of pupils", "ignored text"],
            ["# years as printed"], ["Row", "2024"], ["# a note inside the block"],
            ["879", "1"]]
    assert problems_of(write_csv(tmp_path / "t.csv", rows)) == [
        "t.csv, row 2, column C: 'A title in C1' is outside any block: a block starts with a "
        "row whose column A is 'Indicator: <key>', and ends at a blank row",
        "t.csv, row 3, column A: 'Indicatr: k' is outside any block: a block starts with a row "
        "whose column A is 'Indicator: <key>', and ends at a blank row"]
    del rows[1:3]
    result = read_wide(write_csv(tmp_path / "ok.csv", rows), areas={})
    assert [(f.indicator, f.period, f.value, f.row) for f in result.figures] == [
        ("k", "2024", 1.0, 6)]


def test_block_ends_at_the_next_block_row_without_a_blank_row(tmp_path):
    rows = [["Indicator: a"], ["Row", "2024"], ["879", "1"],
            ["Indicator: b"], ["Row", "2024"], ["879", "2"]]
    result = read_wide(write_csv(tmp_path / "b.csv", rows), areas={})
    assert [(f.indicator, f.value) for f in result.figures] == [("a", 1.0), ("b", 2.0)]


def test_every_problem_in_the_file_is_reported_together(tmp_path):
    rows = [*rows_form("ks2_rwm_expected", KS2_RWM_PRINTED), [],
            ["Indicator: phonics_y1_expected"], ["Row", "2022", "2023"],
            ["Plymoth All", "1", "2"], ["National All", "61,1", "?"]]
    problems = problems_of(write_csv(tmp_path / "all.csv", rows))
    assert [p.split(":")[0] for p in problems] == [
        "all.csv, row 15, column A", "all.csv, row 16, column B", "all.csv, row 16, column C"]


# Files ------------------------------------------------------------------------------------------


def test_file_level_problems(tmp_path):
    (tmp_path / "w.csv").write_bytes("Indicator: k\nRow,2024\nPlymouth \xa3,1\n".encode("cp1252"))
    assert problems_of(tmp_path / "w.csv")[0].startswith("w.csv: is not UTF-8 text (byte 0xa3")
    (tmp_path / "t.txt").write_text("x", encoding="utf-8")
    assert problems_of(tmp_path / "t.txt") == [
        "t.txt: is not a .csv or .xlsx file: save the sheet as 'CSV UTF-8' or as an Excel "
        "workbook"]
    (tmp_path / "z.xlsx").write_bytes(b"not a zip")
    assert problems_of(tmp_path / "z.xlsx")[0].startswith(
        "z.xlsx: cannot be opened as an Excel .xlsx workbook")
    write_csv(tmp_path / "none.csv", [["# only a note"], []])
    assert problems_of(tmp_path / "none.csv") == [
        "none.csv: holds no block of figures: a block starts with a row whose column A is "
        "'Indicator: <key>', such as 'Indicator: ks2_rwm_expected'"]


def test_is_wide_layout(tmp_path):
    assert is_wide_layout(write_csv(tmp_path / "w.csv", [[], ["# note"], ["Indicator: k"]]))
    assert not is_wide_layout(write_csv(tmp_path / "l.csv", [["indicator", "period", "value"]]))
    assert is_wide_layout(write_xlsx(tmp_path / "w.xlsx", {"S": [["Indicator: k"]]}))
    assert is_wide_layout(write_xlsx(tmp_path / "cover.xlsx", {
        "Cover": [], "KS2": [[None], ["# note"], ["Indicator: k"]]}))
    assert not is_wide_layout(write_xlsx(tmp_path / "other.xlsx", {
        "Cover": [["Plymouth SEF"], ["Indicator: k"]]}))
    assert not is_wide_layout(tmp_path / "missing.xlsx")


def test_column_letters():
    assert [wide.letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


# Property: any table written out is read back as written ---------------------------------------

values = st.one_of(
    st.none(), st.sampled_from(["-", "x", "c"]),
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(years=st.lists(st.integers(1990, 2040), min_size=1, max_size=6, unique=True),
       cohorts=st.lists(st.sampled_from(COHORT_ORDER), min_size=1, max_size=3, unique=True),
       data=st.data(), percent=st.booleans())
def test_any_table_round_trips(tmp_path_factory, years, cohorts, data, percent):
    path = tmp_path_factory.mktemp("prop") / "t.csv"
    rows = [["Indicator: k"], ["Row", *map(str, years)]]
    expected = {}
    for area, code in (("Plymouth", "879"), ("National", "E92000001"), ("GAP", "GAP")):
        for cohort in cohorts:
            cells = data.draw(st.lists(values, min_size=len(years), max_size=len(years)))
            row = [f"{area} {cohort}"]
            for year, cell in zip(years, cells, strict=True):
                if cell is None:
                    row.append("")
                    expected[(code, cohort, str(year))] = (None, "")
                elif isinstance(cell, str):
                    row.append(cell.upper())
                    expected[(code, cohort, str(year))] = (None, cell)
                else:
                    row.append(f"{cell}{'%' if percent else ''}")
                    expected[(code, cohort, str(year))] = (float(cell), "")
            rows.append(row)
    write_csv(path, rows)
    result = read_wide(path, areas=AREAS)
    got = {(f.area_code, f.breakdown, f.period): (f.value, f.suppression) for f in result.figures}
    got |= {("GAP", g.breakdown, g.period): (g.value, g.suppression) for g in result.gaps}
    assert got == expected
