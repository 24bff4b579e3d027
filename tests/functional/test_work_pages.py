"""Updates, change requests, decisions, edits and the roll-up in Chromium: axe-core (WCAG 2.2
AA) on every page, and each task done with the keyboard alone (Tab, typing, Enter)."""

import os

import pytest
from django.contrib.auth import get_user_model

from lapis.partnership.models import Board, Membership, Person, Role
from lapis.plans.models import Action, ChangeRequest
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")
PASSWORD = "correct horse battery"


def login_as(page, live_server, hull, username, role, person=None, board=None):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    linked = Person.objects.get_or_create(partnership=hull, name=person)[0] if person else None
    Membership.objects.create(user=user, partnership=hull, role=role, person=linked)
    if board:
        Board.objects.get(partnership=hull, name=board).members.add(linked)
    sign_in(page, live_server, username, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return user


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus; fail if it never does."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_a_lead_updates_an_action_with_the_keyboard(scales, page, live_server, hull):
    login_as(page, live_server, hull, "kelly", Role.LEAD, person="Kelly Hare")
    action = Action.objects.get(ref="4.6")
    page.goto(f"{live_server.url}/plan/actions/{action.pk}/")
    assert_accessible(page)
    tab_to(page, "a[href$='/update/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/update/")
    assert_accessible(page)

    tab_to(page, "#id_text")
    page.keyboard.type("Timeliness at 31% in October.")
    tab_to(page, "#id_status")
    page.keyboard.type("Off")  # selects "Off track"
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Worse without a reason: the error summary, linked to the field, and still accessible.
    assert page.title().startswith("Error: ")
    assert "Say why the status moves" in page.locator(".govuk-error-summary").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-update-error.png", full_page=True)
    assert_accessible(page)

    tab_to(page, "#id_reason")
    page.keyboard.type("Two educational psychologists left in September.")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/plan/actions/{action.pk}/")
    assert "Your update to 4.6 has been added." in page.locator("main").inner_text()
    assert "Status changed from On track no concerns to" in page.locator("main").inner_text()
    assert Action.objects.get(ref="4.6").status.label == "Off track"


def test_change_request_raised_and_decided_with_the_keyboard(scales, page, live_server, hull,
                                                             browser):
    login_as(page, live_server, hull, "kelly", Role.LEAD, person="Kelly Hare")
    action = Action.objects.get(ref="4.6")
    page.goto(f"{live_server.url}/plan/actions/{action.pk}/change/")
    assert_accessible(page)
    tab_to(page, "#id_kind")
    page.keyboard.type("Close")
    tab_to(page, "#id_reason")
    page.keyboard.type("Timeliness above 50% for six months.")
    tab_to(page, "#id_board")
    page.keyboard.type("SEND Strategic Board")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/plan/changes/*/")
    change = ChangeRequest.objects.get()
    assert (change.kind, change.board.name) == ("close", "SEND Strategic Board")
    assert_accessible(page)

    other = browser.new_context(locale="en-GB").new_page()
    login_as(other, live_server, hull, "bea", Role.BOARD_MEMBER, person="Bea Board",
             board="SEND Strategic Board")
    other.goto(f"{live_server.url}/plan/changes/{change.pk}/")
    tab_to(other, "#id_decision")
    other.keyboard.type("Approve")
    tab_to(other, "button[type=submit]")
    with other.expect_navigation():
        other.keyboard.press("Enter")
    assert "approved on" in other.locator("main").inner_text()
    other.screenshot(path=f"{SHOTS}/lapis-change.png", full_page=True)
    assert_accessible(other)
    assert Action.objects.get(ref="4.6").closed

    other.goto(f"{live_server.url}/plan/changes/")
    assert "1 change request" in other.locator("main").inner_text()
    assert_accessible(other)
    other.context.close()


def test_the_edit_conflict_and_roll_up_pages_are_accessible(scales, page, live_server, hull):
    login_as(page, live_server, hull, "pm", Role.PROGRAMME_MANAGER)
    action = Action.objects.get(ref="4.6")
    page.goto(f"{live_server.url}/plan/actions/{action.pk}/edit/")
    assert_accessible(page)
    Action.objects.filter(pk=action.pk).update(version=action.version + 1,
                                               pillar="Saved meanwhile")
    page.get_by_label("SEND reform pillar").fill("Mine")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "changed by someone else" in page.locator(".govuk-error-summary").inner_text()
    assert "Saved meanwhile" in page.locator("main").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-conflict.png", full_page=True)
    assert_accessible(page)

    page.goto(f"{live_server.url}/plan/rollup/")
    assert "All priorities" in page.locator("main").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-rollup.png", full_page=True)
    assert_accessible(page)


def test_an_administrator_adds_a_login_with_the_keyboard(scales, page, live_server, hull):
    login_as(page, live_server, hull, "ada", Role.ADMIN)
    page.goto(f"{live_server.url}/people/")
    assert_accessible(page)
    tab_to(page, "a[href='/people/logins/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/people/logins/new/")
    assert_accessible(page)
    tab_to(page, "#id_username")
    page.keyboard.type("kelly")
    tab_to(page, "#id_role")
    page.keyboard.type("Lead")
    tab_to(page, "#id_person")
    page.keyboard.type("Kelly Hare")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Login added"
    password = page.locator(".lapis-secret").inner_text()
    assert get_user_model().objects.get(username="kelly").check_password(password)
    page.screenshot(path=f"{SHOTS}/lapis-login-added.png", full_page=True)
    assert_accessible(page)
