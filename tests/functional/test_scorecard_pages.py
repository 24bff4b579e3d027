"""The scorecard and an indicator page in Chromium with axe-core: every chart has its table."""

import os

import pytest

from tests.functional.conftest import assert_accessible, sign_in
from tests.integration.test_scorecard import figures  # noqa: F401  (the same figures)

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


def test_scorecard_and_indicator_pages(scales, page, live_server, alice, figures):  # noqa: F811
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/scorecard/")
    assert "Strategic Board scorecard" in page.locator("h1").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-scorecard.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("link", name="Plans within 20 weeks").click()
    page.wait_for_url("**/scorecard/indicators/timely/**")
    chart = page.locator("svg[role=img]")
    assert chart.get_attribute("aria-labelledby") == "chart-title chart-desc"
    assert page.get_by_role("table", name="The chart's figures").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-indicator.png", full_page=True)
    assert_accessible(page)


def test_the_scorecard_form_with_the_keyboard(scales, page, live_server, alice,
                                              figures):  # noqa: F811
    from tests.functional.test_work_pages import tab_to

    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/scorecard/sets/new/")
    assert_accessible(page)
    tab_to(page, "#id_name")
    page.keyboard.type("Timeliness")
    tab_to(page, "#id_indicators")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Timeliness"
    assert_accessible(page)


def test_the_edges_of_dfes_series_pass_axe(scales, page, live_server, alice, hull):
    """A withheld value, DfE's 2022-23 series break and a reorganised LA's predecessor."""
    from tests.integration.helpers import lapis
    from tests.integration.test_scorecard_edges import EHC, FILES, REVIEWS, TIMELY

    if not EHC.is_dir():
        pytest.skip(f"DfE's published files are not here ({EHC})")
    for name in FILES:
        lapis("import_indicators", str(EHC / name))
    lapis("scorecard_set", "Edges", "--indicator", REVIEWS, "--indicator", TIMELY,
          "--partnership", "Hull")
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path, seen in ((f"/scorecard/indicators/{TIMELY}/?area=942", "Cumbria (909)"),
                       (f"/scorecard/indicators/{REVIEWS}/?area=890", "withheld (x)"),
                       ("/scorecard/?area=890&period=2023", "Series break since 2022")):
        page.goto(f"{live_server.url}{path}")
        assert seen in page.locator("main").inner_text()
        assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/lapis-scorecard-edges.png", full_page=True)
