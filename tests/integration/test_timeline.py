"""Milestones and the timeline through HTTP (pages and API) and the `lapis` commands, on the real
Hull register. Personas: alice (Hull programme manager), jonathan (improvement lead of 4.6
only), vic (Hull viewer), charlie (another partnership)."""

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from lapis.core.models import ChangeRecord
from lapis.demo import timeline as demo
from lapis.partnership.models import Membership, Person, Role
from lapis.plans.models import Action, Plan
from lapis.timeline.models import Milestone
from lapis.timeline.queries import milestones_for_action
from tests.integration.helpers import edited_workbook, lapis, lapis_fails

pytestmark = pytest.mark.django_db

RANGE = "by=month&from=2025-01&to=2025-12&as_of=2025-11-01"


@pytest.fixture
def plan(hull):
    return Plan.objects.get(partnership=hull)


@pytest.fixture
def milestones(plan):
    demo.load(plan)
    return {m.title: m for m in Milestone.objects.all()}


def _user(username, partnership, role, person=None):
    user = get_user_model().objects.create_user(username, password="correct horse battery")
    Membership.objects.create(user=user, partnership=partnership, role=role, person=person)
    return user


@pytest.fixture
def jonathan(hull):
    """Improvement lead of action 4.6 (not of 4.10)."""
    return _user("jonathan", hull, Role.LEAD, Person.objects.get(name="Jonathan Ellis"))


@pytest.fixture
def vic(hull):
    return _user("vic", hull, Role.VIEWER)


def action(ref):
    return Action.objects.get(ref=ref)


def snapshot():
    return (list(Milestone.objects.order_by("pk").values()),
            ChangeRecord.objects.filter(model="timeline.Milestone").count())


def form(**values):
    data = {"action": "", "priority": "", "title": "", "planned": "", "current": "",
            "completed_on": ""}
    data.update(values)
    return data


# --- the timeline page -----------------------------------------------------------------------

