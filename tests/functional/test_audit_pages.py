"""Plan quality in Chromium with axe-core (WCAG 2.2 AA), and an auditor who records an audit
with the keyboard only (Tab, type, Enter).

Each test signs in through the real login form as Hull's programme manager, with the tests'
own small framework, and saves screenshots under /tmp for a person to open.
"""

import datetime as dt
import os

import pytest

from lapis.partnership.models import Partnership, Person
from lapis.quality import actions
from lapis.quality.models import Audit
from tests.functional.conftest import assert_accessible, sign_in
from tests.integration.test_audit_pages import make_framework

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.fixture
def alice_page(scales, page, live_server, alice):
    sign_in(page, live_server, "alice", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size({"width": 1280, "height": 900})
    return page


@pytest.fixture
def framework(alice_page):
    return make_framework()


@pytest.fixture
def audited(framework, alice):
    """An audit with a moderation, a finding under a theme and an overdue follow-up."""
    hull = Partnership.objects.get(name="Hull")
    a1 = framework.sections.get(code="A").criteria.get(code="A1")
    found = actions.create_audit(partnership=hull, by=alice, data=actions.AuditInput(
        framework=framework, plan_id="PLAN-0001", audit_date=dt.date(2024, 6, 3),
        auditor="Aziz Auditor", agency="Education", phase="Primary", need="ASD",
        sections={"A": actions.SectionEntry(scores={a1.pk: 1}),
                  "B": actions.SectionEntry(grade="Good")}))
    actions.moderate(original=found, by=alice, data=actions.AuditInput(
        framework=framework, plan_id="", audit_date=dt.date(2024, 6, 10),
        auditor="Hana Health", agency="Health",
        sections={"B": actions.SectionEntry(grade="Requires improvement")},
        overall="Requires improvement"))
    actions.add_finding(audit=found, by=alice, text="Health advice is generic.", section="B",
                        new_themes=["Health advice not specific"])
    owner = Person.objects.filter(partnership=hull).first()
    actions.add_follow_up(audit=found, by=alice, kind="amend", description="Amend section B",
                          owner=owner, due=dt.date.today() - dt.timedelta(days=3))
    return found


def _tab_to(page, selector, limit=120):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_the_landing_and_frameworks_pages_are_accessible(alice_page, live_server, audited,
                                                         framework):
    page = alice_page
    page.goto(live_server.url + "/quality/")
    assert page.get_by_role("heading", level=1).inner_text() == "Plan quality"
    assert "Amend section B" in page.locator("#open-follow-ups").inner_text()
    assert "Overdue" in page.locator("#open-follow-ups").inner_text()
    assert "Health advice not specific" in page.locator("#top-themes").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-quality.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Audit frameworks").click()
    page.wait_for_url(lambda url: "/quality/frameworks/" in url)
    assert "Good from 62.5 out of 100" in page.locator("#frameworks").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-quality-frameworks.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Test EHC plan audit (2024)").click()
    page.wait_for_url(lambda url: f"/quality/frameworks/{framework.pk}/" in url)
    assert "Outstanding from 87.5 out of 100" in page.locator("#thresholds").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-quality-framework.png", full_page=True)
    assert_accessible(page)

    page.goto(live_server.url + "/quality/themes/")
    page.screenshot(path=f"{SHOTS}/lapis-quality-themes.png", full_page=True)
    assert_accessible(page)
    page.goto(live_server.url + "/quality/audits/")
    page.screenshot(path=f"{SHOTS}/lapis-quality-audits.png", full_page=True)
    assert_accessible(page)


def test_the_audit_page_with_its_moderation_is_accessible(alice_page, live_server, audited):
    page = alice_page
    page.goto(f"{live_server.url}/quality/audits/{audited.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Audit QA-2024-001"
    grades = page.locator("#grade-table")
    assert "Computed from the weighted criteria" in grades.inner_text()
    assert "Recorded by the auditor" in grades.inner_text()
    assert "1 of 2 grades agree (50.0%); the overall grade agrees" in page.locator(
        "main").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-quality-audit.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Add a finding").click()
    page.get_by_role("button", name="Add finding").click()
    assert page.title().startswith("Error: Add a finding")
    page.screenshot(path=f"{SHOTS}/lapis-quality-finding-error.png", full_page=True)
    assert_accessible(page)

    page.goto(f"{live_server.url}/quality/audits/{audited.pk}/follow-ups/new/")
    page.get_by_role("button", name="Add follow-up").click()
    assert "Enter what needs to happen" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/quality/audits/{audited.pk}/moderate/")
    assert page.get_by_role("heading", level=1).inner_text() == "Moderate audit QA-2024-001"
    assert_accessible(page)


def test_a_keyboard_only_auditor_records_an_audit(alice_page, live_server, framework):
    page = alice_page
    page.goto(live_server.url + "/quality/")
    _tab_to(page, "a.govuk-button")  # "Record an audit"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/quality/audits/new/" in url)
    assert page.get_by_role("heading", level=1).inner_text() == "Record an audit"
    _tab_to(page, "#id_framework")
    page.keyboard.type("Test")
    _tab_to(page, "button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "framework=" in url)
    page.screenshot(path=f"{SHOTS}/lapis-quality-audit-new.png", full_page=True)
    assert_accessible(page)

    def type_into(selector, text):
        _tab_to(page, selector)
        page.keyboard.type(text)

    def choose(selector, text):
        _tab_to(page, selector)
        page.keyboard.type(text)  # a closed select jumps to the option typed

    a1, a2 = (framework.sections.get(code="A").criteria.get(code=c).pk for c in ("A1", "A2"))
    type_into("#id_plan_id", "PLAN-0042")
    for part in ("day", "month", "year"):  # today's date is there: replace it
        _tab_to(page, f"#id_audit_date_{part}")
        page.keyboard.press("Control+A")
        page.keyboard.type({"day": "14", "month": "6", "year": "2024"}[part])
    type_into("#id_auditor", "Aziz Auditor")
    type_into("#id_agency", "Education")
    choose("#id_phase", "Sec")
    choose(f"#id_score_{a1}", "Met")
    choose(f"#id_score_{a2}", "Par")
    choose("#id_grade_B", "Req")
    _tab_to(page, "button.govuk-button")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/quality/audits/new/" not in url)

    assert page.get_by_role("heading", level=1).inner_text() == "Audit QA-2024-001"
    assert "Audit QA-2024-001 recorded" in page.locator(
        ".govuk-notification-banner").inner_text()
    found = Audit.objects.get()
    grades = {g.section: (g.grade, g.method) for g in found.grades.all()}
    # A: (2 x 2 + 1 x 1) / 6 = 83.3, Good, computed; the overall grade over A1 and A2 too.
    assert grades == {"A": ("Good", "computed"), "B": ("Requires improvement", "recorded"),
                      "overall": ("Good", "computed")}
    assert (found.plan_id, found.audit_date, found.phase) == ("PLAN-0042",
                                                               dt.date(2024, 6, 14),
                                                               "Secondary")
    assert "83.3" in page.locator("#grade-A").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-quality-audit-recorded.png", full_page=True)
    assert_accessible(page)


def test_errors_on_the_entry_page_are_accessible(alice_page, live_server, framework):
    page = alice_page
    page.goto(f"{live_server.url}/quality/audits/new/?framework={framework.pk}")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_role("button", name="Record audit").click()
    assert page.title().startswith("Error: Record an audit")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the plan ID" in summary and "must be a real date" in summary
    page.screenshot(path=f"{SHOTS}/lapis-quality-audit-error.png", full_page=True)
    assert_accessible(page)
    assert Audit.objects.count() == 0


def test_samples_and_raising_a_theme_are_accessible(alice_page, live_server, audited,
                                                   framework):
    page = alice_page
    page.goto(live_server.url + "/quality/samples/new/")
    assert_accessible(page)
    page.get_by_label("Number of plans").fill("2")
    page.get_by_label("Or paste the plans to draw from").fill("P1,Primary\nP2,Primary\nP3")
    page.get_by_role("button", name="Draw the sample").click()
    page.wait_for_url(lambda url: "/quality/samples/new/" not in url)
    assert "2 sampled, 0 audited" in page.locator("#sample-counts").inner_text()
    page.screenshot(path=f"{SHOTS}/lapis-quality-sample.png", full_page=True)
    assert_accessible(page)
    page.goto(live_server.url + "/quality/samples/")
    assert_accessible(page)

    page.goto(live_server.url + "/quality/themes/")
    page.locator("#themes a", has_text="Raise as an improvement action").click()
    page.wait_for_url(lambda url: "/raise/" in url)
    suggested = page.get_by_label("Action reference").input_value()
    assert suggested
    page.screenshot(path=f"{SHOTS}/lapis-quality-raise.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Raise the action").click()
    page.wait_for_url(lambda url: "/plan/actions/" in url)
    assert f"Action {suggested} raised" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(live_server.url + "/plan/")
    assert 'audit theme "Health advice not specific"' in page.locator("main").inner_text()
