"""Truth in the edges (issue 13, item 6): DfE's real EHC plan files at their edges, through
the `lapis scorecard` command, the pages and the API, as a user meets them."""

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tests.integration.helpers import lapis

pytestmark = pytest.mark.django_db

EHC = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dfe-ehc-plans-2025"
FILES = ["timeliness_20_week.csv", "requests.csv", "annual_reviews.csv"]
REVIEWS = "ehc_review_decisions_4_weeks"
TIMELY = "ehcp_issued_20_weeks"


@pytest.fixture
def published(hull, dfe_published):
    """The three files as `lapis import_indicators` loads them (imported once per session in
    the test universe, restored here)."""
    if dfe_published is None:
        pytest.skip(f"DfE's published files are not here ({EHC}): they come from a public "
                    "repository beside the project and are never committed")
    dfe_published.restore()
    return EHC


@pytest.mark.parametrize("code", ["909", "928", "856", "921", "890", "883"])
def test_text_output_with_the_las_value_missing_and_englands_there(published, code):
    # 909 and 928 no longer exist in 2024, 890 and 883 have a withheld 2024 figure, and 856
    # and 921 have no 2023 row in timeliness_20_week.csv.
    for period, england in (("2024", "England 45.9%"), ("2023", "England 49.1%")):
        out, _ = lapis("scorecard", "--area", code, "--period", period, "--format", "text")
        assert out.startswith("Scorecard for ")
        assert england in out  # England's figure is still given, without a gap


def test_a_withheld_value_is_shown_withheld_with_its_reason(published, client, alice):
    out, _ = lapis("scorecard", "--area", "890", "--indicator", REVIEWS, "--format", "json")
    (line,) = json.loads(out)
    assert (line["period"], line["value"], line["england"]) == ("2024", None, 44.4)
    assert line["reason"] == "withheld (x): unavailable"
    out, _ = lapis("scorecard", "--area", "890", "--indicator", REVIEWS, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["period"], row["value"], row["reason"]) == (
        "2024", "withheld (x)", "withheld (x): unavailable")
    out, _ = lapis("scorecard", "--area", "890", "--indicator", REVIEWS)
    assert "2024: withheld (x): unavailable; England 44.4%" in out

    client.force_login(alice)
    assert client.get(f"/api/scorecard?indicator={REVIEWS}&area=890").json() == [line]
    page = client.get(f"/scorecard/indicators/{REVIEWS}/?area=890").content.decode()
    assert "There are no figures for Blackpool yet" not in page
    assert "Withheld (x): unavailable in 2024" in page
    assert "withheld (x)</td>" in page  # the chart's table
    lapis("scorecard_set", "Blackpool", "--indicator", REVIEWS, "--area", "890",
          "--partnership", "Hull")
    page = client.get("/scorecard/?area=890").content.decode()
    assert "withheld (x)</td>" in page and "Withheld (x): unavailable" in page
    assert "No figures" not in page
    download = client.get("/scorecard/?area=890&format=csv").content.decode()
    assert "withheld (x),44.4" in download.replace('"', "")


def test_no_change_is_reported_across_dfes_series_break(published, client, alice):
    out, _ = lapis("scorecard", "--area", "810", "--indicator", TIMELY, "--period", "2023")
    assert "Series break between 2022 and 2023" in out and "change of data source" in out
    client.force_login(alice)
    lapis("scorecard_set", "Timeliness", "--indicator", TIMELY, "--partnership", "Hull")
    page = client.get("/scorecard/?area=810&period=2023").content.decode()
    assert "Series break since 2022" in page
    assert not re.search(r"(Up|Down|Same) from .{0,200} in 2022", page, re.S)
    page = client.get("/scorecard/?area=810").content.decode()  # 2024 against 2023: fine
    assert re.search(r"(Up|Down|Same) from .{0,200} in 2023", page, re.S)
    page = client.get(f"/scorecard/indicators/{TIMELY}/?area=810").content.decode()
    assert "Series break between 2022 and 2023" in page
    assert "Data sources" in page  # the guidance it comes from
    assert 'class="lapis-chart-break"' in page and "Series break</text>" in page


def test_a_reorganised_la_shows_its_predecessors_series_with_a_note(published, client, alice):
    client.force_login(alice)
    page = client.get(f"/scorecard/indicators/{TIMELY}/?area=942").content.decode()
    assert "Cumbria (909) was replaced by Cumberland (942)" in page
    assert ">Cumbria (909)</th>" in page and ">Cumbria (909)</text>" in page
    assert "81.4%" in page and "67.2%" in page  # Cumbria's 2019 and 2022
    page = client.get(f"/scorecard/indicators/{TIMELY}/?area=941").content.decode()
    assert "Northamptonshire (928) was replaced by" in page
    assert "57.9%" in page and "21.7%" in page  # Northamptonshire's 2019 and 2020
    page = client.get(f"/scorecard/indicators/{TIMELY}/?area=810").content.decode()
    assert "was replaced by" not in page


def test_a_missing_year_leaves_a_gap_in_the_chart(published, client, alice):
    # Hackney's 2023 figure is withheld: 2019-2022 is one line, 2024 stands alone.
    client.force_login(alice)
    page = client.get(f"/scorecard/indicators/{TIMELY}/?area=204").content.decode()
    assert "withheld (x)</td>" in page
    lines = re.findall(r'<polyline points="([^"]+)" fill="none" stroke="#1d70b8"', page)
    assert [len(points.split()) for points in lines] == [4]


def test_json_numbers_carry_no_float_noise(published):
    noise = re.compile(r"\d\.\d*(00000\d|99999\d)")
    for code in ("810", "890", "204", "942", "926", "879"):
        out, _ = lapis("scorecard", "--area", code, "--format", "json")
        assert not noise.search(out), (code, noise.search(out))
    lapis("import_neighbours", str(EHC.parent / "dfe-statistical-neighbours" /
                                    "sn_may_2025.xlsx"))
    out, _ = lapis("scorecard", "--area", "890", "--indicator", "ehc_requests_decided_6_weeks",
                   "--format", "json")
    assert '"gap_england": 13.1,' in out and '"numerator": 378,' in out
    line = json.loads(out)[0]
    assert line["statistical_neighbours"] == round(line["statistical_neighbours"], 2)
