"""Audit entry through the pages, on the real Hull plan with a small framework of our own.

Alice (Hull's programme manager) and Aziz (an auditor) record audits with recorded and computed
grades, moderate them, add findings, themes and follow-ups, and Alice raises a recurring theme
as an improvement action that then appears in the plan's register.
"""

import csv
import datetime as dt
import html
import io
import re
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Membership, Person, Role
from lapis.plans.models import Action, Plan
from lapis.quality import actions, rules
from lapis.quality.models import (
    Audit,
    AuditGrade,
    Criterion,
    Finding,
    FollowUp,
    Framework,
    Sample,
    Section,
    Theme,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


# Fixtures shared with the API, permission and browser tests ----------------------------------

def make_framework(partnership=None, key="test-ehc") -> Framework:
    """A small framework: thresholds Outstanding 87.5, Good 62.5, Requires improvement 37.5 on
    a three-point scale. A: A1 (weight 2), A2 (1). B: B1 (3), B2 (1). C: no criteria."""
    framework = Framework.objects.create(
        partnership=partnership, key=key, name="Test EHC plan audit", version="2024",
        description="A framework made for the tests.", source="The tests",
        scale=["Not met", "Partly met", "Met"], outstanding_from=Decimal("87.5"),
        good_from=Decimal("62.5"), requires_improvement_from=Decimal("37.5"))
    a = Section.objects.create(framework=framework, code="A", position=1,
                               title="Views, interests and aspirations",
                               guidance="The child's own voice.")
    b = Section.objects.create(framework=framework, code="B", position=2,
                               title="Special educational needs")
    Section.objects.create(framework=framework, code="C", position=3, title="Health needs")
    Criterion.objects.create(section=a, code="A1", position=1, weight=2,
                             text="Written in the first person",
                             guidance="The child's words, not a professional's summary")
    Criterion.objects.create(section=a, code="A2", position=2, weight=1,
                             text="Aspirations for adulthood",
                             guidance="Says what the young person wants at 25")
    Criterion.objects.create(section=b, code="B1", position=1, weight=3, contributor="education",
                             text="Needs are specific", guidance="Each need described")
    Criterion.objects.create(section=b, code="B2", position=2, weight=1,
                             text="Needs match the advice", guidance="Every advice reflected")
    return framework


def member(partnership, username, role, person=None):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, partnership=partnership, role=role, person=person)
    return user


def criterion(framework, code) -> Criterion:
    return Criterion.objects.get(section__framework=framework, code=code)


def audit_form(framework, **changes) -> dict:
    """A filled-in audit form: A scored (A1 Partly met, A2 Met: 4/6, Good, computed), B graded
    by hand (Requires improvement), overall left to be computed (over A1, A2: 66.7, Good)."""
    data = {"framework": str(framework.pk), "audit_id": "", "plan_id": "PLAN-0001",
            "audit_date_day": "14", "audit_date_month": "6", "audit_date_year": "2024",
            "auditor": "Aziz Auditor", "agency": "Education", "phase": "Primary",
            "need": "ASD", "team": "East", "notes": "",
            "grade_A": "", "grade_B": "Requires improvement", "grade_C": "",
            f"score_{criterion(framework, 'A1').pk}": "1",
            f"score_{criterion(framework, 'A2').pk}": "2",
            f"score_{criterion(framework, 'B1').pk}": "",
            f"score_{criterion(framework, 'B2').pk}": "",
            "grade_overall": "", "version": "", "sample": ""}
    data.update(changes)
    return data


@pytest.fixture
def framework(db):
    return make_framework()


@pytest.fixture
def recorded(client, alice, hull, framework):
    """One audit recorded by Aziz through the page (Alice signs in)."""
    client.force_login(alice)
    response = client.post(f"/quality/audits/new/?framework={framework.pk}",
                           audit_form(framework))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Audit.objects.get()


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ",
                                                   response.content.decode())))


# Pages ---------------------------------------------------------------------------------------

