"""Tests for lapis.scorecard.dfe: DfE's real published files, then every error on small ones.

The real files are read from ../shared/data (beside the repository), never copied into it.
"""

import collections
import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from lapis.scorecard.dfe import (
    ID_COLUMNS,
    DfeFileError,
    LaCode,
    Problem,
    UnknownDfeFileError,
    read_ehc_file,
    read_la_codes,
    read_statistical_neighbours,
)

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EHC = DATA / "dfe-ehc-plans-2025"
SN = DATA / "dfe-statistical-neighbours"
ENGLAND = "E92000001"
HULL = "810"


def real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"DfE's published file {path} is not here: these tests read the real file "
                    "from ../shared/data beside the repository (it is not committed)")
    return path


@pytest.fixture(scope="module")
def timeliness():
    return read_ehc_file(real(EHC / "timeliness_20_week.csv"))


@pytest.fixture(scope="module")
def requests_file():
    return read_ehc_file(real(EHC / "requests.csv"))


@pytest.fixture(scope="module")
def reviews():
    return read_ehc_file(real(EHC / "annual_reviews.csv"))


@pytest.fixture(scope="module")
def neighbours():
    return read_statistical_neighbours(real(SN / "sn_may_2025.xlsx"))


@pytest.fixture(scope="module")
def la_codes():
    return read_la_codes(real(SN / "la_code_list.xlsx"))


def figures(obs):
    return (obs.value, obs.numerator, obs.denominator)


def la_codes_in(dfe_file, period):
    return {o.area_code for o in dfe_file.observations
            if o.level == "la" and o.period == period and o.breakdown == "All"
            and o.indicator == dfe_file.indicators[0]}


# --- the real 20-week timeliness file ---------------------------------------------------------

def test_timeliness_is_recognised_with_its_two_indicators(timeliness):
    assert timeliness.kind == "timeliness_20_week"
    assert timeliness.indicators == ("ehcp_issued_20_weeks", "ehcp_issued_20_weeks_ex")
    assert timeliness.ignored_duplicate_columns == ()


def test_england_2024_excluding_exceptions_is_46_4(timeliness):
    england = timeliness.get("ehcp_issued_20_weeks_ex", "2024", ENGLAND)
    assert figures(england) == (46.4, 39407, 84866)
    assert (england.level, england.area_name, england.period_kind) == (
        "national", "England", "Calendar year")
    assert (england.breakdown_topic, england.breakdown) == ("All EHC plans issued", "All")
    # Including exceptions it is a different published column and figure.
    assert figures(timeliness.get("ehcp_issued_20_weeks", "2024", ENGLAND)) == (
        45.9, 41448, 90392)


def test_hull_28_5_in_2023_is_the_excluding_exceptions_column(timeliness):
    """28.5 is PC_plans_issued_20_weeks_ex; pc_plans_issued_within_20_weeks was 30.4."""
    ex = timeliness.get("ehcp_issued_20_weeks_ex", "2023", HULL)
    everything = timeliness.get("ehcp_issued_20_weeks", "2023", HULL)
    assert figures(ex) == (28.5, 125, 439)
    assert figures(everything) == (30.4, 138, 454)


def test_hull_5_8_in_2024_is_both_columns(timeliness):
    """In 2024 Hull had no exceptions: 29 of 500 plans either way."""
    for key in ("ehcp_issued_20_weeks", "ehcp_issued_20_weeks_ex"):
        assert figures(timeliness.get(key, "2024", HULL)) == (5.8, 29, 500)


def test_hull_is_held_by_its_old_code_with_the_new_code_kept(timeliness):
    hull = timeliness.get("ehcp_issued_20_weeks", "2024", HULL)
    assert (hull.level, hull.area_code, hull.new_la_code, hull.region_code) == (
        "la", "810", "E06000010", "E12000003")
    assert hull.area_name == "Kingston upon Hull, City of"  # a quoted name with a comma


@pytest.mark.parametrize(("key", "period", "code", "expected"), [
    ("ehcp_issued_20_weeks", "2019", HULL, (89.0, 274, 308)),
    ("ehcp_issued_20_weeks_ex", "2019", HULL, (92.9, 274, 295)),
    ("ehcp_issued_20_weeks", "2020", HULL, (87.4, 256, 293)),
    ("ehcp_issued_20_weeks", "2021", HULL, (23.2, 74, 319)),
    ("ehcp_issued_20_weeks", "2022", HULL, (27.1, 96, 354)),
    ("ehcp_issued_20_weeks", "2019", "E12000001", (67.3, 1765, 2624)),
    ("ehcp_issued_20_weeks_ex", "2019", "E12000001", (69.8, 1723, 2469)),
    ("ehcp_issued_20_weeks", "2022", "E12000004", (31.8, 1440, 4530)),
    ("ehcp_issued_20_weeks", "2023", "E12000003", (55.5, 4444, 8011)),
    ("ehcp_issued_20_weeks_ex", "2023", "E12000003", (55.2, 4345, 7872)),
    ("ehcp_issued_20_weeks", "2024", "E12000009", (31.0, 2767, 8919)),
    ("ehcp_issued_20_weeks_ex", "2024", "E12000009", (28.5, 2245, 7886)),
    ("ehcp_issued_20_weeks", "2024", "E12000007", (64.7, 8859, 13697)),
    ("ehcp_issued_20_weeks", "2023", ENGLAND, (49.1, 39784, 80945)),
    ("ehcp_issued_20_weeks", "2019", ENGLAND, (58.7, 31313, 53327)),
])
def test_timeliness_published_values(timeliness, key, period, code, expected):
    assert figures(timeliness.get(key, period, code)) == expected


