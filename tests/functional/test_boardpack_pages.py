"""Board packs in Chromium with axe-core (WCAG 2.2 AA): the list, making a pack with the
keyboard, the pack with its "changed since" section, and two packs compared."""

import datetime as dt
import os
import re

import pytest

from lapis.boardpacks import actions
from lapis.boardpacks.models import BoardPack
from lapis.partnership.models import Board
from lapis.plans import actions as work
from lapis.plans.models import Action
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def alice_page(scales, page, live_server, alice, hull):
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def strategic():
    return Board.objects.get(name="SEND Strategic Board")


def test_the_list_is_accessible_and_a_pack_is_made_with_the_keyboard(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/board-packs/")
    assert page.get_by_role("heading", level=1).inner_text() == "Board packs"
    assert_accessible(page)
    button = page.get_by_role("button", name=re.compile(
        r"^Make a pack as of today\s*: SEND Strategic Board$"))
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/board-packs/" in url and url.rstrip("/")[-1].isdigit())
    pack = BoardPack.objects.get()
    assert pack.board == strategic() and pack.created_by == "alice"
    assert "first pack" in page.locator("main").inner_text()
    page.goto(live_server.url + "/board-packs/")
    page.screenshot(path=f"{SHOTS}/lapis-board-packs.png", full_page=True)
    assert_accessible(page)


def test_a_pack_with_changes_and_the_comparison_are_accessible(alice_page, live_server, alice):
    board = strategic()
    first = actions.create_pack(board=board, as_of=dt.date(2025, 10, 1), by=alice)
    action = Action.objects.select_related("plan", "status").get(ref="2.1")
    status = action.plan.scale.match("On track some concerns")
    work.add_progress(action=action, by=alice, text="Two posts vacant over the summer",
                      status=status, reason="Capacity", on=dt.date(2025, 10, 20))
    second = actions.create_pack(board=board, as_of=dt.date(2025, 11, 1), by=alice)

    page = alice_page
    page.goto(f"{live_server.url}/board-packs/{second.pk}/")
    main = page.locator("main").inner_text()
    assert "2 changes (1 progress update, 1 status moved)" in main
    assert "2.1 status moved from On track no concerns to On track some concerns" in main
    assert page.get_by_role("heading", name="Changed since the last pack").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-board-pack.png", full_page=True)
    assert_accessible(page)

    page.get_by_text("Compare with another pack of this board").click()
    page.get_by_role("link", name="Compare with the pack as of 1 October 2025").click()
    page.wait_for_url(f"**/board-packs/{second.pk}/compare/{first.pk}/")
    assert "Two posts vacant over the summer" in page.locator("main").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-board-pack-compare.png", full_page=True)
    assert_accessible(page)
