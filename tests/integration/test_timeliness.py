"""`lapis timeliness`, `lapis at_risk`, their API and pages on the hand-built example set in
src/lapis/cases/examples/, whose answers EXPECTED.md works out by hand."""

import json

import pytest
from django.contrib.auth import get_user_model

from lapis.partnership.models import Membership, Role
from lapis.scorecard.models import Observation
from tests.integration.helpers import lapis
from tests.unit.test_timeliness_rules import EXAMPLES, expected

pytestmark = pytest.mark.django_db
PERIOD = ["--period", "2024", "--as-of", "2025-01-31"]


@pytest.fixture
def cases(hull):
    hull.la_code = "810"
    hull.save()
    out, _ = lapis("import_cases", str(EXAMPLES), "--partnership", "Hull")
    assert "timeliness figures written to the scorecard" in out
    return hull


def member(username, partnership, role):
    user = get_user_model().objects.create_user(username, password="correct horse battery")
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


def test_the_command_reproduces_the_hand_worked_answers(cases):
    out, _ = lapis("timeliness", *PERIOD, "--format", "json")
    result = json.loads(out)
    want = expected("timeliness")
    for key in ("six_week", "twenty_week", "sixteen_week", "review_decisions",
                "amended_plans", "reviews_overdue", "withdrawn", "undecided", "cases"):
        assert result[key] == want[key], key
    assert result["six_week"] == {"decided": 16, "within": 12, "rate": 75.0}
    out, _ = lapis("timeliness", *PERIOD, "--by", "quarter", "--format", "json")
    assert json.loads(out)["breakdown"] == expected("breakdown by quarter")


def test_text_and_csv_output(cases):
    out, _ = lapis("timeliness", *PERIOD)
    assert "Decisions to assess within 6 weeks: 12 of 16 (75.0%)" in out
    assert "excluding exceptions: 3 of 4 (75.0%)" in out
    out, _ = lapis("timeliness", *PERIOD, "--format", "csv")
    assert "All,twenty_week,6,4,66.7" in out


def test_the_api_gives_the_same_and_hides_case_ids_from_a_viewer(client, cases):
    client.force_login(member("pat", cases, Role.PROGRAMME_MANAGER))
    result = client.get("/api/cases/timeliness?period=2024&as_of=2025-01-31").json()
    assert result["twenty_week"] == expected("timeliness")["twenty_week"]
    assert result["cases"] == expected("timeliness")["cases"]
    client.force_login(member("vic", cases, Role.VIEWER))
    counts = client.get("/api/cases/timeliness?period=2024&as_of=2025-01-31").json()
    assert "cases" not in counts and counts["six_week"]["rate"] == 75.0
    risk = client.get("/api/cases/at-risk?as_of=2025-01-31").json()
    assert isinstance(risk["open"], dict) and isinstance(risk["reviews_overdue"], int)


def test_a_viewer_sees_no_case_ids_on_the_pages(client, cases):
    want = expected("timeliness")["cases"]["six_week"]
    some_id = next(ids[0] for ids in want.values() if ids)
    client.force_login(member("pat", cases, Role.PROGRAMME_MANAGER))
    for url in ("/cases/?period=2024&as_of=2025-01-31", "/cases/at-risk/?as_of=2025-01-31"):
        assert client.get(url).status_code == 200
    assert some_id in client.get("/cases/?period=2024&as_of=2025-01-31").content.decode()
    for role in (Role.VIEWER, Role.FORUM, Role.LEAD, Role.BOARD_MEMBER):
        client.force_login(member(f"u-{role}", cases, role))
        for url in ("/cases/?period=2024&as_of=2025-01-31", "/cases/at-risk/?as_of=2025-01-31",
                    "/cases/quality/"):
            page = client.get(url).content.decode()
            assert "lapis-case-ids" not in page and some_id not in page, (role, url)
            assert "Case-level data" in page


def test_the_figures_feed_the_scorecard(cases):
    year = Observation.objects.get(indicator__key="cases_ehcp_issued_20_weeks",
                                   period="2024", partnership=cases)
    assert (year.value, year.numerator, year.denominator) == (66.7, 4, 6)
    assert Observation.objects.filter(indicator__key="cases_requests_decided_6_weeks",
                                      period__startswith="2024-", partnership=cases).exists()
    out, _ = lapis("scorecard", "--area", "810", "--indicator", "cases_ehcp_issued_20_weeks",
                   "--period", "2024", "--format", "json")
    assert json.loads(out)[0]["value"] == 66.7
