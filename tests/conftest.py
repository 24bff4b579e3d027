"""Shared fixtures: the real Hull register, and people who use it."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from lapis.partnership.models import Membership, Partnership, Role

FIXTURES = Path(__file__).parent / "fixtures"
HULL = FIXTURES / "hull-send-improvement-plan.xlsx"


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords():
    """Tests create many logins: a fast hasher, as Django's own test advice has it."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hull_file():
    return HULL


@pytest.fixture
def hull(db):
    """The Hull partnership with its real register loaded through the command."""
    call_command("import_plan", str(HULL), plan="Hull SEND improvement plan",
                 partnership="Hull", stdout=_Null(), stderr=_Null())
    return Partnership.objects.get(name="Hull")


@pytest.fixture
def alice(db, hull):
    """Alice, Hull's programme manager."""
    return _member("alice", hull, Role.PROGRAMME_MANAGER)


@pytest.fixture
def charlie(db):
    """Charlie works for another partnership and must see nothing of Hull's."""
    other = Partnership.objects.create(name="Elsewhere")
    return _member("charlie", other, Role.PROGRAMME_MANAGER)


def _member(username, partnership, role):
    user = get_user_model().objects.create_user(username, password="correct horse battery")
    Membership.objects.create(user=user, partnership=partnership, role=role)
    return user


class _Null:
    def write(self, *args):
        pass

    def flush(self):
        pass
