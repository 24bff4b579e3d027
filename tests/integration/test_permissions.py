"""Every role against every write of the plan, through pages, the API and commands.

The allowed succeed; everyone else is refused (403 on pages and the API, 404 for another
partnership's records, a refusal from commands) and nothing changes at all.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from lapis.core.models import ChangeRecord
from lapis.demo import governance as governance_demo
from lapis.demo.risks import FILE as RISKS_CSV
from lapis.demo.timeline import FILE as MILESTONES_CSV
from lapis.governance.models import Meeting
from lapis.partnership.models import Board, Membership, Partnership, Person, Role
from lapis.plans.models import Action, ChangeRequest, ProgressEntry
from lapis.risks.models import Risk
from lapis.timeline.models import Milestone
from tests.integration.helpers import lapis, lapis_fails

pytestmark = pytest.mark.django_db
MEETINGS_CSV = governance_demo.MEETINGS

# Who is who: Kelly Hare is the SRO of 4.6; Bea sits on the SEND Strategic Board.
PEOPLE = {
    "admin": (Role.ADMIN, None),
    "pm": (Role.PROGRAMME_MANAGER, None),
    "own_lead": (Role.LEAD, "Kelly Hare"),
    "other_lead": (Role.LEAD, "David Pullen-Higham"),
    "member": (Role.BOARD_MEMBER, "Bea Board"),
    "other_member": (Role.BOARD_MEMBER, "Dan Delivery"),
    "forum": (Role.FORUM, "Fran Forum"),
    "auditor": (Role.AUDITOR, None),
    "viewer": (Role.VIEWER, None),
    "outsider": (Role.PROGRAMME_MANAGER, None),  # another partnership
}
MAY = {
    "update": {"admin", "pm", "own_lead"},
    "change": {"admin", "pm", "own_lead"},
    "edit": {"admin", "pm"},
    "decide": {"admin", "member"},
    "risk": {"admin", "pm"},
    "milestone": {"admin", "pm", "own_lead"},
    "meeting": {"admin", "pm"},
}
# Another partnership's records are not found (404). Adding a risk to the outsider's own
# register that names Hull's action 4.6 is refused as bad input (400 on the page, 422 in
# the API): Hull's actions are not theirs to link.
OUTSIDER = {404, 400, 422}
RISK = {"code": "R9", "title": "Forum capacity", "description": "", "owner": "",
        "inherent_likelihood": "4", "inherent_impact": "3", "residual_likelihood": "3",
        "residual_impact": "3", "response": "treat", "trend": "stable", "review_day": "31",
        "review_month": "3", "review_year": "2027", "actions": "4.6", "measures": "",
        "status": "open"}


@pytest.fixture
def world(hull):
    users = {}
    elsewhere = Partnership.objects.create(name="Elsewhere")
    for name, (role, person) in PEOPLE.items():
        partnership = elsewhere if name == "outsider" else hull
        user = get_user_model().objects.create_user(name, password="correct horse battery")
        linked = (Person.objects.get_or_create(partnership=partnership, name=person)[0]
                  if person else None)
        Membership.objects.create(user=user, partnership=partnership, role=role, person=linked)
        users[name] = user
    Board.objects.get(partnership=hull, name="SEND Strategic Board").members.add(
        Person.objects.get(name="Bea Board"))
    Board.objects.get(partnership=hull, name="SEND Delivery Group").members.add(
        Person.objects.get(name="Dan Delivery"))
    action = Action.objects.get(ref="4.6")
    request = ChangeRequest.objects.create(
        action=action, kind="close", reason="Done", board=Board.objects.get(
            partnership=hull, name="SEND Strategic Board"), raised_by="pm")
    return users, action, request


def snapshot():
    action = Action.objects.get(ref="4.6")
    return (
        Risk.objects.count(), Milestone.objects.count(), Meeting.objects.count(),
        [(a.pk, a.version, a.status_id, a.last_reviewed, a.closed, a.pillar, a.description)
         for a in Action.objects.order_by("pk")],
        ProgressEntry.objects.count(),
        list(ChangeRequest.objects.values_list("pk", "decision")),
        ChangeRecord.objects.count(),
        action.version,
    )


def _page(client, user, op, action, request):
    client.force_login(user)
    if op == "update":
        return client.post(f"/plan/actions/{action.pk}/update/", {
            "date": "2025-11-03", "text": "An update", "status": "", "reason": ""}).status_code
    if op == "change":
        board = request.board.pk
        return client.post(f"/plan/actions/{action.pk}/change/", {
            "kind": "scope", "reason": "r", "board": board, "new_text": "Narrower"}).status_code
    if op == "edit":
        return client.post(f"/plan/actions/{action.pk}/edit/", {
            "version": action.version, "description": "Edited", "sro": ""}).status_code
    if op == "risk":
        return client.post("/risks/new/", RISK).status_code
    if op == "milestone":
        return client.post(f"/timeline/milestones/new/?action={action.pk}", {
            "action": action.pk, "priority": "", "title": "Autumn: 55% in 20 weeks",
            "planned": "Dec-26", "current": "", "completed_on": ""}).status_code
    if op == "meeting":
        return client.post(f"/boards/{request.board_id}/meetings/add/", {
            "date_day": "18", "date_month": "6", "date_year": "2026", "title": "Extra",
            "notes": "", "minutes_url": ""}).status_code
    return client.post(f"/plan/changes/{request.pk}/", {
        "decision": "approve", "date": "2025-11-20"}).status_code


def _api(client, user, op, action, request):
    client.force_login(user)
    base = f"/api/plans/{action.plan_id}/actions/{action.ref}"
    if op == "update":
        response = client.post(f"{base}/progress", {"text": "An update"},
                               content_type="application/json")
    elif op == "change":
        response = client.post(f"{base}/change-requests", {
            "kind": "scope", "reason": "r", "board": "SEND Strategic Board",
            "text": "Narrower"}, content_type="application/json")
    elif op == "edit":
        response = client.patch(base, {"version": action.version, "description": "Edited"},
                                content_type="application/json")
    elif op == "risk":
        response = client.post("/api/risks", {
            "partnership": action.plan.partnership_id, "code": "R9", "title": "Forum capacity",
            "inherent_likelihood": 4, "inherent_impact": 3, "residual_likelihood": 3,
            "residual_impact": 3, "response": "treat", "trend": "stable", "actions": ["4.6"]},
            content_type="application/json")
    elif op == "milestone":
        response = client.post("/api/timeline/milestones", {
            "plan": action.plan_id, "action": "4.6", "title": "Autumn: 55% in 20 weeks",
            "planned": "2026-12"}, content_type="application/json")
    else:
        response = client.post(f"/api/change-requests/{request.pk}/decision",
                               {"approve": True}, content_type="application/json")
    return response.status_code


def _command(user, op, action, request):
    args = {
        "update": ["progress", "4.6", "--text", "An update"],
        "change": ["change_request", "4.6", "--kind", "scope", "--text", "Narrower",
                   "--reason", "r", "--board", "SEND Strategic Board"],
        "decide": ["decide", str(request.pk), "--approve"],
    }[op] + ["--as", user.username, "--partnership", "Hull"][:4 if op != "decide" else 2]
    return args


@pytest.mark.parametrize("op", sorted(MAY))
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_pages(client, world, who, op):
    users, action, request = world
    before = snapshot()
    status = _page(client, users[who], op, action, request)
    if who in MAY[op]:
        assert status == 302, (who, op)
        assert snapshot() != before
    else:
        assert status in (OUTSIDER if who == "outsider" else {403}), (who, op)
        assert snapshot() == before


@pytest.mark.parametrize("op", sorted(set(MAY) - {"meeting"}))  # meetings: no API writes
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_api(client, world, who, op):
    users, action, request = world
    before = snapshot()
    status = _api(client, users[who], op, action, request)
    if who in MAY[op]:
        assert status in (200, 201), (who, op)
        assert snapshot() != before
    else:
        assert status in (OUTSIDER if who == "outsider" else {403}), (who, op)
        assert snapshot() == before


@pytest.mark.parametrize("op", ["update", "change", "decide"])
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_commands(world, who, op):
    users, action, request = world
    before = snapshot()
    args = _command(users[who], op, action, request)
    if who in MAY[op]:
        lapis(*args)
        assert snapshot() != before
    else:
        _, error = lapis_fails(*args)
        assert "refused" in error, error
        assert snapshot() == before


IMPORTS = {
    "import_risks": ["import_risks", str(RISKS_CSV), "--partnership", "Hull"],
    "import_milestones": ["import_milestones", str(MILESTONES_CSV), "--partnership", "Hull"],
    "import_meetings": ["import_meetings", str(MEETINGS_CSV), "--partnership", "Hull"],
    "remind": ["remind", "--board", "SEND Delivery Group", "--partnership", "Hull",
               "--meeting", "2025-10-14"],
}


@pytest.mark.parametrize("command", sorted(IMPORTS))
@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_the_other_writing_commands(world, who, command):
    users, _, _ = world
    if command == "remind":
        governance_demo.load(Partnership.objects.get(name="Hull"))
        Person.objects.filter(name="Mary Meredith").update(email="mary@example.org")
    before = (snapshot(), len(mail.outbox))
    args = IMPORTS[command] + ["--as", users[who].username]
    if who in {"admin", "pm"}:
        lapis(*args)
        assert (snapshot(), len(mail.outbox)) != before
    else:
        lapis_fails(*args)
        assert (snapshot(), len(mail.outbox)) == before


def test_forms_are_refused_before_they_are_shown(client, world):
    users, action, request = world
    client.force_login(users["viewer"])
    for url in (f"/plan/actions/{action.pk}/update/", f"/plan/actions/{action.pk}/change/",
                f"/plan/actions/{action.pk}/edit/"):
        assert client.get(url).status_code == 403, url
    page = client.get(f"/plan/changes/{request.pk}/").content.decode()
    assert "Record the board's decision" not in page


def test_another_partnership_sees_nothing(client, world):
    users, action, request = world
    client.force_login(users["outsider"])
    assert client.get(f"/plan/actions/{action.pk}/").status_code == 404
    assert client.get(f"/plan/changes/{request.pk}/").status_code == 404
    assert json.loads(client.get(f"/api/plans/{action.plan_id}/change-requests").content) == {
        "detail": "Not Found"}
