"""The SEF pages in Chromium with axe-core (WCAG 2.2 AA), and a keyboard-only programme manager
editing an area's big picture."""

import importlib
import os

import pytest

from lapis.demo import sef as demo
from lapis.sef.models import SefArea
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def framework(transactional_db):
    """Live-server tests flush the database between tests, so the framework the migration
    ships is loaded again, by the migration's own function."""
    from django.apps import apps

    importlib.import_module("lapis.sef.migrations.0002_load_framework_2023").load(apps, None)


@pytest.fixture
def alice_page(scales, framework, page, live_server, alice, hull):
    demo.load(hull)
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def area(number):
    return SefArea.objects.get(partnership__name="Hull", area__number=number)


def test_the_sef_index_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/sef/")
    assert page.get_by_role("heading", level=1).inner_text() == "Self-evaluation (SEF)"
    assert page.get_by_text("No content yet").count() == 9
    page.screenshot(path=f"{SHOTS}/lapis-sef.png", full_page=True)
    assert_accessible(page)


def test_an_area_page_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + f"/sef/areas/{area(1).pk}/")
    assert page.get_by_role("link", name="Action 4.6").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-sef-area.png", full_page=True)
    assert_accessible(page)


def test_the_check_page_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/sef/check/")
    assert page.get_by_role("heading", name="No problems found").is_visible()
    assert_accessible(page)


def test_the_forms_are_accessible_with_their_errors(alice_page, live_server):
    page = alice_page
    for path in ("evidence/new/", "priorities/new/"):
        page.goto(live_server.url + f"/sef/areas/{area(2).pk}/{path}")
        assert_accessible(page)
        page.get_by_role("button", name="Add").click()
        assert page.get_by_role("heading", name="There is a problem").is_visible()
        assert_accessible(page)


def test_editing_the_big_picture_with_the_keyboard(alice_page, live_server):
    page = alice_page
    target = f"/sef/areas/{area(5).pk}/"  # not queried inside a Playwright callback
    page.goto(live_server.url + target + "edit/")
    assert_accessible(page)
    page.get_by_label("Big picture (optional)").focus()
    page.keyboard.type("Children with SEND are visible in their communities.")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # Strong
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(target))
    saved_text = page.get_by_role("paragraph").filter(has_text="Children with SEND are visible")
    assert saved_text.is_visible()
    saved = area(5)
    assert saved.judgement == "strong" and saved.version == 2
    assert_accessible(page)
