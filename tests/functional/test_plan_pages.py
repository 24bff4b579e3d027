"""The register, an action page and the drift page in Chromium, with axe-core (WCAG 2.2 AA).

Each test signs in through the real login form as Hull's programme manager, looks at the page
a user would, and saves a screenshot under /tmp for a person to open.
"""

import os

import pytest

from lapis.plans.models import Action
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def alice_page(scales, page, live_server, alice):
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_the_register_is_accessible_and_filters(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/plan/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hull SEND improvement plan"
    assert "Showing 81 of 81 actions." in page.locator("main").inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}/lapis-register.png")
    assert_accessible(page)

    page.get_by_label("Drift and delay").select_option("overdue")
    page.get_by_role("button", name="Filter actions").click()
    page.wait_for_url(lambda url: "flag=overdue" in url)
    shown = page.locator("#register tbody tr").count()
    assert 0 < shown < 81
    assert f"Showing {shown} of 81 actions." in page.locator("main").inner_text()
    assert_accessible(page)


def test_an_action_page_is_accessible(alice_page, live_server):
    page = alice_page
    action = Action.objects.get(ref="1.3")
    page.goto(f"{live_server.url}/plan/actions/{action.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Action 1.3")
    assert page.get_by_role("heading", name="Progress log").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-action.png", full_page=True)
    assert_accessible(page)


def test_the_drift_page_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/plan/drift/?as_of=2025-11-01")
    text = page.locator("main").inner_text()
    assert "4.10" in text
    page.screenshot(path=f"{SHOTS}/lapis-drift.png", full_page=True)
    assert_accessible(page)


def test_the_public_view_is_accessible_without_a_login(scales, page, live_server, hull):
    hull.public = True
    hull.save()
    page.goto(f"{live_server.url}/public/{hull.pk}/")
    assert "How we are making things better" in page.locator("h1").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-public.png", full_page=True)
    assert_accessible(page)
