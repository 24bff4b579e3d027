"""Who may write what in plan quality, through the pages and the API.

Auditors, programme managers and administrators record audits, moderations, findings,
follow-ups and samples; only programme managers and administrators raise a theme as an
improvement action. Leads, board members, forum members and viewers read but get 403 on every
write; another partnership's programme manager gets 404. A refused write changes nothing.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Partnership, Person, Role
from lapis.plans.models import Action, Plan
from lapis.quality import actions
from lapis.quality.models import Audit, AuditGrade, Finding, FollowUp, Sample, Theme
from tests.integration.test_audit_pages import audit_form, make_framework, member

pytestmark = pytest.mark.django_db

AUDITORS = {Role.ADMIN, Role.PROGRAMME_MANAGER, Role.AUDITOR}
EDITORS = {Role.ADMIN, Role.PROGRAMME_MANAGER}
READERS = [Role.LEAD, Role.BOARD_MEMBER, Role.FORUM, Role.VIEWER]


@pytest.fixture
def world(hull, alice):
    """One audit with a finding under a theme, and an open follow-up."""
    framework = make_framework()
    found = actions.create_audit(partnership=hull, by=alice, data=actions.AuditInput(
        framework=framework, plan_id="PLAN-1", audit_date=dt.date(2024, 6, 3),
        auditor="Aziz Auditor", agency="Education", overall="Good"))
    actions.add_finding(audit=found, by=alice, text="Generic advice", new_themes=["Generic advice"])
    owner = Person.objects.filter(partnership=hull).first()
    follow_up = actions.add_follow_up(audit=found, by=alice, kind="amend", description="Amend B",
                                      owner=owner, due=dt.date(2024, 9, 1))
    return {"hull": hull, "framework": framework, "audit": found, "owner": owner,
            "theme": Theme.objects.get(), "follow_up": follow_up,
            "plan": Plan.objects.get(partnership=hull)}


def snapshot():
    return (Audit.objects.count(), list(Audit.objects.values_list("auditor", "version")),
            AuditGrade.objects.count(), Finding.objects.count(), Theme.objects.count(),
            list(Theme.objects.values_list("action", flat=True)),
            list(FollowUp.objects.values_list("done", "version")), FollowUp.objects.count(),
            Sample.objects.count(), Action.objects.count(), ChangeRecord.objects.count())


def page_writes(w):
    """(name, method, url, data, success status) for every write through the pages."""
    framework, found = w["framework"], w["audit"]
    return [
        ("new audit", "post",
         f"/quality/audits/new/?partnership={w['hull'].pk}&framework={framework.pk}",
         audit_form(framework, plan_id="PLAN-2"), 302),
        ("edit audit", "post", f"/quality/audits/{found.pk}/edit/",
         audit_form(framework, audit_id=found.audit_id, plan_id="PLAN-1",
                    auditor="Changed", version="1"), 302),
        ("moderate", "post", f"/quality/audits/{found.pk}/moderate/",
         audit_form(framework, auditor="Second Auditor"), 302),
        ("finding", "post", f"/quality/audits/{found.pk}/findings/new/",
         {"kind": "strength", "text": "Clear voice", "new_themes": "Voice"}, 302),
        ("follow-up", "post", f"/quality/audits/{found.pk}/follow-ups/new/",
         {"kind": "training", "description": "Train", "owner": str(w["owner"].pk),
          "due_day": "1", "due_month": "1", "due_year": "2030"}, 302),
        ("done", "post", f"/quality/follow-ups/{w['follow_up'].pk}/done/", {"version": "1"},
         302),
        ("sample", "post", f"/quality/samples/new/?partnership={w['hull'].pk}",
         {"framework": str(framework.pk), "month_month": "6", "month_year": "2024",
          "size": "1", "pasted": "P1\nP2"}, 302),
    ]


def api_writes(w):
    framework, found = w["framework"], w["audit"]
    audit_body = {"plan_id": "PLAN-1", "audit_date": "2024-06-03", "auditor": "Other",
                  "agency": "Health", "grades": {"overall": "Good"}}
    return [
        ("new audit", "post", "/api/quality/audits",
         {**audit_body, "partnership": w["hull"].pk, "framework": framework.pk}, 201),
        ("edit audit", "put", f"/api/quality/audits/{found.pk}",
         {**audit_body, "auditor": "Changed", "version": 1}, 200),
        ("moderate", "post", f"/api/quality/audits/{found.pk}/moderations", audit_body, 201),
        ("finding", "post", f"/api/quality/audits/{found.pk}/findings",
         {"text": "Clear voice", "themes": ["Voice"]}, 201),
        ("follow-up", "post", f"/api/quality/audits/{found.pk}/follow-ups",
         {"kind": "training", "description": "Train", "owner": w["owner"].name,
          "due": "2030-01-01"}, 201),
        ("done", "post", f"/api/quality/follow-ups/{w['follow_up'].pk}/done", {}, 200),
        ("sample", "post", "/api/quality/samples",
         {"partnership": w["hull"].pk, "framework": framework.pk, "month": "2024-06-01",
          "size": 1, "pasted": "P1\nP2"}, 201),
    ]


def raise_writes(w):
    theme, plan = w["theme"], w["plan"]
    return [
        ("raise page", "post", f"/quality/themes/{theme.pk}/raise/",
         {"plan": str(plan.pk), "priority": "1", "ref": "1.99", "description": "Fix it"}, 302),
        ("raise api", "post", f"/api/quality/themes/{theme.pk}/action",
         {"plan": plan.pk, "priority": 1, "ref": "1.98", "description": "Fix it"}, 201),
    ]


def send(client, method, url, data):
    if url.startswith("/api/"):
        return getattr(client, method)(url, data, content_type="application/json")
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("surface", ["pages", "api"])
@pytest.mark.parametrize("role", list(Role))
def test_every_audit_write_by_every_role(client, world, role, surface):
    user = member(world["hull"], f"user-{role}", role)
    client.force_login(user)
    writes = page_writes(world) if surface == "pages" else api_writes(world)
    for name, method, url, data, ok in writes:
        before = snapshot()
        response = send(client, method, url, data)
        if role in AUDITORS:
            assert response.status_code == ok, (name, url, response.content[:2000])
            assert snapshot() != before, name
        else:
            assert response.status_code == 403, (name, url, response.status_code)
            assert snapshot() == before, name


@pytest.mark.parametrize("role", list(Role))
def test_raising_a_theme_as_an_action_by_every_role(client, world, role):
    user = member(world["hull"], f"user-{role}", role)
    client.force_login(user)
    for name, method, url, data, ok in raise_writes(world):
        Theme.objects.update(action=None)
        before = snapshot()
        response = send(client, method, url, data)
        if role in EDITORS:
            assert response.status_code == ok, (name, response.content[:2000])
            assert Theme.objects.get().action is not None
        else:
            assert response.status_code == 403, (name, response.status_code)
            assert snapshot() == before, name
    page = client.get(f"/quality/themes/{world['theme'].pk}/raise/")
    assert page.status_code in ((302,) if role in EDITORS else (403,))


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_pages_but_not_the_write_forms(client, world, role):
    user = member(world["hull"], f"user-{role}", role)
    client.force_login(user)
    found = world["audit"]
    for url in ("/quality/", "/quality/frameworks/", f"/quality/frameworks/"
                f"{world['framework'].pk}/", "/quality/audits/", f"/quality/audits/{found.pk}/",
                "/quality/themes/", "/quality/samples/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Record an audit" not in page and "Moderate this audit" not in page
        assert "Raise as an improvement action" not in page and "Mark done" not in page
    for url in ("/quality/audits/new/", f"/quality/audits/{found.pk}/edit/",
                f"/quality/audits/{found.pk}/moderate/",
                f"/quality/audits/{found.pk}/findings/new/",
                f"/quality/audits/{found.pk}/follow-ups/new/", "/quality/samples/new/",
                f"/quality/themes/{world['theme'].pk}/raise/"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/quality/follow-ups/{world['follow_up'].pk}/done/").status_code == 405


def test_an_auditor_may_not_raise_but_sees_the_forms(client, world):
    user = member(world["hull"], "aziz", Role.AUDITOR)
    client.force_login(user)
    page = client.get(f"/quality/audits/{world['audit'].pk}/").content.decode()
    assert "Moderate this audit" in page and "Mark done" in page
    assert "Raise as an improvement action" not in client.get("/quality/themes/").content.decode()


def test_another_partnership_gets_404_on_every_read_and_write(client, world, charlie):
    client.force_login(charlie)
    found = world["audit"]
    for url in (f"/quality/audits/{found.pk}/", f"/quality/audits/{found.pk}/edit/",
                f"/quality/audits/{found.pk}/moderate/",
                f"/quality/audits/{found.pk}/findings/new/",
                f"/quality/audits/{found.pk}/follow-ups/new/",
                f"/quality/themes/{world['theme'].pk}/raise/",
                f"/quality/?partnership={world['hull'].pk}",
                f"/quality/audits/?partnership={world['hull'].pk}",
                f"/api/quality/audits/{found.pk}"):
        assert client.get(url).status_code == 404, url
    for name, method, url, data, _ in [*page_writes(world), *api_writes(world),
                                       *raise_writes(world)]:
        before = snapshot()
        response = send(client, method, url, data)
        assert response.status_code == 404, (name, url, response.status_code)
        assert snapshot() == before, name
    alice = get_user_model().objects.get(username="alice")
    sample = actions.create_sample(partnership=world["hull"], by=alice,
                                   framework=world["framework"], month=dt.date(2024, 6, 1),
                                   size=1, pasted="P1")
    assert client.get(f"/quality/samples/{sample.pk}/").status_code == 404
    assert client.get(f"/api/quality/samples/{sample.pk}").status_code == 404
    # Their own landing page shows none of Hull's audits.
    assert "PLAN-1" not in client.get("/quality/").content.decode()
    assert Partnership.objects.get(name="Elsewhere").audits.count() == 0


def test_the_actions_check_permission_themselves(world, charlie):
    """Every write refuses a reader (and another partnership's manager) inside the action,
    not only in the pages and the API, and changes nothing."""
    from django.core.exceptions import PermissionDenied

    from lapis.core.actors import System
    from lapis.quality import importing

    hull, framework, found = world["hull"], world["framework"], world["audit"]
    data = actions.AuditInput(framework=framework, plan_id="PLAN-9",
                              audit_date=dt.date(2024, 6, 3), auditor="Aziz Auditor",
                              agency="Education", overall="Good")
    writes = {
        "create_audit": lambda by: actions.create_audit(partnership=hull, data=data, by=by),
        "update_audit": lambda by: actions.update_audit(
            audit=found, data=data, expected_version=found.version, by=by),
        "moderate": lambda by: actions.moderate(original=found, data=data, by=by),
        "create_theme": lambda by: actions.create_theme(partnership=hull, by=by, name="New"),
        "add_finding": lambda by: actions.add_finding(audit=found, by=by, text="Found"),
        "add_follow_up": lambda by: actions.add_follow_up(
            audit=found, by=by, kind="amend", description="Amend", owner=world["owner"],
            due=dt.date(2024, 9, 1)),
        "complete_follow_up": lambda by: actions.complete_follow_up(
            follow_up=world["follow_up"], by=by),
        "raise_theme": lambda by: actions.raise_theme(
            theme=world["theme"], by=by, plan=world["plan"], priority_number=1, ref="1.99",
            description="Raised"),
        "create_sample": lambda by: actions.create_sample(
            partnership=hull, by=by, framework=framework, month=dt.date(2024, 6, 1), size=1,
            pasted="P1"),
        "import_audits": lambda by: actions.import_audits(
            partnership=hull, framework=framework, rows=importing.AuditRows(file="x.csv"),
            by=by),
    }
    refused = [charlie, *(member(hull, f"reader-{role}", role) for role in READERS)]
    before = snapshot()
    for name, write in writes.items():
        for user in refused:
            with pytest.raises(PermissionDenied):
                write(user)
            assert snapshot() == before, (name, user)
    # The operator, through a named command, passes the check and is recorded by name.
    actions.create_theme(partnership=hull, by=System("lapis test"), name="By the operator")
    assert ChangeRecord.objects.filter(by="lapis test", field="created").exists()
