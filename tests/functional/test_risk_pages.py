"""The risk register in Chromium with axe-core (WCAG 2.2 AA), and a keyboard-only user.

Each test signs in through the real login form as Hull's programme manager, with the demo
risk register loaded, and saves screenshots under /tmp for a person to open.
"""

import os

import pytest

from lapis.demo import risks as demo
from lapis.partnership.models import Partnership
from lapis.risks.models import Risk
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def alice_page(scales, page, live_server, alice):
    demo.load(Partnership.objects.get(name="Hull"))
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_the_register_and_its_heat_map_are_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/risks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Risk register"
    heat = page.locator("#heat-map")
    assert "Number of open risks by residual impact" in heat.locator("caption").inner_text()
    # Impact 4 row, likelihood 4 column: the count is in the cell as text.
    cell = heat.locator("tbody tr").nth(1).locator("td").nth(3)
    assert cell.inner_text().strip().startswith("2")
    assert "Very high" in cell.text_content()
    page.screenshot(path=f"{SHOTS}/lapis-risks.png", full_page=True)
    assert_accessible(page)

    cell.get_by_role("link").click()
    page.wait_for_url(lambda url: "likelihood=4" in url and "impact=4" in url)
    assert "Showing 2 of 8 risks." in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Show inherent scores").click()
    page.wait_for_url(lambda url: "kind=inherent" in url)
    assert page.get_by_role("heading", name="Inherent risk heat map").is_visible()
    assert_accessible(page)


def test_a_risk_page_and_the_edit_form_are_accessible(alice_page, live_server):
    page = alice_page
    risk = Risk.objects.get(code="R1")
    page.goto(f"{live_server.url}/risks/{risk.pk}/")
    assert page.get_by_role("link", name="Action 4.6").is_visible()
    page.screenshot(path=f"{SHOTS}/lapis-risk.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Edit risk R1").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Edit risk R1"
    assert page.get_by_label("Risk ID").input_value() == "R1"
    page.screenshot(path=f"{SHOTS}/lapis-risk-edit.png", full_page=True)
    assert_accessible(page)

    # An error: the summary links to the field, the title says Error, and it is accessible.
    page.get_by_label("Title").fill("")
    page.get_by_label("Linked actions").fill("4.6, 9.99")
    page.get_by_role("button", name="Save risk").click()
    assert page.title().startswith("Error: Edit risk R1")
    summary = page.locator(".govuk-error-summary")
    assert "Enter the risk's title" in summary.inner_text()
    assert "No action '9.99'" in summary.inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-risk-edit-error.png", full_page=True)
    assert_accessible(page)
    assert Risk.objects.get(code="R1").version == 1

    # Someone else saves meanwhile: the page answers with both versions, and keeps ours.
    Risk.objects.filter(code="R1").update(title="Changed elsewhere", version=2)
    page.get_by_label("Title").fill("My title")
    page.get_by_label("Linked actions").fill("4.6")
    page.get_by_role("button", name="Save risk").click()
    assert page.title().startswith("Error: Edit risk R1")
    assert "changed by someone else" in page.locator(".govuk-error-summary").inner_text()
    compare = page.get_by_role("region", name="Your version and the saved version")
    assert "My title" in compare.inner_text() and "Changed elsewhere" in compare.inner_text()
    assert page.get_by_label("Title").input_value() == "My title"
    page.screenshot(path=f"{SHOTS}/lapis-risk-conflict.png", full_page=True)
    assert_accessible(page)
    assert Risk.objects.get(code="R1").title == "Changed elsewhere"


def _tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_a_keyboard_only_user_adds_a_risk(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/risks/")
    _tab_to(page, "a.govuk-button")  # "Add a risk"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/risks/new/" in url)

    def type_into(selector, text):
        _tab_to(page, selector)
        page.keyboard.type(text)

    type_into("#id_code", "R9")
    type_into("#id_title", "Parent carer forum capacity to coproduce")
    type_into("#id_description", "Forum volunteers are stretched across ten workstreams.")
    _tab_to(page, "#id_owner")
    page.keyboard.type("Taku")  # a closed select jumps to the option typed
    for field, value in (("#id_inherent_likelihood", "4"), ("#id_inherent_impact", "3"),
                         ("#id_residual_likelihood", "3"), ("#id_residual_impact", "3")):
        _tab_to(page, field)
        page.keyboard.type(value)
    _tab_to(page, "#id_response")  # the first radio: Tolerate
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # Treat
    type_into("#id_review_day", "31")
    type_into("#id_review_month", "3")
    type_into("#id_review_year", "2027")
    type_into("#id_actions", "2.2, 2.7")
    type_into("#id_measures", "Funded forum participation in every workstream.")
    _tab_to(page, "button.govuk-button")
    page.screenshot(path=f"{SHOTS}/lapis-risk-new.png", full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/risks/new/" not in url)

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Risk R9: Parent carer forum capacity to coproduce")
    assert "Risk R9 added" in page.locator(".govuk-notification-banner").inner_text()
    risk = Risk.objects.get(code="R9")
    assert (risk.owner.name, risk.inherent_score, risk.residual_score, risk.response) == (
        "Taku Zvauya", 12, 9, "treat")
    assert [a.ref for a in risk.actions.order_by("ref_key")] == ["2.2", "2.7"]
    assert str(risk.review_date) == "2027-03-31"
    page.screenshot(path=f"{SHOTS}/lapis-risk-added.png", full_page=True)
    assert_accessible(page)
