"""The scorecard demo data typed in from the seeds: its shape, and the Plymouth SEF's GAP rows.

The files are read with the stdlib csv module only, so these tests check the data, not an
importer. Where the seed documents are present (``../shared/seeds/``), the typed figures are
also checked against the printed text.
"""

import csv
import datetime as dt
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from lapis.demo import scorecard_files as demo

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
PLYMOUTH_SEF = SEEDS / "004_8ce4155083432017.txt"
HULL_SEF = SEEDS / "000_6f96a20c3bcf07fa.txt"
HULL_REGISTER = SEEDS / "001_670706433b87052c.txt"
HACKNEY_PLAN = SEEDS / "003_e5ccb3e7f7f1b1a9.txt"

PLYMOUTH, ENGLAND = "879", "E92000001"
ATTAINMENT_TABLES = ("EYFSP table", "Year One Phonics table", "KS2 table", "KS4 table",
                     "KS5 table")

# The 14 GAP cells where the SEF's printed gap differs by 0.1 from Plymouth minus National as
# printed (the SEF subtracted unrounded figures). Found from the data; pinned here.
GAPS_OFF_BY_A_TENTH = {
    ("eyfsp_gld", "2022/23", "SEN Support"),
    ("phonics_y1_expected", "2021/22", "All"),
    ("phonics_y1_expected", "2023/24", "All"),
    ("ks2_rwm_expected", "2023/24", "EHCP"),
    ("ks2_reading_expected", "2023/24", "All"),
    ("ks2_reading_expected", "2021/22", "EHCP"),
    ("ks2_maths_expected", "2022/23", "All"),
    ("ks2_maths_expected", "2022/23", "SEN Support"),
    ("ks2_maths_expected", "2023/24", "EHCP"),
    ("ks2_writing_ta_expected", "2021/22", "All"),
    ("ks2_writing_ta_expected", "2021/22", "SEN Support"),
    ("ks2_writing_ta_expected", "2022/23", "SEN Support"),
    ("ks2_writing_ta_expected", "2023/24", "SEN Support"),
    ("ks2_writing_ta_expected", "2023/24", "EHCP"),
}


def read(path):
    """The file's header and its rows as dicts, each with its line number under "_line"."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: starts with a byte-order mark"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = tuple(next(reader))
        rows = []
        for line, cells in enumerate(reader, start=2):
            assert len(cells) == len(header), (
                f"{path.name}, line {line}: {len(cells)} cells where the header has {len(header)}"
            )
            rows.append({"_line": line, **dict(zip(header, cells, strict=True))})
    return header, rows


def number(path, row, column):
    text = row[column]
    try:
        value = Decimal(text)
    except InvalidOperation:
        pytest.fail(f"{path.name}, line {row['_line']}, column {column}: {text!r} is not a number")
    assert value.is_finite(), f"{path.name}, line {row['_line']}, column {column}: {text!r}"
    return value


def plain(path):
    """The seed's text with the bold tags of its tables removed, or skip when it is absent."""
    if not path.exists():
        pytest.skip(f"seed document {path} is not present (it lives in ../shared/seeds)")
    return re.sub(r"</?b>", "", path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def indicators():
    _, rows = read(demo.INDICATORS_CSV)
    return {row["key"]: row for row in rows}


@pytest.fixture(scope="module")
def observations():
    return {path: read(path)[1] for path in demo.OBSERVATION_FILES}


@pytest.fixture(scope="module")
def plymouth():
    return read(demo.PLYMOUTH_OBSERVATIONS_CSV)[1]


@pytest.fixture(scope="module")
def printed_gaps():
    return read(demo.PLYMOUTH_PRINTED_GAPS_CSV)[1]


# --- headers ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "header"), [
    (demo.INDICATORS_CSV, demo.INDICATORS_HEADER),
    *[(path, demo.LONG_HEADER) for path in demo.OBSERVATION_FILES],
    (demo.PLYMOUTH_PRINTED_GAPS_CSV, demo.PRINTED_GAPS_HEADER),
    (demo.PLYMOUTH_A_LEVEL_GRADES_CSV, demo.A_LEVEL_GRADES_HEADER),
    (demo.HULL_OUTCOMES_CSV, demo.HULL_OUTCOMES_HEADER),
    (demo.TARGETS_CSV, demo.TARGETS_HEADER),
], ids=lambda value: value.name if isinstance(value, Path) else "")
def test_every_file_has_its_documented_header_exactly(path, header):
    assert read(path)[0] == header


def test_the_long_layout_header_is_the_one_the_issue_documents():
    assert ",".join(demo.LONG_HEADER) == (
        "indicator,period,area_code,area_name,breakdown,value,numerator,denominator,source"
    )


