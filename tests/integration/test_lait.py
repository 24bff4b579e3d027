"""`lapis import_lait` and `lapis scorecard` on LAIT's figures, checked against an
independent computation of LAIT's method (plain Python, written here from LAIT's README, not
from lapis.scorecard.rules) over every measure with a direction and every LA: the slice
committed in tests/fixtures/lait, and the whole file from ../shared where it is present."""

import csv
import json
import math
import os
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lapis.core.actors import System
from lapis.core.history import history
from lapis.scorecard import actions, queries
from lapis.scorecard.management.commands.scorecard import _Operator
from lapis.scorecard.models import Area, Indicator, Observation
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db

SLICE = Path(__file__).resolve().parents[1] / "fixtures" / "lait"
BDS, DICTIONARY = SLICE / "bds_slice.parquet", SLICE / "lait_data_dictionary.csv"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dfe-lait"
NOT_LAS = {970} | set(range(980, 991))


# -- LAIT's method, independently ---------------------------------------------------------

def number(text):
    return None if text in ("-", "c", "x", "..", "", None) else float(text)


def q7(values, p):
    x = sorted(values)
    index = (len(x) - 1) * p
    lo = math.floor(index)
    h = index - lo
    if lo + 1 >= len(x) or h == 0:
        return x[lo]
    return (1 - h) * x[lo] + h * x[lo + 1]  # R's quantile(type = 7)


def band(value, values, polarity):
    q1, q2, q3 = (q7(values, p) for p in (0.25, 0.5, 0.75))
    quarter = 0 if value <= q1 else 1 if value <= q2 else 2 if value <= q3 else 3
    return "ABCD"[quarter] if polarity == "Low" else "DCBA"[quarter]


def rank(value, values, polarity):
    better = [v for v in values if (v > value if polarity == "High" else v < value)]
    return 1 + len(better)


def year_of(label):
    return int(label[:4])


def expected(rows, dictionary):
    """{(measure, LA code): (period, value, england, region, rank, band)} for LAIT's latest
    period of each measure with a direction."""
    by_measure = defaultdict(list)
    for row in rows:
        by_measure[row["Short Desc"]].append(row)
    out = {}
    for code, measure_rows in by_measure.items():
        entry = dictionary[code]
        if entry["Polarity"] not in ("High", "Low"):
            continue
        latest = max((r["Years"] for r in measure_rows if r["Years"] != "0"), key=year_of)
        cells = {int(r["LA Number"]): number(r["Values"]) for r in measure_rows
                 if r["Years"] == latest}
        las = {k: v for k, v in cells.items() if k not in NOT_LAS}
        present = [v for v in las.values() if v is not None]
        for la, value in las.items():
            out[code, str(la)] = (latest, value, cells.get(970), rank(
                value, present, entry["Polarity"]) if value is not None else None,
                band(value, present, entry["Polarity"]) if value is not None and entry[
                    "No_Quartile"] != "N" else None)
    return out


def dictionary_of(path):
    """A measure the dictionary lists twice (under two topics) shows no quartile if either
    row says so (CINPermExclusion: `N` under Children in Need, `NA` under Absence)."""
    out = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            held = out.setdefault(row["Measure_short"], row)
            if row["No_Quartile"] == "N":
                held["No_Quartile"] = "N"
    return out


def check_all(rows, dictionary, codes=None, every=1):
    """Every LA's line (or every `every`th LA's) for every measure with a direction equals
    the independent answer; the ranks and bands are still among all LAs."""
    want = expected(rows, dictionary)
    measures = sorted({m for m, _ in want} if codes is None else codes)
    indicators = list(Indicator.objects.filter(key__in=measures))
    assert len(indicators) == len(measures)
    compared = 0
    for area in Area.objects.filter(level="la", code__in={la for _, la in want}).order_by(
            "code")[::every]:
        for line in queries.scorecard(indicators, area, user=_Operator()):
            if (line.indicator, area.code) not in want:
                continue
            period, value, england, rank_, band_ = want[line.indicator, area.code]
            assert (line.period, line.value, line.england, line.rank, line.quartile) == (
                period, value, england, rank_, band_), (line.indicator, area.code)
            compared += 1
    return compared