def test_timeliness_withheld_and_all_exception_las(timeliness):
    norfolk = timeliness.get("ehcp_issued_20_weeks", "2022", "926")
    assert (norfolk.value, norfolk.suppression, norfolk.numerator, norfolk.denominator) == (
        None, "x", None, None)
    # Dorset classed every 2024 plan as an exception: 0 of 0, published as x.
    dorset = timeliness.get("ehcp_issued_20_weeks_ex", "2024", "838")
    assert (dorset.value, dorset.suppression, dorset.numerator, dorset.denominator) == (
        None, "x", 0, 0)
    assert figures(timeliness.get("ehcp_issued_20_weeks", "2024", "838")) == (49.1, 287, 585)


def test_timeliness_la_count_per_year(timeliness):
    counts = {p: len(la_codes_in(timeliness, p))
              for p in ("2019", "2020", "2021", "2022", "2023", "2024")}
    assert counts == {"2019": 151, "2020": 151, "2021": 152, "2022": 152, "2023": 151,
                      "2024": 153}
    # Northamptonshire split in 2021, Cumbria in 2023; Leicester and the Isle of Wight
    # have no 2023 timeliness rows at all.
    assert "928" in la_codes_in(timeliness, "2020")
    assert {"940", "941"} <= la_codes_in(timeliness, "2021")
    assert "928" not in la_codes_in(timeliness, "2021")
    assert {"942", "943"} <= la_codes_in(timeliness, "2023")
    assert {"856", "921", "909"}.isdisjoint(la_codes_in(timeliness, "2023"))


def test_england_is_the_national_row_not_a_sum_of_las(timeliness):
    """2022: four LAs withheld as x; England's row still counts their plans."""
    las = [o for o in timeliness.observations
           if o.indicator == "ehcp_issued_20_weeks" and o.period == "2022" and o.level == "la"
           and o.breakdown == "All"]
    withheld = sorted(o.area_code for o in las if o.denominator is None)
    assert withheld == ["211", "311", "869", "926"]
    summed_numerator = sum(o.numerator for o in las if o.numerator is not None)
    summed_denominator = sum(o.denominator for o in las if o.denominator is not None)
    assert (summed_numerator, summed_denominator) == (31226, 64641)
    england = timeliness.get("ehcp_issued_20_weeks", "2022", ENGLAND)
    assert figures(england) == (47.7, 31226, 65512)
    assert round(100 * summed_numerator / summed_denominator, 1) == 48.3 != england.value


def test_every_breakdown_is_read(timeliness):
    hull = [o for o in timeliness.observations
            if o.indicator == "ehcp_issued_20_weeks" and o.period == "2024"
            and o.area_code == HULL]
    topics = collections.Counter(o.breakdown_topic for o in hull)
    assert set(topics) == {"All EHC plans issued", "Child or young persons age", "Ethnicity",
                           "Sex"}
    assert topics["All EHC plans issued"] == 1
    assert [o.breakdown for o in hull if o.breakdown_topic == "All EHC plans issued"] == ["All"]
    female = timeliness.get("ehcp_issued_20_weeks", "2024", HULL, "Female")
    assert female.breakdown_topic == "Sex"
    assert female.breakdown_key == "Sex: Female"


def test_unknown_is_both_a_sex_and_an_age_so_the_key_carries_the_topic(timeliness):
    with pytest.raises(ValueError, match="name the topic"):
        timeliness.get("ehcp_issued_20_weeks", "2023", ENGLAND, "Unknown")
    by_sex = timeliness.get("ehcp_issued_20_weeks", "2023", ENGLAND, "Unknown", "Sex")
    by_age = timeliness.get("ehcp_issued_20_weeks", "2023", ENGLAND, "Unknown",
                            "Child or young persons age")
    assert by_sex != by_age
    assert {by_sex.breakdown_key, by_age.breakdown_key} == {
        "Sex: Unknown", "Child or young persons age: Unknown"}


@pytest.mark.parametrize("name", ["timeliness_20_week.csv", "requests.csv",
                                  "annual_reviews.csv"])
