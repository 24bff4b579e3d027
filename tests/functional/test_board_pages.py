"""Boards, a board and its due-for-update list in Chromium with axe-core (WCAG 2.2 AA), and a
keyboard-only programme manager adding a meeting.
"""

import datetime as dt
import os

import pytest

from lapis.demo import governance as demo
from lapis.governance.models import Meeting
from lapis.partnership.models import Board, Person
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def alice_page(scales, page, live_server, alice, hull):
    demo.load(hull)
    Person.objects.filter(name="Mary Meredith").update(email="mary@example.org")
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def board(name="SEND Delivery Group"):
    return Board.objects.get(name=name)


def test_the_board_list_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/boards/")
    assert page.get_by_role("heading", level=1).inner_text() == "Boards"
    assert page.get_by_role("link", name="SEND Strategic Board").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-boards.png", full_page=True)
    assert_accessible(page)


def test_a_board_page_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(f"{live_server.url}/boards/{board().pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "SEND Delivery Group"
    assert page.get_by_role("heading", name="Terms of reference").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-board.png", full_page=True)
    assert_accessible(page)


def test_the_due_list_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(f"{live_server.url}/boards/{board().pk}/due/?meeting=2025-10-14")
    assert "5 actions due for update" in page.locator("main").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-due.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Send reminders").click()
    page.wait_for_load_state()
    assert "Sent 1 reminder email." in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_meeting_form_errors_are_accessible(alice_page, live_server):
    page = alice_page
    page.goto(f"{live_server.url}/boards/{board().pk}/meetings/add/")
    page.get_by_role("button", name="Add the meeting").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    page.screenshot(path=f"{SHOTS}/lapis-meeting-error.png", full_page=True)
    assert_accessible(page)


def test_a_keyboard_user_adds_a_meeting(alice_page, live_server):
    page = alice_page
    target = board("SEND Strategic Board")
    page.goto(f"{live_server.url}/boards/{target.pk}/")
    add = page.get_by_role("link", name="Add a meeting")
    for _ in range(80):  # Tab until the "Add a meeting" link has the focus
        page.keyboard.press("Tab")
        if add.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached 'Add a meeting'")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/meetings/add/"))
    page.keyboard.press("Tab")
    while not page.get_by_label("Day").evaluate("e => e === document.activeElement"):
        page.keyboard.press("Tab")
    page.keyboard.type("18")
    page.keyboard.press("Tab")
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    page.keyboard.type("2026")
    page.keyboard.press("Tab")
    page.keyboard.type("Extraordinary meeting: SEND sufficiency")
    page.keyboard.press("Tab")  # notes
    page.keyboard.press("Tab")  # minutes link
    page.keyboard.press("Tab")  # the button
    assert page.get_by_role("button", name="Add the meeting").evaluate(
        "e => e === document.activeElement")
    page.screenshot(path=f"{SHOTS}/lapis-meeting-form.png", full_page=True)
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: url.endswith(f"/boards/{target.pk}/#meetings"))
    assert "Added the meeting on 18 June 2026." in page.locator("main").inner_text()
    assert Meeting.objects.get(board=target, date=dt.date(2026, 6, 18)).title == (
        "Extraordinary meeting: SEND sufficiency")
    assert_accessible(page)