@pytest.fixture
def imported():
    lapis("import_lait", str(BDS), "--dictionary", str(DICTIONARY))
    return pq.read_table(BDS).to_pylist(), dictionary_of(DICTIONARY)


def test_every_measure_becomes_an_indicator_with_the_dictionarys_details(imported):
    _, dictionary = imported
    assert set(Indicator.objects.filter(topic__gt="").values_list("key", flat=True)) == set(
        dictionary)
    sen = Indicator.objects.get(key="SEN_EHC_Excpt_20wks")
    assert (sen.polarity, sen.topic, sen.year_type) == ("higher", "Children with SEN",
                                                         "Calendar Year")
    assert Indicator.objects.get(key="CINPermAbsent_3Term").no_quartile
    assert Indicator.objects.get(key="10_ICPC").polarity == "neither"
    assert Indicator.objects.get(key="Hosp_Adm_Alc_<18yrs").dps == 2
    assert Area.objects.get(code="E92000001").level == "national"
    assert Area.objects.get(code="810").region.code == "E12000003"


def test_figures_equal_laits_method_for_every_measure_and_la(imported):
    rows, dictionary = imported
    assert check_all(rows, dictionary) > 9 * 140


def test_periods_keep_their_labels(imported):
    labels = set(Observation.objects.filter(indicator__key="A3A").values_list("period",
                                                                              flat=True))
    assert labels == {"2020 (Final)", "2021 (Final)", "2022 (Rev)"}
    assert set(Observation.objects.filter(indicator__key="Hosp_Adm_Alc_<18yrs").values_list(
        "period", flat=True)) == {"2019/20-21/22", "2020/21-22/23", "2021/22-23/24"}


def test_the_scorecard_command_answers_for_a_lait_measure(imported):
    rows, _ = imported
    hull = {r["Years"]: number(r["Values"]) for r in rows
            if r["Short Desc"] == "Hosp_Adm_Alc_<18yrs" and r["LA Number"] == 810}
    out, _ = lapis("scorecard", "--indicator", "Hosp_Adm_Alc_<18yrs", "--area", "810",
                   "--format", "json")
    line = json.loads(out)[0]
    assert line["period"] == "2021/22-23/24"
    shown = float(Decimal(str(hull["2021/22-23/24"])).quantize(Decimal("0.01"), ROUND_HALF_UP))
    assert line["value"] == shown
    assert {"value", "england", "region", "statistical_neighbours", "rank", "quartile",
            "period"} <= set(line)
    out, _ = lapis("scorecard", "--indicator", "Hosp_Adm_Alc_<18yrs", "--area", "810",
                   "--format", "json", "--period", "2019/20-21/22")
    assert json.loads(out)[0]["period"] == "2019/20-21/22"


def test_statistical_neighbours_are_the_mean_of_those_with_a_figure(imported):
    rows, _ = imported
    latest = {int(r["LA Number"]): number(r["Values"]) for r in rows
              if r["Short Desc"] == "SEN_EHC_Excpt_20wks" and r["Years"] == "2024"}
    missing = [la for la, v in latest.items() if v is None and la not in NOT_LAS][:2]
    having = [la for la, v in latest.items() if v is not None and la not in NOT_LAS
              and la != 810][:8]
    group = [(str(la), str(la)) for la in [*missing, *having]]
    actions.load_neighbours(groups={"810": group}, by=System("test"))
    out, _ = lapis("scorecard", "--indicator", "SEN_EHC_Excpt_20wks", "--area", "810",
                   "--format", "json")
    line = json.loads(out)[0]
    figures = [latest[la] for la in having]
    assert line["statistical_neighbours_count"] == len(figures)
    assert line["statistical_neighbours_of"] == len(group)
    assert line["statistical_neighbours"] == pytest.approx(sum(figures) / len(figures))


