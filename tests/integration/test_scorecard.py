"""The scorecard through `lapis import_indicators`, `lapis scorecard`, its pages and the API,
on a synthetic but complete set of figures: England, a region, 120 LAs and Hull."""

import csv
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lapis.scorecard.models import Area, Indicator, Observation, Target
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db

CATALOGUE = [
    ["key", "name", "unit", "polarity", "definition", "source"],
    ["timely", "Plans within 20 weeks", "%", "higher", "Issued in time", "test"],
    ["waits", "Children waiting over 52 weeks", "count", "lower", "", "test"],
]
LONG = ["indicator", "period", "area_code", "area_name", "breakdown", "value", "numerator",
        "denominator", "source"]


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


@pytest.fixture
def figures(hull, tmp_path):
    hull.la_code = "810"
    hull.save()
    lapis("import_indicators", write(tmp_path / "catalogue.csv", CATALOGUE), "--published")
    rows = [LONG]
    for year, hull_value, england in (("2023", 28.5, 49.2), ("2024", 5.8, 46.4)):
        rows.append(["timely", year, "810", "Kingston upon Hull, City of", "All", hull_value,
                     "", "", "t"])
        rows.append(["timely", year, "E92000001", "England", "All", england, "", "", "t"])
        for i in range(120):  # 120 other LAs: 1.0, 2.0, ... 120.0 % (a spread, with no ties)
            rows.append(["timely", year, f"{100 + i}", f"LA {i}", "All", float(i + 1), "", "",
                         "t"])
    rows.append(["waits", "2024-10", "810", "Hull", "All", 3, "", "", "local count"])
    lapis("import_indicators", write(tmp_path / "figures.csv", rows), "--published")
    lapis("import_indicators", write(tmp_path / "targets.csv", [
        ["indicator", "area_code", "breakdown", "baseline_value", "baseline_date",
         "target_value", "target_date", "milestones", "source"],
        ["timely", "810", "All", "28", "2024-01-01", "50", "2025-10-31", "", "Hull 4.6"],
        ["waits", "810", "All", "12", "2024-04-01", "0", "2025-03-31", "", "plan"],
    ]), "--partnership", "Hull")
    lapis("scorecard_set", "Strategic Board scorecard", "--indicator", "timely",
          "--indicator", "waits", "--partnership", "Hull")
    return hull


def test_the_scorecard_command_prints_the_documented_json(figures):
    out, _ = lapis("scorecard", "--format", "json", "--set", "Strategic Board scorecard")
    lines = json.loads(out)
    assert [set(line) for line in lines] == [{
        "indicator", "period", "value", "numerator", "denominator", "england", "region",
        "statistical_neighbours", "gap_england", "rank", "quartile", "target", "status",
        "reason"}] * 2
    timely, waits = lines
    assert (timely["indicator"], timely["period"], timely["value"], timely["england"]) == (
        "timely", "2024", 5.8, 46.4)
    assert timely["gap_england"] == pytest.approx(-40.6)
    # 121 LAs: values 1..120 and Hull's 5.8; five LAs (6..120 are above) -> rank 116.
    assert timely["rank"] == 116 and timely["quartile"] == "D"
    assert timely["status"] == "behind"
    assert timely["reason"].startswith("5.8% against a trajectory of ")
    # Lower is better: 3 waiting in October 2024 against a straight line from 12 (April 2024)
    # to 0 (March 2025), which expects about 5 by the end of October.
    assert waits["status"] == "ahead" and waits["rank"] is None  # too few LAs to rank
    assert waits["reason"].startswith("3 against a trajectory of 5 for Oct 2024")