def test_breakdown_key_is_unique_within_an_area_and_period(name):
    dfe_file = read_ehc_file(real(EHC / name))
    keys = collections.Counter((o.indicator, o.period, o.area_code, o.breakdown_key)
                               for o in dfe_file.observations)
    assert keys.most_common(1)[0][1] == 1


@pytest.mark.parametrize("name", ["timeliness_20_week.csv", "annual_reviews.csv"])
def test_published_value_is_numerator_over_denominator_to_rounding(name):
    """Where DfE's base is known, value = 100 * numerator / denominator to 1 decimal place."""
    dfe_file = read_ehc_file(real(EHC / name))
    checked = 0
    for o in dfe_file.observations:
        if o.value is not None and o.denominator:
            assert abs(o.value - 100 * o.numerator / o.denominator) <= 0.05 + 1e-9, o
            checked += 1
    assert checked > 10000


# --- the real requests file ------------------------------------------------------------------

@pytest.mark.parametrize(("period", "code", "expected"), [
    ("2023", ENGLAND, (84.8, 111723, 131586)),
    ("2024", ENGLAND, (84.8, 126160, 148753)),
    ("2023", HULL, (86.3, 708, 820)),
    ("2024", HULL, (68.3, 542, 793)),
    ("2023", "E12000001", (94.2, 5577, 5921)),
    ("2024", "E12000003", (79.8, 11545, 14454)),
    ("2024", "E12000008", (83.4, 19306, 23090)),
])
def test_requests_published_values(requests_file, period, code, expected):
    assert requests_file.kind == "requests"
    obs = requests_file.get("ehc_requests_decided_6_weeks", period, code)
    assert figures(obs) == expected
    assert obs.breakdown_topic == "All requests for EHC needs assessments"


@pytest.mark.parametrize("period", ["2019", "2020", "2021", "2022"])
def test_requests_before_2023_have_no_six_week_figure(requests_file, period):
    """The aggregate collection before 2023 did not give the 6-week split: all x."""
    for code in (ENGLAND, "E12000003", HULL):
        obs = requests_file.get("ehc_requests_decided_6_weeks", period, code)
        assert (obs.value, obs.suppression, obs.numerator, obs.denominator) == (
            None, "x", None, None)


def test_requests_la_count_per_year(requests_file):
    counts = {p: len(la_codes_in(requests_file, p))
              for p in ("2019", "2020", "2021", "2022", "2023", "2024")}
    assert counts == {"2019": 151, "2020": 151, "2021": 152, "2022": 152, "2023": 153,
                      "2024": 153}


def test_requests_england_differs_from_the_sum_of_las_in_2023(requests_file):
    las = [o for o in requests_file.observations if o.period == "2023" and o.level == "la"
           and o.breakdown == "All"]
    assert sorted(o.area_code for o in las if o.numerator is None) == ["204", "856", "921"]
    assert sum(o.numerator for o in las if o.numerator is not None) == 110943
    assert requests_file.get("ehc_requests_decided_6_weeks", "2023", ENGLAND).numerator == 111723


def test_requests_denominator_is_a_count_not_dfes_base(requests_file):
    """The published percentage is kept; the sum of within and over is not DfE's base."""
    rochdale = requests_file.get("ehc_requests_decided_6_weeks", "2023", "354",
                                 "Any other ethnic group", "Ethnicity")
    assert figures(rochdale) == (33.3, 1, 1)
    headline = [o for o in requests_file.observations
                if o.breakdown == "All" and o.level in ("national", "regional")
                and o.value is not None]
    assert len(headline) == 20
    assert max(abs(o.value - 100 * o.numerator / o.denominator) for o in headline) < 0.25


# --- the real annual reviews file ------------------------------------------------------------

