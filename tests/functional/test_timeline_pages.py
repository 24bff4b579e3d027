"""The timeline, a milestone and the milestone form in Chromium, with axe-core (WCAG 2.2 AA),
and a keyboard-only user adding a milestone. Screenshots go to /tmp for a person to open."""

import os

import pytest

from lapis.demo import timeline as demo
from lapis.plans.models import Action, Plan
from lapis.timeline.models import Milestone
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def alice_page(scales, page, live_server, alice):
    demo.load(Plan.objects.get())
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_the_timeline_by_month_and_by_term_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/timeline/?by=month&from=2025-08&to=2025-12&as_of=2025-11-01")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Timeline: Hull SEND improvement plan")
    september = page.get_by_role("table", name="Due dates and milestones in September 2025, "
                                 "in date order")
    assert "Moved 3 months later" in september.inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-timeline-month.png", full_page=True)
    assert_accessible(page)

    page.get_by_label("School term").check()
    page.get_by_label("From month").fill("2024-09")
    page.get_by_label("To month").fill("2026-08")
    page.get_by_role("button", name="Show timeline").click()
    page.wait_for_url(lambda url: "by=term" in url)
    assert page.get_by_role("heading", name="Autumn 2025").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-timeline-term.png", full_page=True)
    assert_accessible(page)

    page.get_by_label("From month").fill("March")
    page.get_by_role("button", name="Show timeline").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_a_milestone_and_its_form_are_accessible(alice_page, live_server):
    page = alice_page
    milestone = Milestone.objects.get(title="Single view live for SEND casework teams")
    page.goto(f"{live_server.url}/timeline/milestones/{milestone.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == milestone.title
    assert_accessible(page)
    page.get_by_role("link", name="Change milestone").click()
    page.wait_for_url(lambda url: url.endswith("/edit/"))
    assert_accessible(page)
    # Someone else saves first: the page says so, shows both versions, keeps the typing.
    Milestone.objects.filter(pk=milestone.pk).update(version=5, title="Their title")
    page.get_by_label("Current date").fill("Dec-25")
    page.get_by_role("button", name="Save milestone").click()
    assert page.title().startswith("Error: Change a milestone")
    assert page.get_by_role("table", name="Your changes, which are not saved, beside the "
                            "milestone as someone else saved it").is_visible()
    assert page.get_by_label("Current date").input_value() == "Dec-25"
    page.screenshot(path=f"{SHOTS}/lapis-milestone-conflict.png", full_page=True)
    assert_accessible(page)

    page.goto(f"{live_server.url}/timeline/milestones/new/?plan={milestone.plan_id}")
    page.get_by_role("button", name="Add milestone").click()
    assert page.title().startswith("Error: Add a milestone")
    summary = page.locator(".govuk-error-summary")
    assert "Enter the milestone" in summary.inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-milestone-form-errors.png", full_page=True)
    assert_accessible(page)


def _tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element with this id has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def _tab_to_text(page, text: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.innerText"
                         " || ''").strip() == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_a_keyboard_user_adds_a_milestone(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/timeline/?by=term&from=2026-09&to=2027-08")
    _tab_to_text(page, "Add a milestone")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/timeline/milestones/new/" in url)

    _tab_to(page, "id_action")
    page.keyboard.type("4.6")  # a focused select jumps to the option starting with what is typed
    assert page.locator("#id_action option:checked").inner_text().startswith("4.6:")
    _tab_to(page, "id_title")
    page.keyboard.type("Autumn term: 55% of new EHCPs within 20 weeks")
    _tab_to(page, "id_planned")
    page.keyboard.type("Dec-26")
    _tab_to(page, "id_current")
    page.keyboard.type("Feb-27")
    page.screenshot(path=f"{SHOTS}/lapis-milestone-form.png", full_page=True)
    _tab_to_text(page, "Add milestone")
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: "/new/" not in url)

    milestone = Milestone.objects.get(title="Autumn term: 55% of new EHCPs within 20 weeks")
    assert milestone.action == Action.objects.get(ref="4.6")
    assert (milestone.planned.iso(), milestone.current.iso()) == ("2026-12", "2027-02")
    assert "Milestone added" in page.locator(".govuk-notification-banner").inner_text()
    assert "Moved 2 months later" in page.locator("main").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-milestone-added.png", full_page=True)
    assert_accessible(page)
