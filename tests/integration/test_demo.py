"""`lapis demo`, as `make run` runs it: the demo partnership built through every app's actions,
and a second run that adds nothing."""

import re

import pytest
from django.contrib.auth import get_user_model

from lapis.core.models import ChangeRecord
from lapis.partnership.models import Membership, Partnership
from lapis.plans.models import Action
from lapis.quality.models import Audit
from lapis.risks.models import Risk
from lapis.scorecard.models import ScorecardSet
from tests.integration.helpers import lapis

pytestmark = pytest.mark.django_db


def _logins(out: str) -> str:
    return re.search(r"Demo logins, all with the password '([^']+)'", out).group(1)


def _signs_in(client, username, password) -> bool:
    """Through the sign-in form, as a person would."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_the_demo_loads_and_loads_again(client):
    out, _ = lapis("demo")
    hull = Partnership.objects.get()
    assert Action.objects.filter(plan__partnership=hull).count() == 81
    assert Risk.objects.filter(partnership=hull).exists()
    assert Audit.objects.filter(partnership=hull).exists()
    assert ScorecardSet.objects.filter(partnership=hull).exists()
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"demo": "programme_manager", "demo-lead": "lead",
                     "demo-board": "board_member", "demo-forum": "forum",
                     "demo-auditor": "auditor"}
    password = _logins(out)
    assert _signs_in(client, "demo", password)
    assert client.get("/plan/").status_code == 200

    counts = (Action.objects.count(), Risk.objects.count(), Audit.objects.count(),
              get_user_model().objects.count())
    out, _ = lapis("demo")
    assert (Action.objects.count(), Risk.objects.count(), Audit.objects.count(),
            get_user_model().objects.count()) == counts
    # A new password each run, and the old one no longer works.
    assert _logins(out) != password
    client.logout()
    assert not _signs_in(client, "demo", password)
    assert ChangeRecord.objects.filter(by="demo").exists()
