"""The test universe restores what the real import builds, and each test starts from it."""

import json

import pytest

from lapis.partnership.models import Membership, Partnership, Role
from lapis.plans.models import Action, ProgressEntry
from tests.conftest import HULL
from tests.integration.helpers import lapis

pytestmark = pytest.mark.django_db


def test_hull_is_the_imported_register(hull):
    assert Action.objects.filter(plan__partnership=hull).count() == 81
    assert ProgressEntry.objects.filter(action__plan__partnership=hull).count() == 27
    # Importing the same workbook again finds every action already there, as it would after
    # a real import: the restored rows are the import's own.
    out, _ = lapis("import_plan", str(HULL), "--partnership", "Hull",
                   "--plan", "Hull SEND improvement plan", "--format", "json", "--dry-run")
    result = json.loads(out)
    assert result["ok"] and result["created"] == [] and result["updated"] == {}
    assert len(result["unchanged"]) == 81


def test_a_change_in_one_test(hull):
    Action.objects.filter(ref="4.6").delete()
    assert Action.objects.filter(plan__partnership=hull).count() == 80


def test_is_gone_in_the_next(hull):
    assert Action.objects.filter(plan__partnership=hull, ref="4.6").exists()


def test_new_rows_do_not_collide_with_the_universe(hull):
    other = Partnership.objects.create(name="Another")
    assert other.pk > hull.pk


def test_personas_one_per_role(personas):
    roles = {name: Membership.objects.get(user=user).role for name, user in personas.items()}
    assert roles == {"admin": Role.ADMIN, "pm": Role.PROGRAMME_MANAGER, "lead": Role.LEAD,
                     "board": Role.BOARD_MEMBER, "forum": Role.FORUM, "auditor": Role.AUDITOR,
                     "viewer": Role.VIEWER, "outsider": Role.PROGRAMME_MANAGER}
    assert Membership.objects.get(user=personas["outsider"]).partnership.name == "Elsewhere"


def test_no_hull_unless_asked(db):
    assert not Partnership.objects.exists()
