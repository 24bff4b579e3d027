"""The audit API under /api/quality, on the real Hull plan with the tests' own framework."""

import datetime as dt

import pytest

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Partnership, Person, Role
from lapis.plans.models import Action, Plan
from lapis.quality import actions
from lapis.quality.models import Audit, FollowUp, Sample, Theme
from tests.integration.test_audit_pages import make_framework, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(db):
    return make_framework()


def body(hull, framework, **changes):
    data = {"partnership": hull.pk, "framework": framework.pk, "plan_id": "PLAN-7",
            "audit_date": "2024-05-02", "auditor": "Aziz Auditor", "agency": "Education",
            "phase": "Secondary", "need": "SEMH", "grades": {"B": "Good"},
            "scores": {"A1": 2, "A2": 1}}
    data.update(changes)
    return data


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_api_needs_a_login(client, hull, framework):
    assert client.get("/api/quality/frameworks").status_code == 401
    assert post(client, "/api/quality/audits", body(hull, framework)).status_code == 401


def test_frameworks_list_and_detail(client, alice, framework):
    client.force_login(alice)
    found = [f for f in client.get("/api/quality/frameworks").json()
             if not f["shared"] or f["key"] == "test-ehc"]  # apart from those LAPIS ships
    assert [f["key"] for f in found] == ["test-ehc"]
    assert found[0]["thresholds"] == {"outstanding": 87.5, "good": 62.5,
                                      "requires_improvement": 37.5}
    assert "Good from 62.5 out of 100" in found[0]["thresholds_in_words"]
    detail = client.get(f"/api/quality/frameworks/{framework.pk}").json()
    assert [s["code"] for s in detail["sections"]] == ["A", "B", "C"]
    assert detail["sections"][1]["criteria"][0] == {
        "id": detail["sections"][1]["criteria"][0]["id"], "code": "B1",
        "text": "Needs are specific", "guidance": "Each need described", "weight": 3.0,
        "contributor": "education"}


def test_create_an_audit_with_recorded_and_computed_grades(client, alice, hull, framework):
    client.force_login(alice)
    response = post(client, "/api/quality/audits", body(hull, framework))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["audit_id"] == "QA-2024-001" and data["plan_id"] == "PLAN-7"
    grades = {g["section"]: g for g in data["grades"]}
    # A: (2 x 2 + 1 x 1) / 6 = 83.3: Good, computed. Overall over A1, A2: the same.
    assert grades["A"] == {"section": "A", "grade": "Good", "method": "computed",
                           "score": 83.333, "score_shown": "83.3"}
    assert grades["B"]["method"] == "recorded" and grades["B"]["score"] is None
    assert grades["overall"]["grade"] == "Good" and grades["overall"]["method"] == "computed"
    assert [s["label"] for s in data["scores"]] == ["Met", "Partly met"]
    audit = Audit.objects.get()
    assert ChangeRecord.objects.filter(model="quality.Audit", object_id=audit.pk,
                                       source="api", field="created").exists()
    listed = client.get(f"/api/quality/audits?partnership={hull.pk}").json()
    assert [a["audit_id"] for a in listed] == ["QA-2024-001"]
    detail = client.get(f"/api/quality/audits/{audit.pk}").json()
    assert detail["history"][0]["field"] == "created"


def test_bad_audits_are_refused_with_every_problem_and_nothing_written(client, alice, hull,
                                                                      framework):
    client.force_login(alice)
    response = post(client, "/api/quality/audits", body(
        hull, framework, scores={"A1": 7, "Z9": 1}, grades={"Q": "Good"}))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"scores.Z9", "grades.Q"}
    response = post(client, "/api/quality/audits", body(
        hull, framework, scores={"A1": 7}, grades={"overall": "Superb"}, plan_id="",
        audit_date=(dt.date.today() + dt.timedelta(days=1)).isoformat()))
    errors = response.json()["errors"]
    assert response.status_code == 422
    assert set(errors) == {"plan_id", "audit_date", "grades.overall", "scores.A1"}
    assert errors["scores.A1"] == "Score A1 on the scale: Not met, Partly met, Met"
    response = post(client, "/api/quality/audits", {**body(hull, framework),
                                                    "framework": 999999})
    assert response.status_code == 422
    assert Audit.objects.count() == 0


