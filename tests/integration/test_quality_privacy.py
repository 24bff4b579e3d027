"""Plan IDs are pseudonymous case-level data: a change of plan ID shows in the history only to
those who may see case IDs (administrators, programme managers) or who audit plans."""

import pytest

from lapis.partnership.models import Role
from tests.integration.test_audit_pages import make_framework, member
from tests.integration.test_quality_api import body

pytestmark = pytest.mark.django_db


def test_a_changed_plan_id_is_hidden_from_the_history_for_viewers(client, alice, hull):
    framework = make_framework()
    client.force_login(alice)
    created = client.post("/api/quality/audits", body(hull, framework),
                          content_type="application/json").json()
    changed = {k: v for k, v in body(hull, framework).items()
               if k not in ("partnership", "framework")}
    response = client.put(f"/api/quality/audits/{created['id']}",
                          {**changed, "plan_id": "PLAN-8", "version": 1},
                          content_type="application/json")
    assert response.status_code == 200, response.json()

    def plan_id_changes(user):
        client.force_login(user)
        rows = client.get("/api/history?record=quality.Audit").json()
        return [(r["old"], r["new"]) for r in rows if r["field"] == "plan_id"]

    assert plan_id_changes(alice) == [("PLAN-7", "PLAN-8")]
    auditor = member(hull, "aziz", Role.AUDITOR)
    assert plan_id_changes(auditor) == [("PLAN-7", "PLAN-8")]
    viewer = member(hull, "vic", Role.VIEWER)
    assert plan_id_changes(viewer) == [("(hidden)", "(hidden)")]
    page = client.get(f"/quality/audits/{created['id']}/")
    assert page.status_code == 200
    assert "PLAN-7" not in page.content.decode() and "PLAN-8" not in page.content.decode()
