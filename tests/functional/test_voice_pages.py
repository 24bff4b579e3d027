"""The voice pages in Chromium with axe-core (WCAG 2.2 AA): the landing page, a survey, the
complaint form (empty and with errors) and the public "you said, we did" page.

Signs in through the real login form as Hull's programme manager, with the demo voice records
loaded, and saves screenshots under /tmp for a person to open.
"""

import os
import re

import pytest

from lapis.demo import voice as demo
from lapis.partnership.models import Partnership, Person
from lapis.voice.models import Complaint, Survey
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def hull_voice(scales, hull):
    demo.load_demo(hull, by="demo")
    return Partnership.objects.get(name="Hull")


@pytest.fixture
def alice_page(hull_voice, page, live_server, alice):
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


def test_the_voice_landing_page_is_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/voice/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Voice of children, young people and families")
    table = page.locator("#themes-by-quarter")
    assert "2024 Q2" in table.inner_text() and "Communication" in table.inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-voice.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("link", name="Engagement", exact=True).click()
    page.wait_for_url(lambda url: "/voice/engagement/" in url)
    assert_accessible(page)
    page.get_by_role("link", name="You said, we did", exact=True).click()
    page.wait_for_url(lambda url: "/voice/you-said/" in url)
    assert_accessible(page)


def test_a_survey_page_is_accessible(alice_page, live_server):
    page = alice_page
    survey = Survey.objects.get()
    page.goto(f"{live_server.url}/voice/surveys/{survey.pk}/")
    assert "% agree or strongly agree" in page.locator("main").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-voice-survey.png", full_page=True)
    assert_accessible(page)


def test_the_complaint_form_and_its_errors_are_accessible(alice_page, live_server):
    page = alice_page
    page.goto(live_server.url + "/voice/complaints/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a complaint").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add a complaint"
    page.screenshot(path=f"{SHOTS}/lapis-voice-complaint.png", full_page=True)
    assert_accessible(page)
    page.get_by_label("Reference").fill("DEMO-C-001")
    page.get_by_label("Date received").fill("31/02/2025")
    with page.expect_navigation():
        page.get_by_role("button", name="Add").click()
    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "There is already a complaint DEMO-C-001" in summary
    assert "Choose at least one theme" in summary
    page.screenshot(path=f"{SHOTS}/lapis-voice-complaint-error.png", full_page=True)
    assert_accessible(page)
    # Put it right: the complaint is added.
    page.get_by_label("Reference").fill("WEB-1")
    page.get_by_label("Date received").fill("03/03/2025")
    page.get_by_label("How it came in").select_option("email")
    page.get_by_label("Communication").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add").click()
    assert Complaint.objects.get(reference="WEB-1").themes == ["communication"]
    assert_accessible(page)


def test_the_public_page_is_accessible_with_no_names_and_no_small_counts(hull_voice, page,
                                                                         live_server):
    hull_voice.public = True
    hull_voice.save()
    Person.objects.get_or_create(partnership=hull_voice, name="Zebedee Quarrington")
    page.goto(f"{live_server.url}/public/{hull_voice.pk}/you-said-we-did/")
    text = page.locator("main").inner_text()
    assert "You said, we did" in text
    for name in Person.objects.filter(partnership=hull_voice).values_list("name", flat=True):
        assert name not in page.content()
    counts = page.locator("#counts").inner_text()
    assert all(int(n) >= 5 for n in re.findall(r"\d+", counts))
    page.screenshot(path=f"{SHOTS}/lapis-voice-public.png", full_page=True)
    assert_accessible(page)