# --- the indicator catalogue -------------------------------------------------------------------

def test_indicator_keys_are_unique_snake_case_with_a_known_unit_and_polarity():
    _, rows = read(demo.INDICATORS_CSV)
    keys = Counter(row["key"] for row in rows)
    assert [key for key, n in keys.items() if n > 1] == []
    for row in rows:
        where = f"indicators.csv, line {row['_line']}"
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", row["key"]), f"{where}: key"
        assert row["unit"] in demo.UNITS, f"{where}: unit {row['unit']!r}"
        assert row["polarity"] in demo.POLARITIES, f"{where}: polarity {row['polarity']!r}"
        for column in ("name", "definition", "source"):
            assert row[column].strip(), f"{where}: {column} is empty"


def test_every_indicator_in_the_catalogue_is_used_by_some_file(indicators, observations):
    used = {row["indicator"] for rows in observations.values() for row in rows}
    for path in (demo.PLYMOUTH_A_LEVEL_GRADES_CSV, demo.HULL_OUTCOMES_CSV, demo.TARGETS_CSV):
        used |= {row["indicator"] for row in read(path)[1]}
    assert set(indicators) - used == set()


# --- the long-layout observation files ---------------------------------------------------------

PERIOD = re.compile(r"(?P<ay>(\d{4})/(\d{2}))|(?P<year>\d{4})|(?P<month>\d{4}-(0[1-9]|1[0-2]))")


def test_every_observation_is_well_formed(indicators, observations):
    for path, rows in observations.items():
        assert rows, f"{path.name} has no rows"
        for row in rows:
            where = f"{path.name}, line {row['_line']}"
            assert row["indicator"] in indicators, f"{where}: unknown indicator"
            assert indicators[row["indicator"]]["unit"] != "grade", f"{where}: grade as value"
            number(path, row, "value")
            for column in ("numerator", "denominator"):
                if row[column]:
                    assert number(path, row, column) >= 0, f"{where}: negative {column}"
            period = PERIOD.fullmatch(row["period"])
            assert period, f"{where}: period {row['period']!r} is not 2022/23, 2024 or 2024-04"
            if period["ay"]:
                start, end = int(row["period"][:4]), int(row["period"][5:])
                assert (start + 1) % 100 == end, f"{where}: {row['period']} is not one year"
            assert row["area_code"] in demo.AREAS, f"{where}: unknown area {row['area_code']}"
            assert row["area_name"] == demo.AREAS[row["area_code"]], f"{where}: area name"
            assert row["breakdown"] in demo.BREAKDOWNS, f"{where}: breakdown"
            assert row["source"].strip(), f"{where}: no source"


def test_no_observation_is_given_twice(observations):
    seen = Counter(
        (row["indicator"], row["period"], row["area_code"], row["breakdown"])
        for rows in observations.values() for row in rows
    )
    assert [key for key, n in seen.items() if n > 1] == []


def test_percentages_lie_between_0_and_100(indicators, observations):
    for path, rows in observations.items():
        for row in rows:
            if indicators[row["indicator"]]["unit"] == "%":
                assert 0 <= number(path, row, "value") <= 100, f"{path.name}, {row['_line']}"


def test_every_attainment_table_has_plymouth_and_national_for_each_cohort_and_year(plymouth):
    cells = Counter()
    for row in plymouth:
        table = row["source"].split(", ")[1]
        if table in ATTAINMENT_TABLES:
            cells[row["indicator"]] += 1
    # 3 cohorts x 3 years x (Plymouth, National) for each printed numeric row.
    assert cells == {key: 18 for key in (
        "eyfsp_gld", "phonics_y1_expected", "ks2_rwm_expected", "ks2_reading_expected",
        "ks2_maths_expected", "ks2_writing_ta_expected", "ks4_attainment8", "ks4_progress8",
        "ks4_em_grade5", "ks4_em_grade4", "ks5_two_a_levels",
    )}


# --- the Plymouth SEF's GAP rows -------------------------------------------------------------

def gap_cells(plymouth, printed_gaps):
    """(key, printed gap, Plymouth minus National) for every printed GAP cell."""
    value = {
        (row["indicator"], row["period"], row["area_code"], row["breakdown"]):
            float(row["value"])
        for row in plymouth
    }
    cells = []
    for row in printed_gaps:
        key = (row["indicator"], row["period"], row["breakdown"])
        ours, national = (value.get((key[0], key[1], area, key[2])) for area in (PLYMOUTH,
                                                                                  ENGLAND))
        assert ours is not None and national is not None, (
            f"plymouth_printed_gaps.csv, line {row['_line']}: no Plymouth or National value "
            f"for {key}"
        )
        cells.append((key, float(row["printed_gap"]), ours - national))
    return cells