def test_reimporting_changes_nothing_and_a_dry_run_writes_nothing(imported):
    count = Observation.objects.count()
    out, _ = lapis("import_lait", str(BDS), "--dictionary", str(DICTIONARY), "--format",
                   "json")
    result = json.loads(out)
    assert (result["created"], result["updated"], result["removed"],
            result["indicators_created"], result["indicators_updated"]) == (0, 0, 0, 0, 0)
    assert result["unchanged"] == count
    assert Observation.objects.count() == count
    assert not history(Indicator.objects.get(key="RTA"))[1:]


def test_a_newer_file_updates_what_changed(imported, tmp_path):
    table = pq.read_table(BDS).to_pylist()
    for row in table:
        if row["Short Desc"] == "KS1P_EHCP" and row["Years"] == "2025 (prov)":
            row["Years"] = "2025"
            if row["LA Number"] == 810:
                row["Values"] = "99"
    newer = tmp_path / "newer.parquet"
    pq.write_table(pa.Table.from_pylist(table), newer)
    out, _ = lapis("import_lait", str(newer), "--dictionary", str(DICTIONARY), "--format",
                   "json")
    result = json.loads(out)
    changed = sum(1 for r in table if r["Short Desc"] == "KS1P_EHCP" and r["Years"] == "2025")
    assert (result["created"], result["removed"]) == (changed, changed)
    hull = Observation.objects.get(indicator__key="KS1P_EHCP", area__code="810",
                                   period="2025")
    assert hull.value == 99
    assert not Observation.objects.filter(period="2025 (prov)").exists()


def test_a_csv_with_the_same_columns_loads_the_same(tmp_path):
    rows = pq.read_table(BDS).to_pylist()
    path = tmp_path / "bds.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    lapis("import_lait", str(path), "--dictionary", str(DICTIONARY))
    assert check_all(rows, dictionary_of(DICTIONARY), ["SEN_EHC_Excpt_20wks", "RTA"]) > 250


def test_a_bad_row_is_refused_by_number_and_nothing_is_written(tmp_path):
    rows = pq.read_table(BDS).to_pylist()
    rows[40]["Values"] = "lots"
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    out, err = lapis_fails("import_lait", str(path), "--dictionary", str(DICTIONARY))
    assert "row 42, column 'Values': 'lots' is not a number" in err
    assert "nothing was imported" in err
    assert not Indicator.objects.filter(topic__gt="").exists()
    out, _ = lapis_fails("import_lait", str(path), "--dictionary", str(DICTIONARY),
                         "--format", "json")
    assert json.loads(out)["problems"][0] == {
        "row": 42, "column": "Values", "message": "'lots' is not a number, '-', 'c', 'x' or '..'"}


def test_a_dry_run_writes_nothing():
    out, _ = lapis("import_lait", str(BDS), "--dictionary", str(DICTIONARY), "--dry-run")
    assert out.startswith("Would import bds_slice.parquet: 12 measures (12 new")
    assert not Observation.objects.exists()


@pytest.mark.skipif(not (SHARED / "bds_long_0.parquet").is_file(),
                    reason="the whole LAIT file is not in ../shared/data/dfe-lait (it is "
                    "not committed; the slice test covers the method)")
@pytest.mark.skipif("postgresql" in os.environ.get("LAPIS_DATABASE_URL", ""),
                    reason="the whole file (641,070 rows, 90 s on PostgreSQL) runs once, in the "
                    "SQLite run; the slice tests above run the same import on PostgreSQL")
def test_the_whole_file_equals_laits_method():
    lapis("import_lait", str(SHARED / "bds_long_0.parquet"), "--dictionary",
          str(SHARED / "lait_data_dictionary.csv"))
    rows = pq.read_table(SHARED / "bds_long_0.parquet").to_pylist()
    dictionary = dictionary_of(SHARED / "lait_data_dictionary.csv")
    assert Observation.objects.filter(source=actions.LAIT_SOURCE).count() == 640900
    directed = sorted(c for c, e in dictionary.items() if e["Polarity"] in ("High", "Low"))
    chosen = directed[::3]  # every third measure with a direction: 108 of 322
    assert check_all(rows, dictionary, chosen, every=6) > 80 * 20  # every sixth LA