def test_csv_and_text_output_and_a_chosen_period(figures):
    out, _ = lapis("scorecard", "--indicator", "timely", "--period", "2023", "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert rows[0]["value"] == "28.5" and rows[0]["period"] == "2023"
    out, _ = lapis("scorecard", "--indicator", "timely")
    assert "Plans within 20 weeks, 2024: 5.8%; England 46.4%, gap -40.6" in out


def test_bad_files_are_refused_naming_the_cell_and_change_nothing(figures, tmp_path):
    before = Observation.objects.count()
    _, error = lapis_fails("import_indicators", write(tmp_path / "bad.csv", [
        LONG, ["timely", "2024", "810", "Hull", "All", "lots", "", "", ""],
        ["timely", "Spring", "810", "Hull", "All", "5", "", "", ""],
        ["nope", "2024", "810", "Hull", "All", "5", "", "", ""],
    ]), "--published")
    assert "bad.csv, sheet 'bad', row 2, column F (value): value 'lots' is not a number" in error
    assert "row 3, column B (period)" in error
    assert Observation.objects.count() == before
    _, error = lapis_fails("import_indicators", write(tmp_path / "nope.csv", [
        LONG, ["nope", "2024", "810", "Hull", "All", "5", "", "", ""]]), "--published")
    assert "no indicator 'nope'" in error
    _, error = lapis_fails("import_indicators", write(tmp_path / "odd.csv", [["a", "b"]]))
    assert "the header row is not one LAPIS knows" in error


def test_reimport_changes_nothing_and_dry_run_writes_nothing(figures, tmp_path):
    rows = [LONG, ["timely", "2024", "810", "Hull", "All", "6.1", "", "", "revised"]]
    out, _ = lapis("import_indicators", write(tmp_path / "r.csv", rows), "--published",
                   "--dry-run")
    assert "Would import" in out and "1 updated" in out
    assert Observation.objects.get(area__code="810", period="2024").value == 5.8
    lapis("import_indicators", str(tmp_path / "r.csv"), "--published")
    out, _ = lapis("import_indicators", str(tmp_path / "r.csv"), "--published")
    assert "0 new, 0 updated, 1 unchanged" in out


def test_the_scorecard_page_and_its_query_count(client, alice, figures, tmp_path):
    client.force_login(alice)
    page = client.get("/scorecard/").content.decode()
    assert "Strategic Board scorecard" in page and "Quartile D" in page
    assert "5.8% against a trajectory of" in page

    def queries_for(count):
        keys = [f"extra{i}" for i in range(count)]
        write(tmp_path / f"cat{count}.csv", [CATALOGUE[0]] + [
            [k, k, "%", "higher", "", ""] for k in keys])
        lapis("import_indicators", str(tmp_path / f"cat{count}.csv"), "--published")
        lapis("scorecard_set", f"Set {count}", "--partnership", "Hull",
              *[a for k in keys for a in ("--indicator", k)])
        from lapis.scorecard.models import ScorecardSet

        chosen = ScorecardSet.objects.get(name=f"Set {count}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/scorecard/?set={chosen.pk}").status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(12)


def test_the_indicator_page_has_a_chart_with_its_table(client, alice, figures):
    client.force_login(alice)
    page = client.get("/scorecard/indicators/timely/?area=810").content.decode()
    assert "<svg" in page and "<title id=\"chart-title\">" in page and "<desc" in page
    assert "The chart&#x27;s figures" in page or "The chart's figures" in page
    assert page.count('<th scope="row" class="govuk-table__header">2023</th>') == 1
    response = client.get("/scorecard/indicators/timely/?area=810&format=xlsx")
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:3] == ["2023", 28.5, 49.2]


def test_the_api(client, alice, charlie, figures):
    client.force_login(alice)
    lines = client.get("/api/scorecard?indicator=timely").json()
    assert lines[0]["quartile"] == "D"
    targets = client.get("/api/scorecard/targets").json()
    assert {t["indicator"] for t in targets} == {"timely", "waits"}
    client.force_login(charlie)
    assert client.get("/api/scorecard/targets").json() == []  # Hull's targets are Hull's


def test_areas_are_matched_by_code_not_name(figures, tmp_path):
    lapis("import_indicators", write(tmp_path / "renamed.csv", [
        LONG, ["timely", "2022", "810", "Kingston Upon Hull, City of", "All", "30", "", "", ""]
    ]), "--published")
    assert Area.objects.filter(code="810").count() == 1
    assert Observation.objects.filter(area__code="810", indicator__key="timely").count() == 3
    assert Indicator.objects.get(key="timely").targets.count() == 1
    assert Target.objects.count() == 2


def test_benefits_realisation_shows_when_the_evidence_disagrees(client, alice, figures):
    lapis("link_measure", "4.6", "--indicator", "timely")  # 4.6: "On track no concerns"
    lapis("link_measure", "1.1", "--indicator", "waits")
    client.force_login(alice)
    sentence = ("rated On track no concerns; its measure, Plans within 20 weeks, is 5.8% "
                "against a trajectory to 50.0% by Oct 2025")
    register = client.get("/plan/").content.decode()
    assert register.count("Evidence disagrees") == 1 and "R" + sentence[1:] in register
    action = __import__("lapis.plans.models", fromlist=["Action"]).Action.objects.get(ref="4.6")
    page = client.get(f"/plan/actions/{action.pk}/").content.decode()
    assert f"The evidence disagrees with the rating: {sentence}." in page
    benefits = client.get("/scorecard/benefits/").content.decode()
    assert "0 of 2 measures realised; 1 where the evidence disagrees" in benefits
    _, error = lapis_fails("link_measure", "4.6", "--indicator", "timely", "--as", "charlie")
    assert "no active user" in error or "refused" in error