def test_the_sef_prints_99_gaps_each_once(printed_gaps):
    keys = Counter((row["indicator"], row["period"], row["breakdown"]) for row in printed_gaps)
    assert len(printed_gaps) == 99
    assert [key for key, n in keys.items() if n > 1] == []


def test_every_computed_gap_matches_the_printed_gap_to_within_a_tenth(plymouth, printed_gaps):
    for key, printed, computed in gap_cells(plymouth, printed_gaps):
        assert abs(computed - printed) <= 0.1 + 1e-9, (key, printed, computed)


def test_exactly_14_printed_gaps_differ_by_a_tenth_and_these_are_they(plymouth, printed_gaps):
    differing = {
        key for key, printed, computed in gap_cells(plymouth, printed_gaps)
        if abs(computed - printed) > 1e-9
    }
    assert differing == GAPS_OFF_BY_A_TENTH
    for key, printed, computed in gap_cells(plymouth, printed_gaps):
        if key in differing:
            assert abs(abs(computed - printed) - 0.1) <= 1e-9, (key, printed, computed)


def test_every_printed_gap_has_the_precision_of_its_values(plymouth, printed_gaps):
    places = {row["indicator"]: len(row["value"].partition(".")[2]) for row in plymouth}
    for row in printed_gaps:
        assert len(row["printed_gap"].partition(".")[2]) == places[row["indicator"]], row


# --- the A level grades --------------------------------------------------------------------

def test_a_level_grades_are_grades_for_each_cohort_year_and_area(indicators):
    path = demo.PLYMOUTH_A_LEVEL_GRADES_CSV
    _, rows = read(path)
    for row in rows:
        where = f"{path.name}, line {row['_line']}"
        assert indicators[row["indicator"]]["unit"] == "grade", where
        assert re.fullmatch(r"(A\*|[A-E])[+-]?", row["grade"]), f"{where}: {row['grade']!r}"
        assert demo.AREAS.get(row["area_code"]) == row["area_name"], where
        assert row["breakdown"] in demo.BREAKDOWNS, where
    cells = Counter((r["period"], r["area_code"], r["breakdown"]) for r in rows)
    assert len(cells) == 18 and set(cells.values()) == {1}


# --- Hull's outcomes table -------------------------------------------------------------------

def test_hull_outcomes_rows_state_a_position_that_agrees_with_the_printed_result(indicators):
    path = demo.HULL_OUTCOMES_CSV
    _, rows = read(path)
    assert rows
    for row in rows:
        where = f"{path.name}, line {row['_line']}"
        assert row["indicator"] in indicators, f"{where}: unknown indicator"
        assert demo.AREAS.get(row["area_code"]) == row["area_name"], f"{where}: area"
        assert row["breakdown"] in demo.BREAKDOWNS, f"{where}: breakdown"
        assert row["phase"] in ("", "primary", "secondary"), f"{where}: phase"
        assert row["quartile"] in ("", "A", "B", "C", "D"), f"{where}: quartile"
        for column in ("vs_national", "vs_statistical_neighbours"):
            assert row[column] in ("", "above", "below"), f"{where}: {column}"
        assert row["trend"] in ("", "increased", "decreased"), f"{where}: trend"
        printed = row["printed_result"]
        assert row["quartile"] == (printed[-1] if printed.startswith("Quartile ") else ""), where
        position = printed.split()[0].lower()
        assert row["vs_national"] == (position if "NA" in printed else ""), where
        assert row["vs_statistical_neighbours"] == (position if "SN" in printed else ""), where
        assert row["trend"] == (printed.lower() if printed == "Increased" else ""), where
    keys = Counter((r["indicator"], r["breakdown"], r["phase"]) for r in rows)
    assert [key for key, n in keys.items() if n > 1] == []


def test_hull_outcomes_keep_every_printed_row_of_the_table():
    text = plain(HULL_SEF)
    _, rows = read(demo.HULL_OUTCOMES_CSV)
    printed = {(row["printed_measure"], row["printed_result"]) for row in rows}
    for measure, result in printed:
        assert f"\n{measure}\t{result}\n" in text, (measure, result)
    # The table runs from "Attendance ..." to "% of specialist settings ..."; 19 rows.
    start = text.index("\nAttendance of EHCP & SEN Support")
    end = text.index("\n\n", start + 1)
    table = [line.split("\t") for line in text[start + 1:end].split("\n")]
    assert {tuple(cells) for cells in table} == printed
    assert len(table) == 19


# --- targets ---------------------------------------------------------------------------------

