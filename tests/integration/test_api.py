"""The JSON API: the same data as the pages, scoped the same way."""

import pytest

from lapis.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_the_api_needs_a_login(client, hull):
    assert client.get("/api/plans").status_code == 401


def test_plans_plan_action_and_drift(client, alice):
    client.force_login(alice)
    plans = client.get("/api/plans").json()
    assert plans == [{"id": plans[0]["id"], "name": "Hull SEND improvement plan",
                      "partnership": "Hull", "scale": "Hull BRAG", "actions": 81}]
    plan_id = plans[0]["id"]
    data = client.get(f"/api/plans/{plan_id}").json()
    assert len(data["actions"]) == 81
    action = client.get(f"/api/plans/{plan_id}/actions/3.11a").json()
    assert action["ref"] == "3.11a" and action["sro"] == "David Pullen-Higham"
    assert action["history"][0]["field"] == "created"
    drift = client.get(f"/api/plans/{plan_id}/drift?as_of=2025-11-01").json()
    assert {"ref": "4.10"}.items() <= next(d for d in drift if d["ref"] == "4.10").items()


def test_another_partnership_gets_404(client, hull, charlie):
    client.force_login(charlie)
    assert client.get("/api/plans").json() == []
    plan = Plan.objects.get()
    assert client.get(f"/api/plans/{plan.pk}").status_code == 404
    assert client.get(f"/api/plans/{plan.pk}/drift").status_code == 404


def test_the_openapi_document(client, alice):
    client.force_login(alice)
    spec = client.get("/api/openapi.json").json()
    assert spec["info"]["title"] == "LAPIS API"
    assert "/api/plans/{plan_id}/drift" in spec["paths"]
