"""The quarterly EHC plan audit report in Chromium with axe-core (WCAG 2.2 AA): the demo
audits' 2024Q2 report, choosing another quarter with the form, and an empty quarter.
Screenshots are saved under /tmp for a person to open."""

import os

import pytest

from lapis.demo.quality import load_demo
from lapis.partnership.models import Partnership
from lapis.quality import frameworks
from lapis.quality.models import Criterion, Framework, Section
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def alice_page(scales, page, live_server, alice):
    # A live-server test flushes the database, the frameworks shipped by migration included.
    frameworks.load(Framework, Section, Criterion)
    hull = Partnership.objects.get(name="Hull")
    hull.la_code = "810"
    hull.save()
    load_demo(hull)
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_the_report_page_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/quality/reports/?quarter=2024Q2")
    assert page.get_by_role("heading", level=1).inner_text() == \
        "EHC plan audit report, 2024Q2"
    summary = page.locator("#summary").inner_text()
    assert summary == "24 plans audited; 66.7% good or better (16 of 24)."
    overall = page.locator("#overall")
    assert "Plans audited by overall grade" in overall.locator("caption").inner_text()
    # Hull's Q2 2024: no inadequate plans, 8% outstanding (2 of 24), section A 79% good.
    assert overall.locator("tbody tr").nth(0).locator("td").nth(0).inner_text() == "2"
    assert overall.locator("tbody tr").nth(3).locator("td").nth(0).inner_text() == "0"
    row_a = page.locator("#sections tbody tr").nth(0)
    assert row_a.locator("td").nth(1).inner_text() == "79.2%"
    assert page.locator("#change").inner_text().startswith("Up ")
    page.screenshot(path=f"{SHOTS}/lapis-qa-report.png", full_page=True)
    assert_accessible(page)

    page.get_by_label("Quarter", exact=True).select_option("2024Q1")
    with page.expect_navigation():
        page.get_by_role("button", name="Show the report").click()
    assert "quarter=2024Q1" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == \
        "EHC plan audit report, 2024Q1"
    assert_accessible(page)


def test_an_empty_quarter_and_a_bad_one(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/quality/reports/?quarter=2024Q3")
    assert page.locator("#summary").inner_text() == "There were no audits in this quarter."
    page.screenshot(path=f"{SHOTS}/lapis-qa-report-empty.png", full_page=True)
    assert_accessible(page)
    page.goto(live_server.url + "/quality/reports/?quarter=next-spring")
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-qa-report-error.png", full_page=True)
    assert_accessible(page)
