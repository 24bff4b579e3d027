"""Tenancy, tested from the URL conf: every route that names an object, with Hull's objects.

The routes come from `get_resolver()` and the API's OpenAPI document (see `routes.py`), so a
new route is covered the day it is added, or fails here until its collection is known. Hull
gets one object of every kind, made by the same loaders and actions as `lapis demo`. Then:

- charlie (another partnership) gets 404 for every GET, and alice (Hull) gets the page, so
  the 404 is about who asks, not about a bad URL;
- charlie's writes (page forms and API methods) are refused and change no row of any table;
- Hull's own viewer, forum member, lead, board member and auditor are refused (403 or 404)
  every write they may not make, and nothing changes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from lapis.api.api import api
from lapis.boardpacks import actions as pack_actions
from lapis.cases import loading
from lapis.core.actors import System
from lapis.demo import governance as governance_demo
from lapis.demo import inclusion as inclusion_demo
from lapis.demo import quality as quality_demo
from lapis.demo import risks as risk_demo
from lapis.demo import scorecard as scorecard_demo
from lapis.demo import sef as sef_demo
from lapis.demo import timeline as timeline_demo
from lapis.demo import voice as voice_demo
from lapis.governance import actions as governance_actions
from lapis.inclusion.models import School
from lapis.partnership.models import Board, Membership, Person, Role
from lapis.plans import actions as work
from lapis.plans.models import Action, Plan
from lapis.quality import actions as quality_actions
from lapis.quality.models import Audit, FollowUp, Theme
from lapis.risks.models import Risk
from lapis.scorecard.models import Indicator, ScorecardSet
from lapis.sef.models import SefArea
from lapis.timeline.models import Milestone
from lapis.voice.models import Complaint, Compliment, Engagement, Survey, YouSaid
from tests.integration import routes
from tests.integration.test_audit_pages import make_framework

pytestmark = pytest.mark.django_db
EXAMPLE_CASES = Path(loading.__file__).with_name("examples")  # as `lapis demo` loads them

# Routes that only an administrator uses: alice (a programme manager) is refused them, so
# Hull's administrator shows that the URL is real.
ADMIN_ONLY = {"people/logins/<int:pk>/"}
# The roles below may use these write routes (every other write route refuses them).
MAY_WRITE = {
    Role.AUDITOR: re.compile(r"^(api/)?quality/(audits|follow-ups)/"),
}
# (role, the person they are in Hull's plan, the boards they sit on): none of them leads
# action 4.6 or sits on the board that decides its change request.
ROLES = {
    Role.VIEWER: (None, ()),
    Role.FORUM: ("Fran Forum", ()),
    Role.LEAD: ("David Pullen-Higham", ()),
    Role.BOARD_MEMBER: ("Bea Board", ("SEND Delivery Group",)),
    Role.AUDITOR: (None, ()),
}


User = get_user_model()


@dataclass
class World:
    hull: object
    objects: dict  # kind ("action", "audit", ...) -> one of Hull's
    users: dict    # "alice", "charlie", "admin" and each Role -> a login
    query: dict    # values for the API's required query parameters


def _user(username, partnership, role, person=None, boards=()):
    user = User.objects.create_user(username, password="correct horse battery")
    linked = (Person.objects.get_or_create(partnership=partnership, name=person)[0]
              if person else None)
    Membership.objects.create(user=user, partnership=partnership, role=role, person=linked)
    for name in boards:
        Board.objects.get(partnership=partnership, name=name).members.add(linked)
    return user


def build_world(hull, alice, charlie) -> World:
    """One object of every kind in Hull, through the loaders `lapis demo` uses."""
    plan = Plan.objects.get(partnership=hull)
    action = Action.objects.get(plan=plan, ref="4.6")
    strategic = Board.objects.get(partnership=hull, name="SEND Strategic Board")
    governance_demo.load(hull)
    risk_demo.load(hull)
    timeline_demo.load(plan)
    scorecard_demo.load(hull)
    inclusion_demo.load(hull)
    sef_demo.load(hull)
    loading.import_cases(partnership=hull, path=EXAMPLE_CASES, by=System("test"),
                         max_bytes=settings.LAPIS_MAX_CASE_IMPORT_BYTES)
    quality_demo.load_demo(hull, by="test")
    voice_demo.load_demo(hull, by="test")
    hull.refresh_from_db()

    work.add_progress(action=action, by=alice, text="Timeliness at 31% in October", source="test")
    request = work.raise_change_request(action=action, by=alice, kind="close", reason="Done",
                                        board=strategic, source="test")
    # A meeting ahead, as `lapis demo` keeps one, so that "due for update" has one to show.
    meeting = governance_actions.add_meeting(board=strategic, date=dt.date.today()
                                             + dt.timedelta(days=30), by=System("test"),
                                             source="test")
    first = pack_actions.create_pack(board=strategic, as_of=dt.date(2025, 10, 1), by=alice)
    second = pack_actions.create_pack(board=strategic, as_of=dt.date(2025, 11, 1), by=alice)
    framework = make_framework(partnership=hull, key="hull-own")
    sample = quality_actions.create_sample(
        partnership=hull, by=alice, framework=framework, month=dt.date(2024, 6, 1), size=2,
        pasted="plan_id,phase,need,team\nP001,Primary,ASD,East\nP002,Primary,ASD,East",
        source="test")
    users = {"alice": alice, "charlie": charlie,
             "admin": _user("ada", hull, Role.ADMIN)}
    for role, (person, boards) in ROLES.items():
        users[role] = _user(f"hull-{role}", hull, role, person, boards)
    survey = Survey.objects.filter(partnership=hull).first()
    objects = {
        "plan": plan,
        "action": action,
        "change_request": request,
        "indicator": Indicator.objects.filter(partnership=hull).order_by("pk").first(),
        "scorecard_set": ScorecardSet.objects.filter(partnership=hull).first(),
        "school": School.objects.filter(partnership=hull).first(),
        "sef_area": SefArea.objects.filter(partnership=hull).first(),
        "board": strategic,
        "meeting": meeting,
        "pack": second,
        "other_pack": first,
        "login": Membership.objects.get(user=users[Role.VIEWER]),
        "risk": Risk.objects.filter(partnership=hull).first(),
        "milestone": Milestone.objects.filter(plan=plan, action=action).first(),
        "framework": framework,
        "sample": sample,
        "audit": Audit.objects.filter(partnership=hull, moderates__isnull=True,
                                      pk=FollowUp.objects.filter(audit__partnership=hull)
                                      .values("audit")[:1]).first(),
        "follow_up": FollowUp.objects.filter(audit__partnership=hull).first(),
        "theme": Theme.objects.filter(partnership=hull).first(),
        "survey": survey,
        "question": survey.questions.order_by("number").first() if survey else None,
        "complaint": Complaint.objects.filter(partnership=hull).first(),
        "compliment": Compliment.objects.filter(partnership=hull).first(),
        "engagement": Engagement.objects.filter(partnership=hull).first(),
        "you_said": YouSaid.objects.filter(partnership=hull).first(),
    }
    missing = sorted(kind for kind, obj in objects.items() if obj is None)
    assert not missing, f"the loaders made no {missing} for Hull"
    return World(hull, objects, users, {"area": hull.la_code})


@pytest.fixture
def world(hull, alice, charlie, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # hundreds of 403s and 404s
    return build_world(hull, alice, charlie)


@cache
def openapi() -> dict:
    """The API's OpenAPI document, as /api/openapi.json serves it."""
    return api.get_openapi_schema(path_prefix="/api/")