def test_annual_reviews_duplicated_column_is_ignored_deliberately(reviews):
    """review_meeting_prior_24 is columns R and S, the same in every row, and not used."""
    assert reviews.kind == "annual_reviews"
    assert reviews.ignored_duplicate_columns == ("review_meeting_prior_24",)
    with open(real(EHC / "annual_reviews.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    at = [i for i, name in enumerate(rows[0]) if name == "review_meeting_prior_24"]
    assert at == [17, 18]
    assert all(row[17] == row[18] for row in rows)


@pytest.mark.parametrize(("code", "expected"), [
    (ENGLAND, (44.4, 154924, 348759)),
    (HULL, (29.3, 664, 2263)),
    ("E12000002", (48.9, 24912, 50969)),
    ("E12000007", (39.6, 18472, 46703)),
    ("373", (79.2, 3823, 4825)),
    ("876", (100.0, 1270, 1270)),  # Halton: every decision within 4 weeks
])
def test_annual_review_published_values(reviews, code, expected):
    obs = reviews.get("ehc_review_decisions_4_weeks", "2024", code)
    assert figures(obs) == expected
    assert obs.period_kind == "Calendar year"


def test_annual_reviews_suppressed_las(reviews):
    # Blackpool and Reading could not return reviews; five more are held pending checks.
    withheld = sorted(o.area_code for o in reviews.observations if o.level == "la"
                      and o.breakdown == "All" and o.numerator is None)
    assert withheld == ["317", "320", "870", "879", "890", "919", "936"]
    # Thurrock recorded no decisions at all: 0 of 0, published as x.
    thurrock = reviews.get("ehc_review_decisions_4_weeks", "2024", "883")
    assert (thurrock.value, thurrock.suppression, thurrock.numerator, thurrock.denominator) == (
        None, "x", 0, 0)
    assert len(la_codes_in(reviews, "2024")) == 153
    las = [o for o in reviews.observations if o.level == "la" and o.breakdown == "All"]
    assert sum(o.numerator for o in las if o.numerator is not None) == 151480
    assert reviews.get("ehc_review_decisions_4_weeks", "2024", ENGLAND).numerator == 154924


def test_recognised_by_columns_not_file_name(tmp_path):
    renamed = tmp_path / "downloaded (3).csv"
    shutil.copy(real(EHC / "requests.csv"), renamed)
    assert read_ehc_file(renamed).kind == "requests"


def test_a_real_file_of_another_kind_is_refused_naming_the_expected_columns():
    with pytest.raises(UnknownDfeFileError) as caught:
        read_ehc_file(real(EHC / "newplans.csv"))
    message = str(caught.value)
    assert "newplans.csv" in message
    for column in ("pc_plans_issued_within_20_weeks", "request_outcome_six_weeks_pc",
                   "pc_decsion_4weeks"):
        assert column in message


# --- match by code: one Hull, whatever its spelling ------------------------------------------

def test_hull_is_one_la_by_code_across_every_file(timeliness, requests_file, reviews,
                                                  neighbours, la_codes):
    names = {timeliness.get("ehcp_issued_20_weeks", "2024", HULL).area_name,
             requests_file.get("ehc_requests_decided_6_weeks", "2024", HULL).area_name,
             reviews.get("ehc_review_decisions_4_weeks", "2024", HULL).area_name,
             la_codes[HULL].name}
    assert names == {"Kingston upon Hull, City of", "Kingston Upon Hull, City of"}
    assert ("810", "Kingston Upon Hull, City of") in neighbours["861"]


def test_every_la_in_the_ehc_files_has_a_code_and_a_group(timeliness, requests_file, reviews,
                                                         neighbours, la_codes):
    for dfe_file in (timeliness, requests_file, reviews):
        codes = {o.area_code for o in dfe_file.observations if o.level == "la"}
        assert codes <= set(la_codes)
    assert la_codes_in(reviews, "2024") == set(neighbours)


def test_buckinghamshire_new_code_changes_by_year_so_the_old_code_is_the_key(timeliness):
    new = {p: timeliness.get("ehcp_issued_20_weeks", p, "825").new_la_code
           for p in ("2019", "2020", "2023", "2024")}
    assert new == {"2019": "E10000002", "2020": "E06000060", "2023": "E10000002",
                   "2024": "E10000002"}


# --- the real statistical neighbours and LA code list ----------------------------------------

def test_hulls_ten_statistical_neighbours_in_dfes_order(neighbours):
    assert neighbours[HULL] == [
        ("333", "Sandwell"), ("336", "Wolverhampton"), ("861", "Stoke-on-Trent"),
        ("335", "Walsall"), ("812", "North East Lincolnshire"), ("354", "Rochdale"),
        ("806", "Middlesbrough"), ("371", "Doncaster"), ("831", "Derby"),
        ("372", "Rotherham")]


def test_every_current_la_has_ten_neighbours(neighbours):
    assert len(neighbours) == 153
    assert all(len(group) == 10 for group in neighbours.values())
    assert neighbours["201"][0] == ("202", "Camden")  # City of London


def test_former_las_groups_only_when_asked():
    former = read_statistical_neighbours(real(SN / "sn_may_2025.xlsx"), include_former=True)
    assert len(former) == 158
    assert {"835", "836", "837", "909", "928"} == set(former) - set(
        read_statistical_neighbours(SN / "sn_may_2025.xlsx"))
    assert former["928"][0] == ("886", "Kent")
    assert former["836"][5] == ("835", "Dorset (Pre LG)")


def test_la_code_list(la_codes):
    assert la_codes[HULL] == LaCode("810", "Kingston Upon Hull, City of",
                                    "Yorkshire and The Humber", "UA")
    assert la_codes["301"].region == "Outer London"
    assert len(la_codes) == 158
    assert not {"970", "980", "990", "1000"} & set(la_codes)  # England and region totals
    assert list(la_codes)[:3] == ["301", "302", "370"]


# --- small files: layout and errors ----------------------------------------------------------

TIMELINESS = ("plans_issued_den,plans_issued_den_ex,plans_issued_within_20_weeks,"
              "plans_issued_20_weeks_ex,pc_plans_issued_within_20_weeks,"
              "PC_plans_issued_20_weeks_ex").split(",")
HEADER = [*ID_COLUMNS, *TIMELINESS]
NATIONAL = ["2024", "Calendar year", "National", "E92000001", "England", "", "", "", "", "",
            "All EHC plans issued", "All EHC plans issued"]
REGIONAL = ["2024", "Calendar year", "Regional", "E92000001", "England", "E12000003",
            "Yorkshire and The Humber", "", "", "", "Sex", "Female"]
LA = ["2024", "Calendar year", "Local authority", "E92000001", "England", "E12000003",
      "Yorkshire and The Humber", "E06000010", "810", "Kingston upon Hull, City of",
      "All EHC plans issued", "All EHC plans issued"]
GOOD = ["500", "500", "29", "29", "5.8", "5.8"]


def write(tmp_path, rows, header=HEADER, name="file.csv", bom=True):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def problems_of(path):
    with pytest.raises(DfeFileError) as caught:
        read_ehc_file(path)
    return caught.value.problems


def where(problems):
    return [(p.row, p.column) for p in problems]


def test_small_file_reads_every_level(tmp_path):
    result = read_ehc_file(write(tmp_path, [NATIONAL + GOOD, REGIONAL + GOOD, LA + GOOD]))
    assert result.kind == "timeliness_20_week"
    assert len(result.observations) == 6
    national, regional, la = (result.get("ehcp_issued_20_weeks", "2024", code, breakdown)
                              for code, breakdown in ((ENGLAND, "All"),
                                                      ("E12000003", "Female"), (HULL, "All")))
    assert (national.level, national.area_name, national.region_code) == (
        "national", "England", None)
    assert (regional.level, regional.breakdown_key, regional.region_code) == (
        "regional", "Sex: Female", "E12000003")
    assert (la.area_name, la.new_la_code, la.source_row) == (
        "Kingston upon Hull, City of", "E06000010", 4)


def test_byte_order_mark_or_none_reads_the_same(tmp_path):
    with_bom = write(tmp_path, [LA + GOOD], name="bom.csv")
    without = write(tmp_path, [LA + GOOD], name="plain.csv", bom=False)
    assert with_bom.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert without.read_bytes()[:3] != b"\xef\xbb\xbf"
    assert read_ehc_file(with_bom).observations == read_ehc_file(without).observations


def test_quoted_name_with_a_comma_is_one_field(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(LA[:9]) +
                    ',"Kingston upon Hull, City of",' + ",".join(LA[10:] + GOOD) + "\n",
                    encoding="utf-8-sig")
    assert read_ehc_file(path).observations[0].area_name == "Kingston upon Hull, City of"


def test_unquoted_comma_is_a_row_with_the_wrong_number_of_fields(tmp_path):
    path = tmp_path / "unquoted.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(NATIONAL + GOOD) + "\n"
                    + ",".join(LA + GOOD) + "\n", encoding="utf-8-sig")
    (problem,) = problems_of(path)
    assert problem.row == 3
    assert "19 fields where the header has 18" in problem.message
    assert str(problem).startswith("unquoted.csv, row 3: ")


def test_every_bad_value_is_listed_with_row_and_column(tmp_path):
    rows = [NATIONAL + ["500", "500", "29", "29", "abc", "5.8"],
            REGIONAL + GOOD,
            LA + ["-3", "500", "", "29", "5.8", "101"],
            LA[:10] + ["Sex", "Male"] + ["1,234", "n/a", "29", "29", "84.8%", "5.8"]]
    problems = problems_of(write(tmp_path, rows, name="bad.csv"))
    assert where(problems) == [
        (2, "pc_plans_issued_within_20_weeks"),
        (4, "plans_issued_within_20_weeks"),
        (4, "plans_issued_den"),
        (4, "PC_plans_issued_20_weeks_ex"),
        (5, "pc_plans_issued_within_20_weeks"),
        (5, "plans_issued_den"),
        (5, "plans_issued_den_ex"),
    ]
    text = [str(p) for p in problems]
    assert text[0] == ("bad.csv, row 2, column pc_plans_issued_within_20_weeks: 'abc' is not a "
                       "percentage or a DfE suppression code (x, z, c, low, u)")
    assert "is empty" in text[1]
    assert "'-3' is not a whole number" in text[2]
    assert "over 100" in text[3]
    assert "'84.8%'" in text[4] and "'1,234'" in text[5] and "'n/a'" in text[6]


@pytest.mark.parametrize("code", ["x", "z", "c", "low", "u", "X", "LOW"])
def test_suppression_codes_give_none_and_keep_the_code(tmp_path, code):
    obs = read_ehc_file(write(tmp_path, [LA + [code, "500", code, "29", code, "5.8"]])).get(
        "ehcp_issued_20_weeks", "2024", HULL)
    assert (obs.value, obs.suppression, obs.numerator, obs.denominator) == (
        None, code.lower(), None, None)


def test_missing_columns_are_each_named(tmp_path):
    header = [h for h in HEADER if h not in ("old_la_code", "plans_issued_den_ex")]
    rows = [[c for h, c in zip(HEADER, LA + GOOD, strict=True) if h in header]]
    problems = problems_of(write(tmp_path, rows, header=header))
    assert where(problems) == [(1, "old_la_code"), (1, "plans_issued_den_ex")]
    assert problems[0].message == "column old_la_code is missing from the header"


def test_column_case_does_not_matter(tmp_path):
    header = [h.upper() if h.startswith("pc_") else h.lower() for h in HEADER]
    obs = read_ehc_file(write(tmp_path, [LA + GOOD], header=header)).get(
        "ehcp_issued_20_weeks_ex", "2024", HULL)
    assert obs.value == 5.8


def test_duplicated_column_not_used_is_ignored_and_listed(tmp_path):
    header = [*HEADER, "review_meeting_prior_24", "review_meeting_prior_24"]
    result = read_ehc_file(write(tmp_path, [LA + GOOD + ["7", "8"]], header=header))
    assert result.ignored_duplicate_columns == ("review_meeting_prior_24",)
    assert len(result.observations) == 2


def test_duplicated_column_used_must_agree_in_every_row(tmp_path):
    header = [*HEADER, "pc_plans_issued_within_20_weeks"]
    path = write(tmp_path, [LA + GOOD + ["5.8"], NATIONAL + GOOD + ["6.0"]], header=header)
    (problem,) = problems_of(path)
    assert (problem.row, problem.column) == (3, "pc_plans_issued_within_20_weeks")
    assert "(Q and S) disagree: '5.8' and '6.0'" in problem.message
    agreeing = write(tmp_path, [LA + GOOD + ["5.8"]], header=header, name="agree.csv")
    assert read_ehc_file(agreeing).ignored_duplicate_columns == ()


def test_unknown_file_names_the_columns_expected(tmp_path):
    header = [*ID_COLUMNS, "new_ehc_plans"]
    with pytest.raises(UnknownDfeFileError) as caught:
        read_ehc_file(write(tmp_path, [LA + ["12"]], header=header, name="timeliness.csv"))
    (problem,) = caught.value.problems
    assert "none of the columns that tell them apart" in problem.message
    assert "timeliness_20_week.csv: pc_plans_issued_within_20_weeks" in problem.message
    assert "annual_reviews.csv: pc_decsion_4weeks" in problem.message
    assert problem.message.endswith("Its columns are: " + ", ".join(header))


def test_a_file_sharing_as_many_columns_of_two_kinds_is_unknown(tmp_path):
    header = [*ID_COLUMNS, "request_outcome_six_weeks_pc", "pc_decsion_4weeks"]
    with pytest.raises(UnknownDfeFileError, match="as many of the columns of requests as of "
                       "annual_reviews"):
        read_ehc_file(write(tmp_path, [], header=header))


def test_a_recognised_file_missing_a_measure_is_a_missing_column_not_unknown(tmp_path):
    header = [*ID_COLUMNS, "request_outcome_six_weeks", "request_outcome_over_6_weeks"]
    with pytest.raises(DfeFileError) as caught:
        read_ehc_file(write(tmp_path, [], header=header))
    assert not isinstance(caught.value, UnknownDfeFileError)
    assert where(caught.value.problems) == [(1, "request_outcome_six_weeks_pc")]


REQUESTS = ["request_outcome_six_weeks", "request_outcome_over_6_weeks",
            "request_outcome_six_weeks_pc", "requests_received_in_year"]


def test_requests_denominator_is_within_plus_over(tmp_path):
    rows = [LA + ["542", "251", "68.3", "811"], NATIONAL + ["100", "x", "x", "200"]]
    result = read_ehc_file(write(tmp_path, rows, header=[*ID_COLUMNS, *REQUESTS]))
    assert result.indicators == ("ehc_requests_decided_6_weeks",)
    assert figures(result.get("ehc_requests_decided_6_weeks", "2024", HULL)) == (68.3, 542, 793)
    national = result.get("ehc_requests_decided_6_weeks", "2024", ENGLAND)
    assert (national.value, national.suppression, national.numerator, national.denominator) == (
        None, "x", 100, None)


REVIEWS = ["review_meeting_prior_24", "review_meeting_prior_24", "number_decsion_4weeks",
           "number_decision_gt_4weeks", "pc_decsion_4weeks", "pc_decision_gt_4weeks"]


def test_annual_reviews_layout_with_its_duplicated_column(tmp_path):
    rows = [LA[:10] + ["All annual reviews", "All annual reviews",
                       "1300", "1300", "664", "1599", "29.3", "70.7"]]
    result = read_ehc_file(write(tmp_path, rows, header=[*ID_COLUMNS, *REVIEWS]))
    obs = result.get("ehc_review_decisions_4_weeks", "2024", HULL)
    assert figures(obs) == (29.3, 664, 2263)
    assert obs.breakdown_topic == "All annual reviews"
    assert result.ignored_duplicate_columns == ("review_meeting_prior_24",)


def test_only_the_all_row_is_renamed_all(tmp_path):
    rows = [LA + GOOD, LA[:10] + ["All ages", "Aged 10"] + GOOD,
            LA[:10] + ["Allocation", "Allocation"] + GOOD]
    breakdowns = {o.breakdown for o in read_ehc_file(write(tmp_path, rows)).observations}
    assert breakdowns == {"All", "Aged 10", "Allocation"}


def test_area_problems(tmp_path):
    rows = [LA[:2] + ["Ward"] + LA[3:] + GOOD,
            LA[:8] + ["81"] + LA[9:] + GOOD,
            LA[:7] + ["E6000010"] + LA[8:] + GOOD,
            REGIONAL[:5] + [""] + REGIONAL[6:] + GOOD,
            LA[:9] + [""] + LA[10:] + GOOD,
            ["24"] + LA[1:] + GOOD,
            LA[:10] + ["", "Female"] + GOOD]
    problems = problems_of(write(tmp_path, rows))
    assert where(problems) == [(2, "geographic_level"), (3, "old_la_code"), (4, "new_la_code"),
                               (5, "region_code"), (6, "la_name"), (7, "time_period"),
                               (8, "breakdown_topic")]
    assert "'Ward' is not one of National, Regional, Local authority" in problems[0].message
    assert "'81' is not a 3-digit LA code" in problems[1].message


def test_a_repeated_row_is_a_problem(tmp_path):
    problems = problems_of(write(tmp_path, [LA + GOOD, NATIONAL + GOOD, LA + GOOD]))
    assert where(problems) == [(4, "breakdown")]
    assert "repeats row 2" in problems[0].message


def test_blank_lines_are_skipped_but_counted(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(",".join(HEADER) + "\n\n" + ",".join(NATIONAL + GOOD) + "\n\n",
                    encoding="utf-8")
    (obs, _) = read_ehc_file(path).observations
    assert obs.source_row == 3


def test_not_utf8_and_empty_files(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes((",".join(HEADER) + "\n").encode() + "Caf\xe9".encode("latin-1"))
    (problem,) = problems_of(latin)
    assert "is not UTF-8 text" in problem.message
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf")
    assert "no header row" in problems_of(empty)[0].message


def test_problem_text_and_error_message():
    problem = Problem("f.csv", "is empty", row=3, column="la_name")
    assert str(problem) == "f.csv, row 3, column la_name: is empty"
    sheet = Problem("sn.xlsx", "is empty", row=4, column="SN2", sheet="LA SN Groups")
    assert str(sheet) == "sn.xlsx, sheet 'LA SN Groups', row 4, column SN2: is empty"
    error = DfeFileError([problem, sheet])
    assert str(error).splitlines() == ["2 problems:", f"- {problem}", f"- {sheet}"]


counts = st.integers(min_value=0, max_value=10**6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.tuples(counts, counts), st.sampled_from(["x", "z", "c"])),
                min_size=1, max_size=8))
def test_round_trip(tmp_path_factory, cells):
    """Whatever DfE publishes in the measure columns comes back exactly, row by row."""
    rows = []
    for n, cell in enumerate(cells):
        code = f"{300 + n}"
        if isinstance(cell, str):
            measures = [cell] * 6
        else:
            numerator, extra = cell
            den = numerator + extra
            value = f"{100 * numerator / den:.1f}" if den else "x"
            measures = [str(den), str(den), str(numerator), str(numerator), value, value]
        rows.append(LA[:8] + [code] + LA[9:] + measures)
    path = write(tmp_path_factory.mktemp("round"), rows)
    result = read_ehc_file(path)
    for row in rows:
        obs = result.get("ehcp_issued_20_weeks", "2024", row[8])
        den, _, numerator, _, value, _ = row[12:]
        codes = {"x", "z", "c"}
        assert obs.value == (None if value in codes else float(value))
        assert obs.suppression == (value if value in codes else None)
        assert obs.numerator == (None if numerator in codes else int(numerator))
        assert obs.denominator == (None if den in codes else int(den))


# --- small workbooks -------------------------------------------------------------------------

SN_HEADER = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"] + [
    name for n in range(1, 11) for name in (f"SN{n}", "SNP")]