def test_edit_with_the_version_and_a_stale_one_gets_409(client, alice, hull, framework):
    client.force_login(alice)
    created = post(client, "/api/quality/audits", body(hull, framework)).json()
    changed = {k: v for k, v in body(hull, framework).items()
               if k not in ("partnership", "framework")}
    response = client.put(f"/api/quality/audits/{created['id']}",
                          {**changed, "grades": {"overall": "Outstanding"}, "version": 1},
                          content_type="application/json")
    assert response.status_code == 200, response.json()
    assert "grade overall" in response.json()["changed"]
    assert "grade B" in response.json()["changed"]  # B is no longer recorded: not graded
    stale = client.put(f"/api/quality/audits/{created['id']}",
                       {**changed, "auditor": "Someone", "version": 1},
                       content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    assert Audit.objects.get().auditor == "Aziz Auditor"


def test_moderation_through_the_api(client, alice, hull, framework):
    client.force_login(alice)
    created = post(client, "/api/quality/audits", body(hull, framework)).json()
    same = post(client, f"/api/quality/audits/{created['id']}/moderations",
                {**body(hull, framework), "plan_id": ""})
    assert same.status_code == 422 and "auditor" in same.json()["errors"]
    response = post(client, f"/api/quality/audits/{created['id']}/moderations",
                    {**body(hull, framework), "plan_id": "", "auditor": "Hana Health",
                     "grades": {"B": "Inadequate"}})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["moderates"] == created["id"] and data["plan_id"] == "PLAN-7"
    assert data["agreement"]["agreed"] == 2 and data["agreement"]["compared"] == 3
    other_plan = post(client, f"/api/quality/audits/{created['id']}/moderations",
                      {**body(hull, framework), "auditor": "Hana", "plan_id": "PLAN-8"})
    assert other_plan.status_code == 422 and "plan_id" in other_plan.json()["errors"]
    counted = client.get(f"/api/quality/audits?partnership={hull.pk}&moderations=false").json()
    assert len(counted) == 1


def test_findings_follow_ups_themes_and_raising_an_action(client, alice, hull, framework):
    client.force_login(alice)
    ids = [post(client, "/api/quality/audits", body(hull, framework, plan_id=p)).json()["id"]
           for p in ("P1", "P2")]
    for audit_id in ids:
        response = post(client, f"/api/quality/audits/{audit_id}/findings", {
            "text": "Outcomes are not SMART", "section": "A",
            "themes": ["Outcomes not SMART"]})
        assert response.status_code == 201
    assert Theme.objects.count() == 1
    findings = client.get(f"/api/quality/audits/{ids[0]}/findings").json()
    assert findings[0]["themes"] == ["Outcomes not SMART"]
    bad = post(client, f"/api/quality/audits/{ids[0]}/findings", {"text": "", "kind": "x"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"text", "kind"}

    owner = Person.objects.filter(partnership=hull).first()
    response = post(client, f"/api/quality/audits/{ids[0]}/follow-ups", {
        "kind": "reaudit", "description": "Re-audit in three months", "owner": owner.name,
        "due": "2024-08-01"})
    assert response.status_code == 201
    follow_up = response.json()
    assert follow_up["overdue"] is True and follow_up["done"] is None
    nobody = post(client, f"/api/quality/audits/{ids[0]}/follow-ups", {
        "kind": "reaudit", "description": "x", "owner": "Nobody At All", "due": "2024-08-01"})
    assert nobody.status_code == 422
    assert [f["id"] for f in client.get("/api/quality/follow-ups?open=true").json()] == [
        follow_up["id"]]
    done = post(client, f"/api/quality/follow-ups/{follow_up['id']}/done", {"version": 1})
    assert done.status_code == 200 and done.json()["done"] == dt.date.today().isoformat()
    assert client.get("/api/quality/follow-ups?open=true").json() == []
    twice = post(client, f"/api/quality/follow-ups/{follow_up['id']}/done", {})
    assert twice.status_code == 422

    themes = client.get(f"/api/quality/themes?partnership={hull.pk}").json()
    assert themes["themes"][0]["audits"] == 2 and themes["themes"][0]["recurring"] is True
    assert themes["themes"][0]["by_quarter"] == {"2024 Q2": 2}
    theme = Theme.objects.get()
    plan = Plan.objects.get(partnership=hull)
    suggested = actions.suggest_ref(plan, 2)
    response = post(client, f"/api/quality/themes/{theme.pk}/action",
                    {"plan": plan.pk, "priority": 2})
    assert response.status_code == 201, response.json()
    raised = response.json()["action"]
    assert raised["ref"] == suggested and raised["status"]
    assert "Outcomes not SMART" in raised["description"]
    action = Action.objects.get(pk=raised["id"])
    assert Theme.objects.get().action == action
    assert suggested in client.get("/plan/").content.decode()
    again = post(client, f"/api/quality/themes/{theme.pk}/action",
                 {"plan": plan.pk, "priority": 2})
    assert again.status_code == 422 and "theme" in again.json()["errors"]
    assert Action.objects.filter(plan=plan).count() == 82


def test_samples_through_the_api(client, alice, hull, framework):
    client.force_login(alice)
    response = post(client, "/api/quality/samples", {
        "partnership": hull.pk, "framework": framework.pk, "month": "2024-06-17", "size": 2,
        "pasted": "A\nB\nC\nD", "seed": 11})
    assert response.status_code == 201
    data = response.json()
    assert data["month"] == "2024-06-01" and len(data["plans"]) == 2
    assert data["filters"]["seed"] == 11
    again = post(client, "/api/quality/samples", {
        "partnership": hull.pk, "framework": framework.pk, "month": "2024-06-01", "size": 2,
        "pasted": "D\nC\nB\nA", "seed": 11}).json()
    assert [p["plan_id"] for p in again["plans"]] == [p["plan_id"] for p in data["plans"]]
    viewer = member(hull, "vic", Role.VIEWER)
    client.force_login(viewer)
    shown = client.get(f"/api/quality/samples/{data['id']}").json()
    assert shown["plans"] is None and shown["size"] == 2
    assert Sample.objects.count() == 2


def test_another_partnership_sees_nothing(client, alice, charlie, hull, framework):
    client.force_login(alice)
    created = post(client, "/api/quality/audits", body(hull, framework)).json()
    post(client, f"/api/quality/audits/{created['id']}/findings",
         {"text": "x", "themes": ["T"]})
    owner = Person.objects.filter(partnership=hull).first()
    follow_up = post(client, f"/api/quality/audits/{created['id']}/follow-ups", {
        "kind": "training", "description": "x", "owner": owner.name,
        "due": "2030-01-01"}).json()
    theme = Theme.objects.get()
    client.force_login(charlie)
    assert client.get("/api/quality/audits").json() == []
    assert client.get(f"/api/quality/audits/{created['id']}").status_code == 404
    assert client.get(f"/api/quality/audits?partnership={hull.pk}").status_code == 404
    assert client.get(f"/api/quality/themes?partnership={hull.pk}").status_code == 404
    assert client.get("/api/quality/follow-ups").json() == []
    assert post(client, f"/api/quality/audits/{created['id']}/findings",
                {"text": "x"}).status_code == 404
    assert post(client, f"/api/quality/follow-ups/{follow_up['id']}/done",
                {}).status_code == 404
    assert post(client, f"/api/quality/themes/{theme.pk}/action",
                {"plan": 1, "priority": 1}).status_code == 404
    elsewhere = Partnership.objects.get(name="Elsewhere")
    assert post(client, "/api/quality/audits", {**body(hull, framework),
                                                "partnership": hull.pk}).status_code == 404
    assert post(client, "/api/quality/audits", body(elsewhere, framework)).status_code == 201
    assert FollowUp.objects.get().done is None