@cache
def object_routes() -> list[routes.Route]:
    return routes.object_routes(routes.all_routes(openapi()))


def fingerprint() -> dict[str, tuple[int, int]]:
    """Rows and a checksum of every value of every LAPIS table, and of the logins (less the
    time of the last sign-in, which signing in changes)."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if not (model._meta.app_config.name.startswith("lapis") or model is User):
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows = list(model._base_manager.order_by("pk").values_list(*fields))
        tables[model._meta.label] = (len(rows), hash(repr(rows)))
    return tables


class Watch:
    """Whether a request changed the database. The full fingerprint takes a fraction of a
    second; on SQLite, `total_changes()` (rows written on this connection) says cheaply
    whether anything was written at all, and the fingerprint is taken again only then (a
    write rolled back leaves it as it was)."""

    def __init__(self):
        self.sqlite = connection.vendor == "sqlite"
        self.base, self.writes = fingerprint(), self._writes()

    def _writes(self) -> int | None:
        if not self.sqlite:
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT total_changes()")
            return cursor.fetchone()[0]

    def changed(self) -> list[str]:
        writes = self._writes()
        if self.sqlite and writes == self.writes:
            return []
        self.writes, before, self.base = writes, self.base, fingerprint()
        return sorted(label for label in self.base if before.get(label) != self.base[label])


def fill(world: World, route: routes.Route, method: str = "GET") -> str | None:
    """The route's URL for Hull's objects (None when it cannot be filled), with the API's
    required query parameters for `method`."""
    needed = routes.required_query(openapi(), route, method) if method else []
    if any(name not in world.query for name in needed):
        return None
    return routes.fill(route, world.objects, world.hull.pk,
                       {name: world.query[name] for name in needed})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, route: routes.Route, method: str, url: str):
    """A write as a browser (an empty form) or an API client (a body the schema accepts)."""
    if not route.api:
        return client.post(url, {})
    body = routes.request_body(openapi(), route, method)
    return client.generic(method, url, json.dumps(body if body is not None else {}),
                          content_type="application/json")


def test_every_object_route_names_a_known_kind_of_object():
    unknown = [f"{r.path} ({r.view}): {routes.kinds(r)}" for r in object_routes()
               if "?" in routes.kinds(r).values()]
    assert not unknown, ("routes whose parameters name no known collection; add the "
                         "collection to routes.COLLECTIONS and an object to build_world:\n"
                         + "\n".join(unknown))
    assert len(object_routes()) > 50  # pages, downloads and the API, not an empty walk


def test_another_partnership_gets_404_for_every_object(world, client):
    assert set(json.loads(signed_in(world.users["alice"]).get("/api/openapi.json").content)
               ["paths"]) == set(openapi()["paths"])
    owner, admin = signed_in(world.users["alice"]), signed_in(world.users["admin"])
    charlie = signed_in(world.users["charlie"])
    gets = [r for r in object_routes() if "GET" in r.methods]
    failures, checked = [], 0
    for route in gets:
        url = fill(world, route)
        if url is None:
            failures.append(f"{route.path} ({route.view}): cannot be filled from Hull's "
                            f"objects {routes.kinds(route)}")
            continue
        who = admin if route.path in ADMIN_ONLY else owner
        status = who.get(url).status_code
        if status not in (200, 302):
            failures.append(f"{url} ({route.view}): Hull's own user got {status}, so the "
                            "URL does not name a real object")
        status = charlie.get(url).status_code
        if status != 404:
            failures.append(f"LEAK {url} ({route.view}): charlie got {status}, not 404")
        checked += 1
    print(f"\ncross-partnership: {len(gets)} object routes, {checked} URLs checked")
    assert not failures, "\n".join(failures)
    assert checked >= len(gets)


def test_forbidden_writes_change_nothing(world):
    """charlie, and each of Hull's roles that may not use a write, is refused it and no row of
    any table changes."""
    who_all = ["charlie", *ROLES]
    clients = {who: signed_in(world.users[who]) for who in who_all}
    writes = [r for r in object_routes() if r.writes]
    failures, checked, watch = [], 0, Watch()
    # The watch sees a write: alice's own progress update through the API.
    plan, action = world.objects["plan"], world.objects["action"]
    assert signed_in(world.users["alice"]).post(
        f"/api/plans/{plan.pk}/actions/{action.ref}/progress", {"text": "Seen"},
        content_type="application/json").status_code == 201
    assert "plans.ProgressEntry" in watch.changed() and watch.changed() == []
    for route in writes:
        for method in sorted(route.writes):
            url = fill(world, route, method)
            if url is None:
                failures.append(f"{method} {route.path} ({route.view}): cannot be filled")
                continue
            for who in who_all:
                allowed = MAY_WRITE.get(who)
                if allowed is not None and allowed.search(route.path):
                    continue
                status = send(clients[who], route, method, url).status_code
                if status not in (403, 404):
                    failures.append(f"{method} {url} ({route.view}) by {who}: {status}, "
                                    "not refused (403 or 404)")
                difference = watch.changed()
                if difference:
                    failures.append(f"{method} {url} ({route.view}) by {who} changed "
                                    f"{difference}")
                checked += 1
    print(f"\nforbidden writes: {len(writes)} write routes, {checked} requests checked")
    assert not failures, "\n".join(failures)
    assert checked >= len(writes)

