"""The inclusion scorecard in Chromium with axe-core (WCAG 2.2 AA): the council view and the
shared view, every chart beside its table, a school's page, the upload page, and choosing a
view with the keyboard alone. Screenshots go to /tmp for a person to look at."""

import os

import pytest
from django.contrib.auth import get_user_model

from lapis.demo import inclusion as demo
from lapis.inclusion.models import School
from lapis.partnership.models import Membership, Role
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")
PASSWORD = "correct horse battery"


@pytest.fixture
def schools(scales, hull):
    demo.load(hull)
    return hull


def signed_in(page, live_server, username):
    sign_in(page, live_server, username, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def assert_every_chart_has_its_table(page):
    charts = page.locator("main svg[role=img]")
    assert charts.count() >= 1
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.locator("title").text_content()
        assert chart.locator("desc").text_content()
        # the table sits beside the chart, in the next column of the same row
        table = chart.locator("xpath=ancestor::div[contains(@class,'govuk-grid-row')][1]"
                              "//table")
        assert table.count() == 1 and table.locator("caption").inner_text()
        assert table.locator("tbody tr").count() >= 2


def test_the_council_view_is_accessible(schools, alice, page, live_server):
    page = signed_in(page, live_server, "alice")
    for by in ("school", "trust", "locality"):
        page.goto(f"{live_server.url}/inclusion/?measure=suspensions&by={by}")
        assert page.get_by_role("heading", level=1).inner_text() == "Inclusion scorecard"
        assert "Council view" in page.locator("#which-view").inner_text()
        assert_every_chart_has_its_table(page)
        assert_accessible(page)
    page.goto(f"{live_server.url}/inclusion/?measure=attendance&by=school")
    page.screenshot(path=f"{SHOTS}/lapis-inclusion-council.png", full_page=True)
    assert_accessible(page)


def test_the_shared_view_is_accessible_and_withholds_small_counts(schools, page,
                                                                   live_server):
    user = get_user_model().objects.create_user("fran", password=PASSWORD)
    Membership.objects.create(user=user, partnership=schools, role=Role.FORUM)
    page = signed_in(page, live_server, "fran")
    page.goto(f"{live_server.url}/inclusion/?measure=suspensions&period=2024/25%20Autumn")
    assert "Shared view" in page.locator("#which-view").inner_text()
    table = page.locator("#figures").inner_text()
    assert "fewer than 5" in table
    assert "fewer than 5" in page.locator("main svg").inner_html()
    assert_every_chart_has_its_table(page)
    page.screenshot(path=f"{SHOTS}/lapis-inclusion-shared.png", full_page=True)
    assert_accessible(page)
    school = School.objects.get(urn="900001")
    page.goto(f"{live_server.url}/inclusion/schools/{school.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == school.name
    assert "Shared view" in page.locator("#which-view").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-inclusion-school.png", full_page=True)
    assert_accessible(page)


def test_the_load_page_is_accessible_with_its_errors(schools, alice, page, live_server,
                                                     tmp_path):
    page = signed_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/inclusion/load/")
    assert_accessible(page)
    bad = tmp_path / "bad.csv"
    bad.write_text("URN,School,Phase,Measure,Period,Count\n1,X,Infant,Nope,2024,x\n")
    page.get_by_label("File of figures").set_input_files(str(bad))
    page.get_by_role("button", name="Load figures").click()
    assert page.title().startswith("Error: ")
    assert "nothing was changed" in page.locator(".govuk-error-summary").inner_text().lower()
    page.screenshot(path=f"{SHOTS}/lapis-inclusion-load-error.png", full_page=True)
    assert_accessible(page)


def test_choosing_a_view_with_the_keyboard_alone(schools, alice, page, live_server):
    page = signed_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/inclusion/")
    page.locator("#f-measure").focus()
    page.keyboard.press("Tab")  # period
    page.keyboard.press("Tab")  # show by
    page.keyboard.press("ArrowDown")  # School -> Trust
    page.keyboard.press("Tab")  # the shared view checkbox
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "by=trust" in page.url and "shared=1" in page.url
    assert "Shared view" in page.locator("#which-view").inner_text()
    assert "Illustrative Learning Trust" in page.locator("#figures").inner_text()
    assert_accessible(page)