def test_pages_need_a_login(client, hull, framework):
    for url in ("/quality/", "/quality/frameworks/", "/quality/audits/",
                "/quality/audits/new/", "/quality/themes/", "/quality/samples/new/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_framework_page_states_weights_guidance_and_thresholds(client, alice, framework):
    client.force_login(alice)
    page = text(client.get("/quality/frameworks/"))
    assert "Test EHC plan audit (2024)" in page
    assert "Good from 62.5 out of 100" in page
    detail = text(client.get(f"/quality/frameworks/{framework.pk}/"))
    assert "Outstanding from 87.5 out of 100" in detail
    assert "Requires improvement from 37.5 out of 100" in detail
    assert "Inadequate below 37.5" in detail
    assert "A1: Written in the first person" in detail
    assert "The child's words, not a professional's summary" in detail
    assert "Education advice" in detail
    assert "Not met (0), Partly met (1), Met (2)" in detail
    assert "Section C: Health needs" in detail and "graded by the auditor" in detail


def test_another_partnerships_framework_is_a_404(client, alice, charlie, hull):
    from lapis.partnership.models import Partnership

    theirs = make_framework(Partnership.objects.get(name="Elsewhere"), key="theirs")
    client.force_login(alice)
    assert client.get(f"/quality/frameworks/{theirs.pk}/").status_code == 404
    client.force_login(charlie)
    assert client.get(f"/quality/frameworks/{theirs.pk}/").status_code == 200


def test_recording_an_audit_computes_and_records_grades(client, alice, framework, recorded):
    audit = recorded
    assert audit.audit_id == "QA-2024-001"
    assert (audit.plan_id, audit.phase, audit.need, audit.team) == ("PLAN-0001", "Primary",
                                                                     "ASD", "East")
    grades = {g.section: g for g in audit.grades.all()}
    assert set(grades) == {"A", "B", "overall"}
    # A: (2 x 1 + 1 x 2) / (2 x 2 + 1 x 2) = 4/6 = 66.7, Good by the framework's thresholds.
    expected = rules.score([rules.Scored(Fraction(2), 1, 2), rules.Scored(Fraction(1), 2, 2)])
    assert expected == Fraction(200, 3)
    assert grades["A"].method == "computed" and grades["A"].grade == "Good"
    assert grades["A"].score == Decimal("66.667")
    assert rules.grade_for(expected, framework.thresholds()) == "Good"
    assert grades["B"].method == "recorded" and grades["B"].grade == "Requires improvement"
    assert grades["B"].score is None
    assert grades["overall"].method == "computed" and grades["overall"].grade == "Good"
    assert audit.scores.count() == 2
    page = client.get(f"/quality/audits/{audit.pk}/")
    shown = text(page)
    row = re.search(r'id="grade-A">(.*?)</tr>', page.content.decode(), re.S).group(1)
    assert "Good" in row and "Computed from the weighted criteria" in row and "66.7" in row
    row = re.search(r'id="grade-B">(.*?)</tr>', page.content.decode(), re.S).group(1)
    assert "Requires improvement" in row and "Recorded by the auditor" in row
    row = re.search(r'id="grade-C">(.*?)</tr>', page.content.decode(), re.S).group(1)
    assert "Not graded" in row
    assert "PLAN-0001" in shown
    assert "Created" in shown and "QA-2024-001 by Aziz Auditor (Education)" in shown


def test_a_score_exactly_on_the_threshold_gets_the_higher_grade(client, alice, framework):
    client.force_login(alice)
    b1, b2 = criterion(framework, "B1").pk, criterion(framework, "B2").pk
    # B: (3 x 1 + 1 x 2) / (3 x 2 + 1 x 2) = 5/8 = 62.5: exactly Good.
    client.post(f"/quality/audits/new/?framework={framework.pk}", audit_form(
        framework, grade_B="", **{f"score_{b1}": "1", f"score_{b2}": "2"},
        **{f"score_{criterion(framework, 'A1').pk}": "",
           f"score_{criterion(framework, 'A2').pk}": ""}))
    audit = Audit.objects.get()
    b = audit.grades.get(section="B")
    assert (b.grade, b.method, b.score) == ("Good", "computed", Decimal("62.500"))
    # One step lower: (3 x 1 + 1 x 1) / 8 = 50: Requires improvement.
    client.post(f"/quality/audits/new/?framework={framework.pk}", audit_form(
        framework, grade_B="", plan_id="PLAN-0002",
        **{f"score_{b1}": "1", f"score_{b2}": "1"},
        **{f"score_{criterion(framework, 'A1').pk}": "",
           f"score_{criterion(framework, 'A2').pk}": ""}))
    second = Audit.objects.get(plan_id="PLAN-0002")
    assert second.grades.get(section="B").grade == "Requires improvement"
    assert second.grades.get(section="overall").grade == "Requires improvement"


def test_the_entry_form_shows_guidance_beside_each_criterion(client, alice, framework):
    client.force_login(alice)
    chooser = client.get("/quality/audits/new/")
    assert "Which framework are you auditing against?" in chooser.content.decode()
    page = client.get(f"/quality/audits/new/?framework={framework.pk}").content.decode()
    a1 = criterion(framework, "A1").pk
    assert f'<label class="govuk-label" for="id_score_{a1}">A1: Written in the first person' \
        in page
    assert f'id="id_score_{a1}-hint" class="govuk-hint">The child&#x27;s words' in page
    assert f'aria-describedby="id_score_{a1}-hint"' in page
    assert "Weight 2; Education advice" not in page  # A1 has no contributor
    assert "Weight 3; Education advice" in page


def test_form_errors_are_summarised_and_nothing_is_saved(client, alice, framework):
    client.force_login(alice)
    before = ChangeRecord.objects.count()
    response = client.post(f"/quality/audits/new/?framework={framework.pk}", audit_form(
        framework, plan_id="", auditor="", audit_date_day="31", audit_date_month="2",
        grade_overall="", grade_B="Brilliant",
        **{f"score_{criterion(framework, 'A1').pk}": "",
           f"score_{criterion(framework, 'A2').pk}": ""}))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and "Error: Record an audit" in page
    assert "Enter the plan ID" in page
    assert "Enter the auditor" in page
    assert "Date of the audit must be a real date" in page
    assert 'href="#id_audit_date_day"' in response.content.decode()
    assert Audit.objects.count() == 0 and ChangeRecord.objects.count() == before
    # Nothing scored and no overall grade: the overall grade cannot be computed.
    response = client.post(f"/quality/audits/new/?framework={framework.pk}", audit_form(
        framework, **{f"score_{criterion(framework, 'A1').pk}": "",
                      f"score_{criterion(framework, 'A2').pk}": ""}))
    assert response.status_code == 400
    assert "Record the overall grade, or score at least one criterion" in text(response)
    future = dt.date.today() + dt.timedelta(days=3)
    response = client.post(f"/quality/audits/new/?framework={framework.pk}", audit_form(
        framework, audit_date_day=str(future.day), audit_date_month=str(future.month),
        audit_date_year=str(future.year)))
    assert "cannot be in the future" in text(response)
    assert Audit.objects.count() == 0


def test_an_edit_keeps_the_history_and_a_stale_edit_gets_409(client, alice, framework,
                                                             recorded):
    audit = recorded
    form = client.get(f"/quality/audits/{audit.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form
    assert 'value="Requires improvement" selected' in form
    data = audit_form(framework, audit_id="QA-2024-001", grade_overall="Outstanding",
                      version="1")
    response = client.post(f"/quality/audits/{audit.pk}/edit/", data)
    assert response.status_code == 302
    audit.refresh_from_db()
    overall = audit.grades.get(section="overall")
    assert (overall.grade, overall.method) == ("Outstanding", "recorded")
    assert audit.version == 2
    assert ChangeRecord.objects.filter(object_id=audit.pk, model="quality.Audit",
                                       field="grade overall", new="Outstanding (recorded)",
                                       old="Good (computed, 66.7)").exists()
    # Someone else's page, still at version 1.
    stale = client.post(f"/quality/audits/{audit.pk}/edit/",
                        audit_form(framework, audit_id="QA-2024-001", grade_overall="Inadequate",
                                   auditor="Someone Else", version="1"))
    assert stale.status_code == 409
    page = text(stale)
    assert "changed by someone else" in page
    assert "Your version (not saved)" in page and "Someone Else" in page
    assert 'name="version" value="2"' in stale.content.decode()
    audit.refresh_from_db()
    assert audit.auditor == "Aziz Auditor"
    assert audit.grades.get(section="overall").grade == "Outstanding"


def test_moderation_by_a_second_auditor_shows_agreement(client, alice, framework, recorded):
    audit = recorded
    a1, a2 = criterion(framework, "A1").pk, criterion(framework, "A2").pk
    page = client.get(f"/quality/audits/{audit.pk}/moderate/").content.decode()
    assert "Moderate audit QA-2024-001" in page and "PLAN-0001" in page
    same = client.post(f"/quality/audits/{audit.pk}/moderate/", audit_form(
        framework, auditor="aziz auditor"))
    assert same.status_code == 400
    assert "a second auditor, not Aziz Auditor" in text(same)
    assert Audit.objects.count() == 1
    # The moderator agrees on A (computed Good) and the overall grade, not on B.
    response = client.post(f"/quality/audits/{audit.pk}/moderate/", audit_form(
        framework, auditor="Hana Health", agency="Health", plan_id="IGNORED",
        grade_B="Good", **{f"score_{a1}": "1", f"score_{a2}": "2"}))
    assert response.status_code == 302
    moderation = Audit.objects.get(moderates=audit)
    assert moderation.audit_id == "QA-2024-001-M1" and moderation.plan_id == "PLAN-0001"
    assert Audit.objects.counted().count() == 1
    page = text(client.get(f"/quality/audits/{audit.pk}/"))
    assert "2 of 3 grades agree (66.7%); the overall grade agrees" in page
    assert "Differ" in page and "Agree" in page
    home = text(client.get("/quality/"))
    assert "agreed with the overall grade in 1 of 1 moderated audits (100.0%)" in home
    own = text(client.get(f"/quality/audits/{moderation.pk}/"))
    assert "Moderation QA-2024-001-M1" in own and "2 of 3 grades agree" in own


def test_findings_with_themes_and_follow_ups(client, alice, hull, framework, recorded):
    audit = recorded
    page = client.get(f"/quality/audits/{audit.pk}/findings/new/").content.decode()
    assert "There are no themes yet" in page
    response = client.post(f"/quality/audits/{audit.pk}/findings/new/", {
        "kind": "development", "section": "B", "text": "Health advice is generic.",
        "new_themes": "Health advice not specific; Outcomes not SMART"})
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert sorted(t.name for t in finding.themes.all()) == ["Health advice not specific",
                                                           "Outcomes not SMART"]
    health = Theme.objects.get(name="Health advice not specific")
    response = client.post(f"/quality/audits/{audit.pk}/findings/new/", {
        "kind": "strength", "section": "", "text": "The child's voice is clear.",
        "themes": [str(health.pk)], "new_themes": "health ADVICE not specific"})
    assert response.status_code == 302
    assert Theme.objects.count() == 2
    bad = client.post(f"/quality/audits/{audit.pk}/findings/new/",
                      {"kind": "development", "section": "Z", "text": ""})
    assert bad.status_code == 400 and "Enter what the audit found" in text(bad)
    owner = Person.objects.filter(partnership=hull).order_by("name").first()
    due = dt.date.today() - dt.timedelta(days=2)
    response = client.post(f"/quality/audits/{audit.pk}/follow-ups/new/", {
        "kind": "amend", "description": "Amend section B with specific health advice",
        "owner": str(owner.pk), "due_day": str(due.day), "due_month": str(due.month),
        "due_year": str(due.year)})
    assert response.status_code == 302
    later = dt.date.today() + dt.timedelta(days=30)
    client.post(f"/quality/audits/{audit.pk}/follow-ups/new/", {
        "kind": "training", "description": "Training on health advice", "owner": str(owner.pk),
        "due_day": str(later.day), "due_month": str(later.month), "due_year": str(later.year)})
    bad = client.post(f"/quality/audits/{audit.pk}/follow-ups/new/",
                      {"kind": "nap", "description": "", "owner": "", "due_day": "40"})
    assert bad.status_code == 400 and FollowUp.objects.count() == 2
    page = text(client.get(f"/quality/audits/{audit.pk}/"))
    assert "Area for development Section B: Health advice is generic." in page
    assert "Themes: Health advice not specific; Outcomes not SMART" in page
    assert "Amend the plan" in page and "Overdue" in page
    home = client.get("/quality/").content.decode()
    table = re.search(r'id="open-follow-ups">(.*?)</table>', home, re.S).group(1)
    assert table.index("Amend the plan") < table.index("Training")
    assert "Overdue" in table
    # Mark the overdue one done: it leaves the open list, and the history says so.
    amend = FollowUp.objects.get(kind="amend")
    response = client.post(f"/quality/follow-ups/{amend.pk}/done/", {"version": "1"})
    assert response.status_code == 302
    amend.refresh_from_db()
    assert amend.done == dt.date.today()
    again = client.post(f"/quality/follow-ups/{amend.pk}/done/", {"version": "2"})
    assert again.status_code == 302
    assert "already marked done" in text(client.get(f"/quality/audits/{audit.pk}/"))
    home = client.get("/quality/").content.decode()
    table = re.search(r'id="open-follow-ups">(.*?)</table>', home, re.S).group(1)
    assert "Amend the plan" not in table and "Training" in table
    assert ChangeRecord.objects.filter(model="quality.Audit", object_id=audit.pk,
                                       field="follow-up done").count() == 1


def _second_audit_with_theme(client, framework, theme, plan_id="PLAN-0002"):
    client.post(f"/quality/audits/new/?framework={framework.pk}",
                audit_form(framework, plan_id=plan_id))
    other = Audit.objects.get(plan_id=plan_id)
    client.post(f"/quality/audits/{other.pk}/findings/new/", {
        "kind": "development", "text": "Again generic health advice",
        "themes": [str(theme.pk)]})
    return other


def test_themes_count_per_quarter_and_recur_in_two_audits(client, alice, framework, recorded):
    client.post(f"/quality/audits/{recorded.pk}/findings/new/", {
        "kind": "development", "text": "Generic health advice",
        "new_themes": "Health advice not specific"})
    theme = Theme.objects.get()
    page = client.get("/quality/themes/").content.decode()
    assert "Recurring" not in page
    assert "Raise as an improvement action" in page
    other = _second_audit_with_theme(client, framework, theme)
    Audit.objects.filter(pk=other.pk).update(audit_date=dt.date(2024, 9, 2))
    # A moderation's finding does not make a theme recur.
    page = client.get("/quality/themes/").content.decode()
    assert "Recurring" in page
    assert ">2024 Q2</th>" in page and ">2024 Q3</th>" in page
    row = re.search(r"Health advice not specific.*?</tr>", page, re.S).group(0)
    assert re.findall(r'numeric">(\d+)</td>', row) == ["1", "1", "2", "2"]


def test_a_recurring_theme_is_raised_as_an_action_in_the_register(client, alice, hull,
                                                                  framework, recorded):
    client.post(f"/quality/audits/{recorded.pk}/findings/new/", {
        "kind": "development", "text": "Generic health advice",
        "new_themes": "Health advice not specific"})
    theme = Theme.objects.get()
    _second_audit_with_theme(client, framework, theme)
    plan = Plan.objects.get(partnership=hull)
    before = plan.actions.count()
    form = client.get(f"/quality/themes/{theme.pk}/raise/").content.decode()
    suggested = actions.suggest_ref(plan, 1)
    assert f'value="{suggested}"' in form
    assert suggested not in set(plan.actions.values_list("ref", flat=True))
    assert "found in 2 findings across 2 audits" in form
    # A ref the plan already has is refused, and nothing is written.
    taken = plan.actions.filter(priority__number=1).first().ref
    refused = client.post(f"/quality/themes/{theme.pk}/raise/", {
        "plan": str(plan.pk), "priority": "1", "ref": taken, "description": "x"})
    assert refused.status_code == 400
    assert f"already has an action {taken}" in text(refused)
    assert plan.actions.count() == before and Theme.objects.get().action is None
    response = client.post(f"/quality/themes/{theme.pk}/raise/", {
        "plan": str(plan.pk), "priority": "1", "ref": suggested,
        "description": "Improve health advice in EHC plans", "due_day": "31",
        "due_month": "3", "due_year": "2027"})
    action = Action.objects.get(plan=plan, ref=suggested)
    assert response.status_code == 302 and response["Location"] == f"/plan/actions/{action.pk}/"
    assert action.status.family == "not_started"
    assert action.due_date == dt.date(2027, 3, 31) and action.priority.number == 1
    assert Theme.objects.get().action == action
    assert plan.actions.count() == before + 1
    assert ChangeRecord.objects.filter(model="plans.Action", object_id=action.pk,
                                       field="created").exists()
    register = client.get("/plan/").content.decode()
    assert "Improve health advice in EHC plans" in register
    assert client.get(f"/plan/actions/{action.pk}/").status_code == 200
    themes = text(client.get("/quality/themes/"))
    assert f"Action {suggested}" in themes
    # Raising it again only leads to the action.
    again = client.get(f"/quality/themes/{theme.pk}/raise/")
    assert again.status_code == 302 and again["Location"] == f"/plan/actions/{action.pk}/"


def test_samples_are_drawn_from_a_pasted_list_and_link_to_audits(client, alice, hull,
                                                                 framework):
    client.force_login(alice)
    pasted = "plan_id,phase,need,team\n" + "\n".join(
        f"P{n:03d},{'Primary' if n % 2 else 'Secondary'},ASD,East" for n in range(1, 21))
    response = client.post("/quality/samples/new/", {
        "framework": str(framework.pk), "month_month": "6", "month_year": "2024", "size": "4",
        "phase": "Primary", "need": "", "team": "", "pasted": pasted})
    assert response.status_code == 302
    sample = Sample.objects.get()
    assert sample.month == dt.date(2024, 6, 1) and sample.size == 4
    assert sample.filters["candidates"] == 10 and sample.filters["from"] == "pasted"
    plans = list(sample.plans.values_list("plan_id", "phase"))
    assert all(phase == "Primary" for _, phase in plans) and len(plans) == 4
    page = client.get(f"/quality/samples/{sample.pk}/").content.decode()
    first = plans[0][0]
    link = f"/quality/audits/new/?partnership={hull.pk}&amp;sample={sample.pk}&amp;plan={first}"
    assert link in page and "4 sampled, 0 audited" in text(client.get(
        f"/quality/samples/{sample.pk}/"))
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'value="{first}"' in form
    response = client.post(link.replace("&amp;", "&"), audit_form(
        framework, plan_id=first, sample=str(sample.pk)))
    assert response.status_code == 302
    assert Audit.objects.get().sample == sample
    page = text(client.get(f"/quality/samples/{sample.pk}/"))
    assert "4 sampled, 1 audited" in page and "Audited: QA-2024-001" in page
    bad = client.post("/quality/samples/new/", {
        "framework": str(framework.pk), "month_month": "13", "month_year": "2024",
        "size": "0", "pasted": ""})
    assert bad.status_code == 400 and Sample.objects.count() == 1
    assert "Month audited must be a real date" in text(bad)


def test_samples_from_case_data(client, alice, hull, framework):
    from lapis.cases.models import CaseNeed, CasePerson, CasePlan

    def person(pid, born):
        return CasePerson.objects.create(partnership=hull, person_id=pid, birth_month=born,
                                         sex="F")

    primary = person("C1", dt.date(2016, 3, 1))   # 8 on 31 Aug 2023: Primary in June 2024
    secondary = person("C2", dt.date(2010, 10, 1))  # 12: Secondary
    CaseNeed.objects.create(partnership=hull, person=primary, sen_type="ASD", rank=1)
    CaseNeed.objects.create(partnership=hull, person=secondary, sen_type="SEMH", rank=1)
    CasePlan.objects.create(partnership=hull, plan_id="E1", person=primary,
                            start=dt.date(2022, 1, 5))
    CasePlan.objects.create(partnership=hull, plan_id="E2", person=secondary,
                            start=dt.date(2024, 6, 30))
    CasePlan.objects.create(partnership=hull, plan_id="E3", person=secondary,
                            start=dt.date(2020, 1, 5), cease=dt.date(2024, 5, 31))
    CasePlan.objects.create(partnership=hull, plan_id="E4", person=primary,
                            start=dt.date(2024, 7, 1))
    client.force_login(alice)
    response = client.post("/quality/samples/new/", {
        "framework": str(framework.pk), "month_month": "6", "month_year": "2024",
        "size": "10", "pasted": ""})
    assert response.status_code == 302
    sample = Sample.objects.get()
    assert sorted(sample.plans.values_list("plan_id", "phase", "need")) == [
        ("E1", "Primary", "ASD"), ("E2", "Secondary", "SEMH")]
    none = client.post("/quality/samples/new/", {
        "framework": str(framework.pk), "month_month": "6", "month_year": "2024",
        "size": "10", "need": "HI"})
    assert none.status_code == 400 and "nothing to sample" in text(none)


def test_the_list_filters_and_exports(client, alice, framework, recorded):
    client.post(f"/quality/audits/new/?framework={framework.pk}", audit_form(
        framework, plan_id="=HYPERLINK(\"x\")", agency="Health", grade_overall="Inadequate"))
    page = client.get("/quality/audits/").content.decode()
    assert "Showing 2 of 2" in page
    page = client.get("/quality/audits/?agency=Health").content.decode()
    assert "Showing 1 of 2" in page and "QA-2024-002" in page
    page = client.get("/quality/audits/?grade=Good").content.decode()
    assert "Showing 1 of 2" in page and "QA-2024-001" in page
    assert "Showing 2 of 2" in client.get("/quality/audits/?quarter=2024Q2").content.decode()
    assert "Showing 0 of 2" in client.get("/quality/audits/?quarter=2024Q3").content.decode()
    response = client.get("/quality/audits/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == ["audit_id", "plan_id", "audit_date", "auditor", "agency",
                           "section", "grade"]
    first = [r for r in rows[1:] if r[0] == "QA-2024-001"]
    assert [r[5] for r in first] == ["A", "B", "overall"]
    assert first[0][6:9] == ["Good", "computed", "66.667"]
    second = [r for r in rows[1:] if r[0] == "QA-2024-002"]
    assert second[0][1] == "'=HYPERLINK(\"x\")"
    response = client.get("/quality/audits/?format=xlsx&agency=Health")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "audit_id" and len(values) == 4
    assert values[1][1] == "'=HYPERLINK(\"x\")"
    assert isinstance(values[1][8], float) and values[1][8] == pytest.approx(66.667)
    assert values[3][5:8] == ("overall", "Inadequate", "recorded")


def test_the_landing_page_links_everything(client, alice, hull, framework, recorded):
    page = client.get("/quality/").content.decode()
    for link in ("/quality/audits/", "/quality/samples/", "/quality/themes/",
                 "/quality/frameworks/", "/quality/reports/", "/quality/audits/new/"):
        assert link in page
    assert "QA-2024-001" in page and "PLAN-0001" in page


def test_plan_ids_are_shown_to_auditors_only(client, hull, framework, recorded):
    viewer = member(hull, "vic", Role.VIEWER)
    client.force_login(viewer)
    for url in ("/quality/", "/quality/audits/", f"/quality/audits/{recorded.pk}/"):
        page = client.get(url).content.decode()
        assert "QA-2024-001" in page and "PLAN-0001" not in page
    rows = list(csv.reader(io.StringIO(client.get("/quality/audits/?format=csv")
                                       .content.decode())))
    assert rows[1][0] == "QA-2024-001" and rows[1][1] == ""


def test_grade_methods_on_the_page_match_the_rules_for_every_audit(client, alice, framework):
    """Audits with every mix of scores: each computed grade on the page is the rules' grade."""
    client.force_login(alice)
    a1, a2 = criterion(framework, "A1").pk, criterion(framework, "A2").pk
    cases = [(x, y) for x in range(3) for y in range(3)]
    for n, (x, y) in enumerate(cases):
        client.post(f"/quality/audits/new/?framework={framework.pk}", audit_form(
            framework, plan_id=f"P{n}", grade_B="",
            **{f"score_{a1}": str(x), f"score_{a2}": str(y)}))
    assert Audit.objects.count() == len(cases)
    for n, (x, y) in enumerate(cases):
        audit = Audit.objects.get(plan_id=f"P{n}")
        value = rules.score([rules.Scored(2, x, 2), rules.Scored(1, y, 2)])
        grade = rules.grade_for(value, framework.thresholds())
        page = client.get(f"/quality/audits/{audit.pk}/").content.decode()
        row = re.search(r'id="grade-A">(.*?)</tr>', page, re.S).group(1)
        assert grade in row and actions.shown_score(value) in row
        assert AuditGrade.objects.get(audit=audit, section="overall").grade == grade


def test_someone_in_no_partnership_is_told_so(client, db):
    lone = get_user_model().objects.create_user("lone", password=PASSWORD)
    client.force_login(lone)
    for url in ("/quality/", "/quality/audits/", "/quality/audits/new/", "/quality/themes/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "not a member of a partnership" in response.content.decode()


def test_follow_ups_are_marked_done_from_the_landing_page(client, alice, hull, recorded):
    owner = Person.objects.filter(partnership=hull).first()
    follow_up = actions.add_follow_up(audit=recorded, by=alice, kind="reaudit",
                                      description="Re-audit", owner=owner,
                                      due=dt.date(2024, 9, 1))
    page = client.get("/quality/").content.decode()
    assert f'action="/quality/follow-ups/{follow_up.pk}/done/"' in page
    response = client.post(f"/quality/follow-ups/{follow_up.pk}/done/",
                           {"version": "1", "next": "home"})
    assert response.status_code == 302
    assert response["Location"] == f"/quality/?partnership={hull.pk}"
    follow_up.refresh_from_db()
    assert follow_up.done == dt.date.today() and follow_up.version == 2