def test_the_gaps_computed_from_the_demo_data_match_plymouths_printed_gaps(hull):
    """The Plymouth SEF prints a GAP row under each attainment table. Loaded through the
    product, every gap it computes is within 0.1 of the printed one; the 14 that differ by
    exactly 0.1 are those the SEF computed from unrounded figures."""
    from lapis.demo import scorecard as demo_data
    from lapis.demo import scorecard_files as demo
    from lapis.partnership.models import Partnership
    from lapis.scorecard import queries
    from lapis.scorecard.management.commands.scorecard import _Operator as operator

    demo_data.load(Partnership.objects.get(name="Hull"))
    plymouth = Area.objects.get(code="879")
    with open(demo.PLYMOUTH_PRINTED_GAPS_CSV, encoding="utf-8") as handle:
        printed = list(csv.DictReader(handle))
    assert len(printed) == 99
    differing = []
    for row in printed:
        (line,) = queries.scorecard([Indicator.objects.get(key=row["indicator"])], plymouth,
                                    user=operator(), period=row["period"],
                                    breakdown=row["breakdown"])
        assert line.period == row["period"]
        difference = abs(line.gap_england - float(row["printed_gap"]))
        assert difference <= 0.1 + 1e-9, row
        if difference > 1e-9:
            differing.append((row["indicator"], row["period"], row["breakdown"]))
    assert len(differing) == 14
    assert ("eyfsp_gld", "2022/23", "SEN Support") in differing
    assert all(key.startswith(("eyfsp", "phonics", "ks2")) for key, _, _ in differing)


def test_programme_managers_make_scorecards_on_the_page(client, alice, figures):
    from django.contrib.auth import get_user_model

    from lapis.partnership.models import Membership, Role
    from lapis.scorecard.models import ScorecardSet

    client.force_login(alice)
    timely = Indicator.objects.get(key="timely")
    response = client.post("/scorecard/sets/new/", {"name": "Timeliness", "area": "",
                                                    "indicators": [timely.pk]})
    chosen = ScorecardSet.objects.get(name="Timeliness")
    assert response.status_code == 302 and response["Location"] == f"/scorecard/?set={chosen.pk}"
    assert [i.indicator.key for i in chosen.items.all()] == ["timely"]
    clash = client.post("/scorecard/sets/new/", {"name": "Timeliness", "indicators": [timely.pk]})
    assert clash.status_code == 400
    assert "already a scorecard with this name" in clash.content.decode()
    empty = client.post(f"/scorecard/sets/{chosen.pk}/edit/", {"name": "Timeliness"})
    assert empty.status_code == 400 and "Choose at least one indicator" in empty.content.decode()

    viewer = get_user_model().objects.create_user("vic", password="correct horse battery")
    Membership.objects.create(user=viewer, partnership=figures, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get("/scorecard/sets/new/").status_code == 403
    assert client.post(f"/scorecard/sets/{chosen.pk}/edit/", {
        "name": "Mine", "indicators": [timely.pk]}).status_code == 403
    assert ScorecardSet.objects.filter(name="Mine").count() == 0


def test_a_sef_table_in_the_wide_layout_loads_and_its_gaps_are_checked(hull, tmp_path):
    """Plymouth's KS2 table as its SEF prints it (years across, rows for the LA, national and
    gap); the area is named as the SEF names it. A mistyped gap is reported, not loaded."""
    from lapis.demo import scorecard as demo_data

    demo_data.load(hull)
    Observation.objects.filter(indicator__key="ks2_rwm_expected").delete()
    path = write(tmp_path / "ks2.csv", [
        ["Indicator: ks2_rwm_expected; years: academic-ending; source: Plymouth SEF"],
        ["Row", "2022", "2023", "2024"],
        ["Plymouth All", "59.0%", "59.8%", "62.5%"],
        ["National All", "59.0%", "59.9%", "61.1%"],
        ["GAP All", "0.0%", "-0.1%", "1.9%"],
    ])
    out, err = lapis("import_indicators", path, "--published")
    assert "Imported ks2.csv (wide): 6 new" in out
    assert "row 5, column D: the printed gap 1.9% is not 62.5 - 61.1 = 1.4" in err
    stored = Observation.objects.get(indicator__key="ks2_rwm_expected", area__code="879",
                                     period="2023/24", breakdown="All")
    assert stored.value == 62.5 and stored.source == "Plymouth SEF"
    _, error = lapis_fails("import_indicators", write(tmp_path / "bad.csv", [
        ["Indicator: ks2_rwm_expected"], ["Row", "2024"], ["Atlantis All", "5"]]))
    assert "row 3, column A" in error and "Atlantis" in error


def test_a_period_with_no_figures_is_said_so_not_replaced(figures):
    out, _ = lapis("scorecard", "--indicator", "timely", "--period", "2019", "--format", "json")
    (line,) = json.loads(out)
    assert (line["period"], line["value"], line["england"], line["rank"]) == (
        "2019", None, None, None)