def sn_row(code, name, neighbours, check=None):
    cells = [code, name, check if check is not None else code, 9, "Yorkshire and the Humber"]
    for neighbour in neighbours:
        cells += [neighbour, "Close"]
    return cells


def workbook(tmp_path, rows, name="sn.xlsx", title="LA SN Groups"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


LAS = {100 + n: f"LA {n}" for n in range(11)}


def groups():
    """Eleven LAs, each with the other ten as neighbours, nearest code first."""
    return [sn_row(code, name, [c for c in LAS if c != code]) for code, name in LAS.items()]


def sn_problems(path):
    with pytest.raises(DfeFileError) as caught:
        read_statistical_neighbours(path)
    return caught.value.problems


def test_neighbours_from_a_small_workbook_like_dfes(tmp_path):
    rows = [list("ABCDE"), list(range(1, 26)), SN_HEADER, *groups(), [],
            [None, "Old SNs:"], [], sn_row(909, "Cumbria", list(LAS)[:10])]
    path = workbook(tmp_path, rows)
    result = read_statistical_neighbours(path)
    assert list(result) == [str(c) for c in LAS]
    assert result["100"] == [(str(c), LAS[c]) for c in LAS if c != 100]
    assert "909" not in result
    assert read_statistical_neighbours(path, include_former=True)["909"][0] == ("100", "LA 0")


def test_codes_as_text_or_whole_floats(tmp_path):
    rows = groups()
    rows[0][0], rows[0][2], rows[0][5] = "100", 100.0, 101.0
    assert read_statistical_neighbours(workbook(tmp_path, [SN_HEADER, *rows]))["100"][0] == (
        "101", "LA 1")


def test_neighbour_problems_are_each_named(tmp_path):
    rows = groups()
    rows[0][5] = 100                 # its own neighbour
    rows[1][7] = rows[1][5]          # a repeated neighbour
    rows[2][9] = None                # a missing neighbour
    rows[3][11] = "ABC"              # not a code
    rows[4][13] = 999                # no row of its own
    rows[5][2] = 999                 # LA number disagrees with LA num
    rows.append(rows[6][:])          # LA listed twice
    problems = sn_problems(workbook(tmp_path, [SN_HEADER, *rows]))
    assert [(p.row, p.column) for p in problems] == [
        (2, "SN1"), (3, "SN2"), (4, "SN3"), (5, "SN4"), (7, "LA number"), (13, "LA num"),
        (6, "SN5")]
    messages = [p.message for p in problems]
    assert "LA 100 is named as its own neighbour" in messages[0]
    assert "already a neighbour" in messages[1]
    assert "every LA has ten neighbours" in messages[2]
    assert "'ABC' is not a 3-digit LA code" in messages[3]
    assert "differs from LA num" in messages[4]
    assert "listed again (first on row 8)" in messages[5]
    assert "neighbour 999 has no row of its own" in messages[6]
    assert all(p.sheet == "LA SN Groups" for p in problems)


def test_a_workbook_without_the_header_or_not_a_workbook(tmp_path):
    with pytest.raises(DfeFileError, match="no header row holding LA num, LA Name, SN1"):
        read_statistical_neighbours(workbook(tmp_path, [["Code", "Name"], [810, "Hull"]]))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("LA num,LA Name\n")
    with pytest.raises(DfeFileError, match="cannot be opened as an Excel .xlsx workbook"):
        read_statistical_neighbours(fake)


def test_la_codes_from_a_small_workbook(tmp_path):
    rows = [["LA Number", "LA Name", "Region", "Type"],
            [810, "Kingston Upon Hull, City of", "Yorkshire and The Humber", "UA"],
            ["301", "Barking and Dagenham", "Outer London", "OLB"],
            [970, "England", "NA", "NA"], [1000, "England (discontinued)", "NA", "NA"]]
    codes = read_la_codes(workbook(tmp_path, rows, name="codes.xlsx"))
    assert list(codes) == ["810", "301"]
    assert codes["301"] == LaCode("301", "Barking and Dagenham", "Outer London", "OLB")


def test_la_code_problems(tmp_path):
    rows = [["LA Number", "LA Name", "Region", "Type"],
            [810, "Hull", "Yorkshire and The Humber", "UA"],
            [81, "Short", "North West", "UA"],
            [810, "Again", "Yorkshire and The Humber", "UA"],
            [None, "No code", "North West", "UA"],
            [302, None, "Outer London", "OLB"]]
    with pytest.raises(DfeFileError) as caught:
        read_la_codes(workbook(tmp_path, rows, name="codes.xlsx", title="Sheet1"))
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "LA Number"), (4, "LA Number"), (5, "LA Number"), (6, "LA Name")]
    with pytest.raises(DfeFileError, match="no header row holding LA Number, LA Name, Region, "
                       "Type"):
        read_la_codes(workbook(tmp_path, [["LA Number", "LA Name", "Region"]], name="x.xlsx"))
