"""DfE's real EHC plan files through `lapis import_indicators`, as a user downloads them:
England, every region and every LA exactly as published, for every year and breakdown."""

import json
from pathlib import Path

import pytest

from lapis.scorecard import dfe
from lapis.scorecard.models import Area, Observation
from tests.integration.helpers import lapis

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EHC = DATA / "dfe-ehc-plans-2025"
FILES = ["timeliness_20_week.csv", "requests.csv", "annual_reviews.csv"]


@pytest.fixture
def published():
    if not EHC.is_dir():
        pytest.skip(f"DfE's published files are not here ({EHC}): they come from a public "
                    "repository beside the project and are never committed")
    return EHC


@pytest.mark.parametrize("name", FILES)
def test_every_figure_is_stored_exactly_as_published(published, name):
    out, _ = lapis("import_indicators", str(published / name))
    expected = dfe.read_ehc_file(published / name).observations
    assert f"{len(expected)} new" in out
    stored = {
        (key, code, period, breakdown): (value, numerator, denominator, suppressed)
        for key, code, period, breakdown, value, numerator, denominator, suppressed
        in Observation.objects.values_list(
            "indicator__key", "area__code", "period", "breakdown", "value", "numerator",
            "denominator", "suppressed")
    }
    assert len(stored) == len(expected)
    for o in expected:
        assert stored[(o.indicator, o.area_code, o.period, o.breakdown_key)] == (
            o.value, o.numerator, o.denominator, o.suppression or ""), o
    out, _ = lapis("import_indicators", str(published / name))
    assert f"0 new, 0 updated, {len(expected)} unchanged" in out


def test_hull_against_england_its_region_and_neighbours(published, hull):
    for name in FILES:
        lapis("import_indicators", str(published / name))
    neighbours = DATA / "dfe-statistical-neighbours" / "sn_may_2025.xlsx"
    lapis("import_neighbours", str(neighbours))
    assert Area.objects.filter(code="810").count() == 1  # "Upon" and "upon": one LA, by code
    out, _ = lapis("scorecard", "--area", "810", "--format", "json", "--indicator",
                   "ehcp_issued_20_weeks_ex", "--indicator", "ehcp_issued_20_weeks")
    excluding, including = json.loads(out)
    assert (excluding["period"], excluding["value"], excluding["england"]) == ("2024", 5.8, 46.4)
    assert (including["rank"], including["quartile"]) == (150, "D")
    assert excluding["region"] == 56.7 and excluding["statistical_neighbours"] is not None
    out, _ = lapis("scorecard", "--area", "810", "--format", "json", "--period", "2023",
                   "--indicator", "ehcp_issued_20_weeks_ex")
    assert json.loads(out)[0]["value"] == 28.5


def test_the_indicator_page_names_hulls_ten_neighbours(published, client, alice):
    lapis("import_indicators", str(published / "timeliness_20_week.csv"))
    lapis("import_neighbours", str(DATA / "dfe-statistical-neighbours" / "sn_may_2025.xlsx"))
    client.force_login(alice)
    page = client.get("/scorecard/indicators/ehcp_issued_20_weeks/?area=810").content.decode()
    assert "Statistical neighbours in 2024" in page
    for name in ("Sandwell (333)", "Rotherham (372)", "Stoke-on-Trent (861)"):
        assert name in page
    assert "Sex: Female" in page  # a breakdown, with its topic
