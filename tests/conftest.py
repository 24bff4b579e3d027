"""Shared fixtures: the real Hull register, and people who use it.

Hull and its personas come from the test universe (`tests/universe.py`): built once per
session (and per xdist worker) through the real import command, restored for each test that
asks for them, and rolled back with the test.
"""

from pathlib import Path

import hypothesis
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from lapis.partnership.models import Board, Membership, Partnership, Person, Role
from tests.universe import Layer

FIXTURES = Path(__file__).parent / "fixtures"
HULL = FIXTURES / "hull-send-improvement-plan.xlsx"
PASSWORD = "correct horse battery"

# The suite runs on both cores with other work beside it: hypothesis judges correctness, not
# speed, so its timing checks (a slow example, a slow draw) would only make it flaky.
hypothesis.settings.register_profile(
    "lapis", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow])
hypothesis.settings.load_profile("lapis")


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords():
    """Tests create many logins: a fast hasher, as Django's own test advice has it."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _build_hull():
    call_command("import_plan", str(HULL), plan="Hull SEND improvement plan",
                 partnership="Hull", stdout=_Null(), stderr=_Null())


# One login per role in Hull, each linked to the person they are in the plan where the role
# needs one (Kelly Hare is the SRO of 4.6; Bea Board sits on the SEND Strategic Board), and
# an outsider: a programme manager of another partnership.
PERSONAS = {
    "admin": (Role.ADMIN, None, None),
    "pm": (Role.PROGRAMME_MANAGER, None, None),
    "lead": (Role.LEAD, "Kelly Hare", None),
    "board": (Role.BOARD_MEMBER, "Bea Board", "SEND Strategic Board"),
    "forum": (Role.FORUM, "Fran Forum", None),
    "auditor": (Role.AUDITOR, None, None),
    "viewer": (Role.VIEWER, None, None),
    "outsider": (Role.PROGRAMME_MANAGER, None, None),
}


def _build_personas():
    hull = Partnership.objects.get(name="Hull")
    elsewhere = Partnership.objects.create(name="Elsewhere")
    for name, (role, person, board) in PERSONAS.items():
        partnership = elsewhere if name == "outsider" else hull
        linked = (Person.objects.get_or_create(partnership=partnership, name=person)[0]
                  if person else None)
        _member(f"persona-{name}", partnership, role, person=linked)
        if board:
            Board.objects.get(partnership=hull, name=board).members.add(linked)


@pytest.fixture(scope="session")
def universe(django_db_setup, django_db_blocker):
    """The layers, captured once per session: Hull, then the personas on top of it."""
    with django_db_blocker.unblock():
        hull_layer = Layer(_build_hull)
        hull_layer.capture()
        personas_layer = Layer(_build_personas, on=hull_layer)
        personas_layer.capture()
    return {"hull": hull_layer, "personas": personas_layer}


# DfE's published EHC plan files, read from ../shared beside the repository (never committed).
DFE_EHC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dfe-ehc-plans-2025"
DFE_EHC_FILES = ["timeliness_20_week.csv", "requests.csv", "annual_reviews.csv"]


def _import_dfe():
    for name in DFE_EHC_FILES:
        call_command("import_indicators", str(DFE_EHC / name), stdout=_Null(), stderr=_Null())


@pytest.fixture(scope="session")
def dfe_published(universe, django_db_blocker):
    """DfE's three EHC plan files imported (through `lapis import_indicators`) on top of Hull,
    once per session: a layer to restore, or None where ../shared is not beside the repo."""
    if not DFE_EHC.is_dir():
        return None
    with django_db_blocker.unblock():
        layer = Layer(_import_dfe, on=universe["hull"])
        layer.capture()
    return layer


@pytest.fixture
def hull_file():
    return HULL


def _committed(request) -> bool:
    """A live-server (browser) test works on committed data, which is flushed after each
    test together with the status scales and frameworks that migrations ship; the `scales`
    fixture writes those again under new ids, so the captured rows (which point at the old
    ones) cannot be restored there: such a test builds Hull for real."""
    return bool({"live_server", "transactional_db"} & set(request.fixturenames))


@pytest.fixture
def hull(request, db, universe):
    """The Hull partnership with its real register loaded through `lapis import_plan`."""
    if _committed(request):
        _build_hull()
    else:
        universe["hull"].restore()
    return Partnership.objects.get(name="Hull")


@pytest.fixture
def personas(request, hull, universe):
    """Hull's people, one login per role (`persona-admin`, `persona-pm`, `persona-lead`,
    `persona-board`, `persona-forum`, `persona-auditor`, `persona-viewer`), and
    `persona-outsider`, a programme manager of the partnership "Elsewhere"."""
    if _committed(request):
        _build_personas()
    else:
        universe["personas"].restore()
    users = get_user_model().objects.filter(username__startswith="persona-")
    return {user.username.removeprefix("persona-"): user for user in users}


@pytest.fixture
def alice(db, hull):
    """Alice, Hull's programme manager."""
    return _member("alice", hull, Role.PROGRAMME_MANAGER)


@pytest.fixture
def charlie(db, hull):
    """Charlie works for another partnership and must see nothing of Hull's. (Hull comes
    first, so that its rows keep the ids they were captured with.)"""
    other = Partnership.objects.get_or_create(name="Elsewhere")[0]
    return _member("charlie", other, Role.PROGRAMME_MANAGER)


def _member(username, partnership, role, person=None):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, partnership=partnership, role=role, person=person)
    return user


class _Null:
    def write(self, *args):
        pass

    def flush(self):
        pass