def test_targets_are_well_formed(indicators):
    path = demo.TARGETS_CSV
    _, rows = read(path)
    assert rows
    for row in rows:
        where = f"{path.name}, line {row['_line']}"
        assert row["indicator"] in indicators, f"{where}: unknown indicator"
        assert row["area_code"] in demo.AREAS, f"{where}: area"
        assert row["breakdown"] in demo.BREAKDOWNS, f"{where}: breakdown"
        number(path, row, "baseline_value")
        number(path, row, "target_value")
        baseline = dt.date.fromisoformat(row["baseline_date"])
        target = dt.date.fromisoformat(row["target_date"])
        assert baseline < target, f"{where}: baseline date is not before the target date"
        for milestone in filter(None, row["milestones"].split(";")):
            day, _, value = milestone.partition(":")
            assert baseline < dt.date.fromisoformat(day) < target, f"{where}: {milestone}"
            Decimal(value)
        assert row["source"].strip(), f"{where}: no source"
    keys = Counter((r["indicator"], r["area_code"], r["breakdown"]) for r in rows)
    assert [key for key, n in keys.items() if n > 1] == []


@pytest.mark.parametrize(("seed", "area", "printed"), [
    (HULL_REGISTER, "810",
     "Improve 20-week timeline for new EHCPs from {baseline}% to {target}% of new EHCPs"),
    (HACKNEY_PLAN, "204", "from a base of {baseline}% to {target}% by December 2022"),
    (PLYMOUTH_SEF, "879",
     "decision timeliness from {baseline}% in April 2024 to {target}% within 6 weeks"),
], ids=["hull", "hackney", "plymouth"])
def test_each_target_is_printed_in_its_plan(seed, area, printed):
    text = plain(seed)
    (row,) = [r for r in read(demo.TARGETS_CSV)[1] if r["area_code"] == area]
    assert printed.format(baseline=row["baseline_value"], target=row["target_value"]) in text


# --- typed exactly as printed ------------------------------------------------------------------

def test_the_plymouth_tables_are_typed_exactly_as_printed(plymouth, printed_gaps):
    """Each printed row (Plymouth, National, GAP) appears verbatim in the SEF's text."""
    text = plain(PLYMOUTH_SEF)
    cohorts, periods = demo.BREAKDOWNS, ("2021/22", "2022/23", "2023/24")
    series = {}
    for row in plymouth:
        if row["source"].split(", ")[1] in ATTAINMENT_TABLES:
            label = "Plymouth" if row["area_code"] == PLYMOUTH else "National"
            series[(row["indicator"], label, row["breakdown"], row["period"])] = row["value"]
    for row in printed_gaps:
        series[(row["indicator"], "GAP", row["breakdown"], row["period"])] = row["printed_gap"]
    grades = read(demo.PLYMOUTH_A_LEVEL_GRADES_CSV)[1]
    for row in grades:
        label = "Plymouth" if row["area_code"] == PLYMOUTH else "National"
        series[(row["indicator"], label, row["breakdown"], row["period"])] = row["grade"]
    lines = {key[:2] for key in series}
    assert len(lines) == 12 * 2 + 11  # 12 printed rows; 11 with a GAP row (not A level grade)
    for indicator, label in sorted(lines):
        cells = [series[(indicator, label, c, p)] for c in cohorts for p in periods]
        bare, percent = "\t".join(cells), "\t".join(f"{cell}%" for cell in cells)
        assert f"{label}\t{bare}\n" in text or f"{label}\t{percent}\n" in text, (
            f"{indicator} {label} row not found as printed: {bare}"
        )


def test_the_need_prevalence_and_inclusion_figures_are_typed_as_printed(plymouth):
    text = plain(PLYMOUTH_SEF)
    by_key = {(r["indicator"], r["area_code"], r["breakdown"]): r for r in plymouth}
    needs = [r for r in plymouth if r["indicator"].startswith("need_prevalence_")]
    assert len(needs) == 26
    for row in needs:
        if row["area_code"] == PLYMOUTH:
            label = row["source"].rpartition(", row ")[2]
            national = by_key[(row["indicator"], ENGLAND, "All")]["value"]
            assert f"\n{label}\t{row['value']}\t{national}\n" in text, label
    inclusion = [r for r in plymouth if "pupils list: " in r["source"]]
    assert len(inclusion) == 18
    for row in inclusion:
        heading = f"## {row['breakdown']} pupils\n"
        start = text.index(heading) + len(heading)
        section = text[start:text.index("\n#", start)].splitlines()
        words = row["source"].rpartition("pupils list: ")[2]
        assert f"- {row['value']}% {words}" in section, (row["breakdown"], words)