def test_the_timeline_needs_a_login(client, hull):
    response = client.get("/timeline/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_by_month_one_table_per_month_with_due_dates_and_text_status(client, alice):
    client.force_login(alice)
    page = client.get(f"/timeline/?{RANGE}").content.decode()
    assert "<title>Hull SEND improvement plan: timeline" in page
    tables = page.count('<table class="govuk-table')
    assert page.count('<h2 class="govuk-heading-m" id="period-') == 12
    assert tables == page.count("<caption") == 12 - page.count("Nothing due in")
    assert "Nothing due in November 2025." in page
    october = page[page.index('id="period-2025-10"'):page.index('id="period-2025-11"')]
    assert f'href="/plan/actions/{action("4.6").pk}/">Action 4.6</a>' in october
    assert "Due date" in october and "October 2025" in october
    # 4.6 is open and its month ended before 1 Nov: overdue, said in words.
    row = october[october.index("Action 4.6"):]
    row = row[:row.index("</tr>")]
    assert "Overdue" in row and "On plan" in row
    assert 'scope="row"' in october and 'scope="col"' in october


def test_by_term_with_academic_years(client, alice):
    client.force_login(alice)
    page = client.get("/timeline/?by=term&from=2025-09&to=2026-08&as_of=2025-10-01")
    text = page.content.decode()
    assert [g.period.label for g in page.context["timeline"].groups] == [
        "Autumn 2025", "Spring 2026", "Summer 2026"]
    assert "Academic year 2025/26, 1 Sep to 31 Dec 2025" in text
    assert "Due this term" in text


def test_milestones_show_slippage_in_words(client, alice, milestones):
    client.force_login(alice)
    page = client.get(f"/timeline/?{RANGE}").content.decode()
    single_view = milestones["Single view live for SEND casework teams"]
    assert f'href="/timeline/milestones/{single_view.pk}/">' in page
    september = page[page.index('id="period-2025-09"'):page.index('id="period-2025-10"')]
    assert "Single view live for SEND casework teams" in september
    assert "Moved 3 months later" in september
    assert "June 2025" in september
    assert f'href="/plan/actions/{action("4.10").pk}/">action 4.10</a>' in september


def test_planned_is_the_original_due_date_from_history(client, alice, tmp_path):
    # Hull moves 4.6 from Oct-25 to Mar-26 and re-imports its register.
    lapis("import_plan", str(edited_workbook(tmp_path, {("Improvement Plan", "K39"): "Mar-26"})),
          "--plan", "Hull SEND improvement plan", "--partnership", "Hull")
    client.force_login(alice)
    data = client.get(f"/api/timeline/plans/{Plan.objects.get().pk}?by=month&from=2026-03"
                      "&to=2026-03&as_of=2025-11-01").json()
    (row,) = [r for r in data["periods"][0]["rows"] if r["action_ref"] == "4.6"]
    assert (row["planned"], row["current"]) == ("2025-10", "2026-03")
    assert row["slippage"] == "moved 5 months later" and row["slippage_days"] == 151
    assert row["status"] == "future"


def test_the_priority_filter(client, alice, milestones):
    client.force_login(alice)
    found = client.get(f"/timeline/?{RANGE}&priority=4").context["timeline"]
    refs = {r.item.action_ref for g in found.groups for r in g.rows}
    assert refs and all(ref.startswith("4.") for ref in refs)
    assert "Coproduction charter signed by all partners" not in {
        r.item.title for g in found.groups for r in g.rows}
    everything = client.get(f"/timeline/?{RANGE}").context["timeline"]
    assert "Coproduction charter signed by all partners" in {
        r.item.title for g in everything.groups for r in g.rows}


def test_the_default_range_is_around_today(client, alice):
    client.force_login(alice)
    found = client.get("/timeline/").context["timeline"]
    today = dt.date.today()
    assert found.first <= today <= found.last
    assert found.by == "month" and len(found.groups) == 12


def test_overdue_work_before_the_range_is_not_hidden(client, alice):
    client.force_login(alice)
    response = client.get("/timeline/?by=month&from=2026-01&to=2026-06&as_of=2026-02-01")
    found = response.context["timeline"]
    assert found.overdue_earlier
    assert "are overdue" in response.content.decode() or "is overdue" in (
        response.content.decode())


@pytest.mark.parametrize("query, message", [
    ("from=March", "Enter the first month as year and month"),
    ("from=2025-06&to=2025-01", "The last month must be the same as or after the first"),
    ("by=week", "Choose month or school term"),
    ("from=2000-01&to=2030-01", "Choose a shorter range"),
])
def test_a_bad_range_is_explained_in_an_error_summary(client, alice, query, message):
    client.force_login(alice)
    page = client.get(f"/timeline/?{query}").content.decode()
    assert "<title>Error: " in page and "govuk-error-summary" in page and message in page


def test_the_page_runs_the_same_queries_for_few_and_many_milestones(client, alice, plan,
                                                                      milestones):
    client.force_login(alice)
    url = "/timeline/?by=term&from=2024-09&to=2026-08&as_of=2025-11-01"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(40):
        Milestone.objects.create(plan=plan, action=action(["4.6", "2.1", "3.18"][i % 3]),
                                 title=f"Extra {i}", planned_date=dt.date(2025, 1 + i % 12, 1),
                                 current_date=dt.date(2025, 1 + i % 12, 1))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert "Extra 39" in page.content.decode()
    assert len(many) == len(few)


# --- the milestone form --------------------------------------------------------------------

def test_an_editor_adds_a_milestone_and_it_is_in_the_history(client, alice, plan):
    client.force_login(alice)
    page = client.get(f"/timeline/milestones/new/?plan={plan.pk}").content.decode()
    assert '<label class="govuk-label" for="id_planned">Planned date</label>' in page
    response = client.post(f"/timeline/milestones/new/?plan={plan.pk}", form(
        action=action("4.6").pk, title="Autumn term: 55% within 20 weeks", planned="Dec-26",
        current="31/1/2027"))
    milestone = Milestone.objects.get(title="Autumn term: 55% within 20 weeks")
    assert response.status_code == 302
    assert response["Location"] == f"/timeline/milestones/{milestone.pk}/"
    assert (milestone.planned.iso(), milestone.current.iso()) == ("2026-12", "2027-01-31")
    detail = client.get(response["Location"]).content.decode()
    assert "Moved 31 days later" in detail
    assert "alice" in detail and "Created" in detail


def test_a_priority_milestone_and_current_defaults_to_planned(client, alice, plan):
    client.force_login(alice)
    client.post(f"/timeline/milestones/new/?plan={plan.pk}", form(
        priority=plan.priorities.get(number=2).pk, title="Forum review", planned="2025-07"))
    milestone = Milestone.objects.get(title="Forum review")
    assert milestone.priority.number == 2 and milestone.action is None
    assert milestone.current == milestone.planned


@pytest.mark.parametrize("values, message", [
    ({"action": "4.6", "priority": 4, "title": "x", "planned": "Feb-25"},
     "Choose an action or a priority, not both"),
    ({"title": "x", "planned": "Feb-25"}, "Choose the action or the priority"),
    ({"action": "4.6", "title": "", "planned": "Feb-25"}, "Enter the milestone"),
    ({"action": "4.6", "title": "x", "planned": "soon"}, "Enter planned date as a day"),
    ({"action": "4.6", "title": "x", "planned": "31/02/2025"}, "Enter planned date as a day"),
    ({"action": "4.6", "title": "x", "planned": "Feb-25", "completed_on": "Mar-25"},
     "Enter the day for completed on"),
])
def test_a_bad_milestone_is_refused_with_an_error_summary(client, alice, plan, values, message):
    client.force_login(alice)
    if "action" in values:
        values["action"] = action(values["action"]).pk
    if "priority" in values:
        values["priority"] = plan.priorities.get(number=values["priority"]).pk
    before = snapshot()
    response = client.post(f"/timeline/milestones/new/?plan={plan.pk}", form(**values))
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Add a milestone" in page and message in page
    assert 'class="govuk-error-summary"' in page and 'href="#id_' in page
    assert snapshot() == before


def test_a_lead_adds_a_milestone_to_their_own_action_only(client, jonathan, plan):
    client.force_login(jonathan)
    own, other = action("4.6"), action("4.10")
    page = client.get(f"/timeline/milestones/new/?action={own.pk}").content.decode()
    assert 'name="action"' not in page and "For action" in page
    response = client.post(f"/timeline/milestones/new/?action={own.pk}", form(
        title="Lead's milestone", planned="2026-01-15", action=other.pk))
    assert response.status_code == 302
    assert Milestone.objects.get(title="Lead's milestone").action == own  # not the other one
    before = snapshot()
    assert client.get(f"/timeline/milestones/new/?action={other.pk}").status_code == 403
    assert client.post(f"/timeline/milestones/new/?action={other.pk}", form(
        title="Not mine", planned="2026-01-15")).status_code == 403
    assert client.post(f"/timeline/milestones/new/?plan={plan.pk}", form(
        priority=plan.priorities.get(number=4).pk, title="Not mine",
        planned="2026-01-15")).status_code == 403
    assert snapshot() == before


def test_a_viewer_cannot_add_or_change(client, vic, plan, milestones):
    client.force_login(vic)
    milestone = next(iter(milestones.values()))
    before = snapshot()
    assert "Add a milestone" not in client.get(f"/timeline/?{RANGE}").content.decode()
    assert "Change milestone" not in client.get(
        f"/timeline/milestones/{milestone.pk}/").content.decode()
    assert client.get(f"/timeline/milestones/new/?plan={plan.pk}").status_code == 403
    assert client.post(f"/timeline/milestones/new/?plan={plan.pk}", form(
        action=action("4.6").pk, title="x", planned="2025-01")).status_code == 403
    assert client.post(f"/timeline/milestones/{milestone.pk}/edit/", form(
        action=milestone.action_id or "", priority=milestone.priority_id or "", title="x",
        planned="2025-01", version=milestone.version)).status_code == 403
    assert snapshot() == before


def _edit(client, milestone, **changes):
    values = {"action": milestone.action_id or "", "priority": milestone.priority_id or "",
              "title": milestone.title, "planned": milestone.planned.iso(),
              "current": milestone.current.iso(), "completed_on": "",
              "version": milestone.version}
    values.update(changes)
    return client.post(f"/timeline/milestones/{milestone.pk}/edit/", values)


def test_an_edit_is_versioned_and_recorded(client, alice, milestones):
    client.force_login(alice)
    milestone = milestones["Single view live for SEND casework teams"]
    page = client.get(f"/timeline/milestones/{milestone.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in page and 'value="Sep-25"' in page
    response = _edit(client, milestone, current="Nov-25", completed_on="20/11/2025")
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.version == 2 and milestone.current.iso() == "2025-11"
    assert milestone.completed_on == dt.date(2025, 11, 20)
    changes = {r.field: (r.old, r.new) for r in ChangeRecord.objects.filter(
        model="timeline.Milestone", object_id=milestone.pk, by="alice")}
    assert changes["current_date"] == ("2025-09-01", "2025-11-01")
    assert changes["completed_on"] == ("", "2025-11-20")
    detail = client.get(f"/timeline/milestones/{milestone.pk}/").content.decode()
    assert "Completed on date" not in detail and "Current date" in detail and "Done" in detail


def test_a_stale_edit_gets_409_with_both_versions_and_keeps_what_was_typed(client, alice,
                                                                           milestones):
    client.force_login(alice)
    milestone = milestones["Single view live for SEND casework teams"]
    stale = Milestone.objects.get(pk=milestone.pk)
    assert _edit(client, milestone, current="Oct-25").status_code == 302
    before = snapshot()
    response = _edit(client, stale, current="Dec-25", title="My better title")
    page = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error: Change a milestone" in page
    assert "changed by someone else" in page
    assert "Your version (not saved)" in page and "Saved version" in page
    assert "Dec-25" in page and "Oct-25" in page
    assert 'value="My better title"' in page  # nothing typed is lost
    assert 'name="version" value="2"' in page
    assert snapshot() == before
    # Saving again, deliberately, replaces the saved version.
    assert _edit(client, stale, current="Dec-25", title="My better title",
                 version=2).status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).title == "My better title"


def test_a_lead_changes_milestones_of_their_action_not_others(client, jonathan, milestones):
    client.force_login(jonathan)
    own = next(m for m in milestones.values() if m.action and m.action.ref == "4.6")
    other = milestones["Single view live for SEND casework teams"]  # action 4.10
    assert _edit(client, own, current="2026-04").status_code == 302
    before = snapshot()
    assert client.get(f"/timeline/milestones/{other.pk}/edit/").status_code == 403
    assert _edit(client, other, current="2026-04").status_code == 403
    assert snapshot() == before


def test_another_partnership_gets_404(client, charlie, plan, milestones):
    client.force_login(charlie)
    milestone = next(iter(milestones.values()))
    before = snapshot()
    assert client.get(f"/timeline/?plan={plan.pk}").status_code == 404
    assert client.get(f"/timeline/milestones/{milestone.pk}/").status_code == 404
    assert client.get(f"/timeline/milestones/{milestone.pk}/edit/").status_code == 404
    assert _edit(client, milestone, title="hijack").status_code == 404
    assert client.get(f"/timeline/milestones/new/?plan={plan.pk}").status_code == 404
    assert client.get(f"/timeline/milestones/new/?action={action('4.6').pk}").status_code == 404
    assert client.get(f"/api/timeline/plans/{plan.pk}").status_code == 404
    assert client.get("/api/timeline/milestones").json() == []
    assert client.get(f"/api/timeline/milestones/{milestone.pk}").status_code == 404
    assert client.put(f"/api/timeline/milestones/{milestone.pk}", _api_body(
        plan, milestone, title="hijack"), content_type="application/json").status_code == 404
    assert client.post("/api/timeline/milestones", {
        "plan": plan.pk, "action": "4.6", "title": "x", "planned": "2025-01"},
        content_type="application/json").status_code == 404
    assert snapshot() == before


def test_the_database_refuses_a_milestone_of_both_or_neither(plan):
    for values in ({"action": action("4.6"), "priority": plan.priorities.first()}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Milestone.objects.create(plan=plan, title="x", planned_date=dt.date(2025, 1, 1),
                                     current_date=dt.date(2025, 1, 1), **values)


# --- the action page include ---------------------------------------------------------------

def test_the_action_page_include(alice, vic, milestones):
    found = milestones_for_action(action("4.6"), as_of=dt.date(2025, 11, 1))
    assert [m.title for m, _ in found] == [
        "Autumn term: EHC hub triage of every new request within 5 working days",
        "Spring term: 20-week timeliness reaches 35% of new EHCPs",
        "Summer term: 20-week timeliness reaches 42% of new EHCPs",
        "Autumn term: 20-week timeliness reaches 50% of new EHCPs"]
    assert [row.status for _, row in found] == ["done", "overdue", "overdue", "future"]
    html = render_to_string("timeline/_action_milestones.html", {
        "action": action("4.6"), "milestones": found, "can_add_milestone": True})
    assert html.count("<tr") == 5 and "Moved 3 months later" in html
    assert f"/timeline/milestones/new/?action={action('4.6').pk}" in html
    tag = Template("{% load timeline %}{% action_milestones action %}")
    shown = tag.render(Context({"action": action("4.6"), "user": alice}))
    assert shown.count("<tr") == 5 and "Add a milestone to action 4.6" in shown
    assert "Add a milestone" not in tag.render(Context({"action": action("4.6"), "user": vic}))


# --- the API -------------------------------------------------------------------------------

def _api_body(plan, milestone, **changes):
    body = {"plan": plan.pk, "action": milestone.action.ref if milestone.action else None,
            "priority": None if milestone.action else milestone.priority.number,
            "title": milestone.title, "planned": milestone.planned.iso(),
            "current": milestone.current.iso(), "completed_on": None,
            "version": milestone.version}
    body.update(changes)
    return body


def test_the_api_timeline_matches_the_command(client, alice, plan, milestones):
    client.force_login(alice)
    data = client.get(f"/api/timeline/plans/{plan.pk}?by=term&from=2024-09&to=2026-08"
                      "&as_of=2025-11-01").json()
    assert [p["label"] for p in data["periods"]] == [
        "Autumn 2024", "Spring 2025", "Summer 2025", "Autumn 2025", "Spring 2026",
        "Summer 2026"]
    out, _ = lapis("timeline", "--by", "term", "--from", "2024-09", "--to", "2026-08",
                   "--as-of", "2025-11-01", "--format", "json")
    assert json.loads(out) == data
    bad = client.get(f"/api/timeline/plans/{plan.pk}?from=2025-13")
    assert bad.status_code == 400 and "from" in bad.json()["errors"]


def test_the_api_lists_creates_and_updates(client, alice, plan, milestones):
    client.force_login(alice)
    listed = client.get(f"/api/timeline/milestones?plan={plan.pk}").json()
    assert len(listed) == 12
    by_action = client.get(f"/api/timeline/milestones?action={action('4.6').pk}").json()
    assert len(by_action) == 4 and {m["action"] for m in by_action} == {"4.6"}
    created = client.post("/api/timeline/milestones", {
        "plan": plan.pk, "action": "3.18", "title": "Waiting list under 40 weeks",
        "planned": "2026-06", "current": "2026-07-15"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["priority"] == 3 and body["slippage_days"] == 15 and body["version"] == 1
    milestone = Milestone.objects.get(pk=body["id"])
    updated = client.put(f"/api/timeline/milestones/{milestone.pk}", _api_body(
        plan, milestone, completed_on="2026-07-10"), content_type="application/json")
    assert updated.status_code == 200 and updated.json()["version"] == 2
    history = client.get(f"/api/timeline/milestones/{milestone.pk}").json()["history"]
    assert [h["field"] for h in history] == ["created", "completed_on"]
    assert history[1]["source"] == "api" and history[1]["by"] == "alice"


def test_the_api_refuses_stale_bad_and_forbidden_writes(client, alice, jonathan, vic, plan,
                                                         milestones):
    milestone = milestones["Single view live for SEND casework teams"]
    client.force_login(alice)
    assert client.put(f"/api/timeline/milestones/{milestone.pk}", _api_body(
        plan, milestone, current="2025-10"), content_type="application/json").status_code == 200
    before = snapshot()
    stale = client.put(f"/api/timeline/milestones/{milestone.pk}", _api_body(
        plan, milestone, current="2025-12"), content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["current"] == "2025-10"
    both = client.post("/api/timeline/milestones", {
        "plan": plan.pk, "action": "4.6", "priority": 4, "title": "x", "planned": "2025-01"},
        content_type="application/json")
    assert both.status_code == 400 and "action" in both.json()["errors"]
    assert client.post("/api/timeline/milestones", {
        "plan": plan.pk, "action": "9.99", "title": "x", "planned": "2025-01"},
        content_type="application/json").status_code == 400
    assert client.post("/api/timeline/milestones", {
        "plan": plan.pk, "action": "4.6", "title": "x", "planned": "January"},
        content_type="application/json").status_code == 400
    client.force_login(vic)
    assert client.post("/api/timeline/milestones", {
        "plan": plan.pk, "action": "4.6", "title": "x", "planned": "2025-01"},
        content_type="application/json").status_code == 403
    client.force_login(jonathan)
    assert client.put(f"/api/timeline/milestones/{milestone.pk}", _api_body(
        plan, milestone, version=2, title="x"), content_type="application/json"
    ).status_code == 403
    own = next(m for m in milestones.values() if m.action and m.action.ref == "4.6")
    assert client.put(f"/api/timeline/milestones/{own.pk}", _api_body(
        plan, own, action="4.10"), content_type="application/json").status_code == 403
    assert client.post("/api/timeline/milestones", {
        "plan": plan.pk, "priority": 4, "title": "x", "planned": "2025-01"},
        content_type="application/json").status_code == 403
    assert snapshot() == before
    assert client.post("/api/timeline/milestones", {
        "plan": plan.pk, "action": "4.6", "title": "Lead via API", "planned": "2026-01"},
        content_type="application/json").status_code == 201


def test_the_api_needs_a_login(client, plan):
    assert client.get(f"/api/timeline/plans/{plan.pk}").status_code == 401
    assert client.get("/api/timeline/milestones").status_code == 401


# --- commands ------------------------------------------------------------------------------

def _csv(tmp_path, rows, name="milestones.csv"):
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


HEADER = ["Action ref", "Priority", "Milestone", "Planned date", "Current date", "Completed"]


def test_import_dry_run_then_import_then_again(hull, tmp_path):
    path = _csv(tmp_path, [HEADER, ["4.6", "", "Termly target met", "Feb-25", "Apr-25", ""],
                           ["", "Priority 3", "Commissioning review", "2025-05-14", "", ""]])
    out, _ = lapis("import_milestones", str(path), "--dry-run")
    assert "Would import milestones.csv" in out and "2 new" in out
    assert not Milestone.objects.exists()
    out, _ = lapis("import_milestones", str(path), "--plan", "Hull SEND improvement plan")
    assert "2 new" in out
    review = Milestone.objects.get(title="Commissioning review")
    assert review.priority.number == 3 and review.current == review.planned
    assert ChangeRecord.objects.filter(model="timeline.Milestone", field="created",
                                       by="import_milestones").count() == 2
    out, _ = lapis("import_milestones", str(path))
    assert "0 new, 0 updated, 2 unchanged" in out


def test_import_names_every_problem_and_writes_nothing(hull, tmp_path):
    path = _csv(tmp_path, [
        ["Hull milestones"],
        HEADER,
        ["4.6", "", "Fine row", "Feb-25", "", ""],
        ["9.99", "", "No such action", "Feb-25", "", ""],
        ["4.6", "4", "Both", "Feb-25", "", ""],
        ["", "", "Neither", "Feb-25", "", ""],
        ["4.6", "", "", "Feb-25", "", ""],
        ["4.6", "", "Bad date", "31/02/2025", "", ""],
        ["4.6", "", "Month completed", "Feb-25", "", "Mar-25"],
        ["", "12", "No such priority", "Feb-25", "", ""],
    ])
    _, err = lapis_fails("import_milestones", str(path))
    assert "nothing was imported" in err
    for where in [
        "milestones.csv, sheet 'milestones', row 5, column B (Priority): give the action ref",
        "row 6, column A (Action ref): name the action",
        "row 7, column C (Milestone): the milestone has no title",
        "row 8, column D (Planned date): '31/02/2025' is not a real date",
        "row 9, column F (Completed): 'Mar-25' is a month",
    ]:
        assert where in err
    # Refs are checked against the plan only once every cell reads; fix those and try again.
    path = _csv(tmp_path, [HEADER, ["4.6", "", "Fine row", "Feb-25", "", ""],
                           ["9.99", "", "No such action", "Feb-25", "", ""],
                           ["", "12", "No such priority", "Feb-25", "", ""],
                           ["4.6", "", "fine row", "Mar-25", "", ""]])
    _, err = lapis_fails("import_milestones", str(path))
    assert "row 5, column C (Milestone): the same milestone as row 2" in err
    assert "row 3, column A (Action ref): there is no action 9.99" in err
    assert "row 4, column B (Priority): there is no priority 12" in err
    assert not Milestone.objects.exists()


def test_import_refuses_a_file_without_the_columns(hull, tmp_path):
    _, err = lapis_fails("import_milestones", str(_csv(tmp_path, [["Name", "When"], ["a", "b"]])))
    assert "no sheet has a header row with 'Milestone' and 'Planned date'" in err
    _, err = lapis_fails("import_milestones", str(_csv(tmp_path, [
        ["Milestone", "Planned date"], ["a", "2025-01"]])))
    assert "no 'Action ref' or 'Priority' column" in err


def test_import_as_someone_who_may_not_edit_is_refused(hull, alice, charlie, vic, tmp_path):
    path = _csv(tmp_path, [HEADER, ["4.6", "", "Termly target met", "Feb-25", "", ""]])
    for who in ("charlie", "vic", "nobody"):
        lapis_fails("import_milestones", str(path), "--as", who)
    assert not Milestone.objects.exists()
    lapis("import_milestones", str(path), "--as", "alice")
    assert ChangeRecord.objects.get(model="timeline.Milestone").by == "alice"


def test_an_xlsx_with_month_formatted_dates_and_an_either_column(hull, tmp_path):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Gantt"
    ws.append(["Action ref or priority", "Milestone", "Planned date", "Current date",
               "Completed"])
    ws.append(["4.6", "Monthly: panel capacity doubled", dt.datetime(2025, 2, 1),
               dt.datetime(2025, 5, 1), None])
    ws.append(["Priority 6", "PfA pathway drafted", dt.datetime(2025, 6, 12), None,
               dt.datetime(2025, 6, 20)])
    ws["C2"].number_format = ws["D2"].number_format = "mmm-yy"
    path = tmp_path / "gantt.xlsx"
    workbook.save(path)
    lapis("import_milestones", str(path))
    monthly = Milestone.objects.get(title="Monthly: panel capacity doubled")
    assert (monthly.planned.iso(), monthly.current.iso()) == ("2025-02", "2025-05")
    pfa = Milestone.objects.get(title="PfA pathway drafted")
    assert pfa.priority.number == 6 and pfa.planned.iso() == "2025-06-12"
    assert pfa.completed_on == dt.date(2025, 6, 20)


def test_export_then_import_gives_back_the_same_milestones(plan, milestones, tmp_path):
    Milestone.objects.filter(title__startswith="Coproduction").update(title="=HYPERLINK(1)")
    out, _ = lapis("export_milestones", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == HEADER and len(rows) == 13
    assert ["", "2", "'=HYPERLINK(1)", "2025-02", "2025-02", "2025-02-26"] in rows
    fields = ("action_id", "priority_id", "title", "planned_date", "planned_precision",
              "current_date", "current_precision", "completed_on")
    before = sorted(Milestone.objects.values_list(*fields), key=repr)
    for fmt, name in (("csv", "m.csv"), ("xlsx", "m.xlsx")):
        path = tmp_path / name
        lapis("export_milestones", "--format", fmt, "-o", str(path))
        Milestone.objects.all().delete()
        lapis("import_milestones", str(path))
        assert sorted(Milestone.objects.values_list(*fields), key=repr) == before
    data = json.loads(lapis("export_milestones", "--format", "json")[0])
    assert data["plan"]["name"] == "Hull SEND improvement plan"
    assert len(data["milestones"]) == 12
    workbook = openpyxl.load_workbook(tmp_path / "m.xlsx")
    titles = [row[2] for row in workbook["Milestones"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in titles


def test_the_timeline_command_prints_the_rows(plan, milestones):
    out, _ = lapis("timeline", "--by", "month", "--from", "2025-09", "--to", "2025-09",
                   "--as-of", "2025-11-01")
    assert "Timeline of 'Hull SEND improvement plan' by month, September 2025 to September " \
           "2025" in out
    assert "Single view live for SEND casework teams (action 4.10); planned 2025-06, moved " \
           "3 months later" in out
    assert "Overdue" in out
    _, err = lapis_fails("timeline", "--from", "2025-9x")
    assert "Enter the first month" in err


def test_the_demo_loads_once(plan):
    first = demo.load(plan)
    assert len(first.created) == 12
    second = demo.load(plan)
    assert second.created == [] and len(second.unchanged) == 12
    refs = set(Milestone.objects.exclude(action=None).values_list("action__ref", flat=True))
    assert refs == {"4.6", "4.10", "3.18", "3.20", "2.1"}
