"""Every API edge a probe or schemathesis found answers 4xx with a message, never 5xx."""

import pytest

from lapis.plans.models import Plan

pytestmark = pytest.mark.django_db

HUGE = 18446744073709551617


@pytest.fixture
def api(client, personas):
    client.force_login(personas["pm"])
    client.raise_request_exception = False
    return client


@pytest.fixture
def plan_id(hull):
    return Plan.objects.get().pk


def _refused(response, status=422):
    assert response.status_code == status, response.content[:500]
    assert response.json()["detail"]


def test_drift_with_negative_soon_days(api, plan_id):
    _refused(api.get(f"/api/plans/{plan_id}/drift?soon_days=-1"))
    _refused(api.get(f"/api/plans/{plan_id}/drift?stale_days=-1"))
    _refused(api.get(f"/api/plans/{plan_id}/drift?as_of=0001-01-01"))


def test_history_with_negative_limit(api, hull):
    _refused(api.get("/api/history?limit=-1"))
    _refused(api.get("/api/history?since=0001-01-01"))
    assert api.get("/api/history?limit=0").json() == []


def test_timeliness_of_year_zero(api):
    _refused(api.get("/api/cases/timeliness?period=0"))
    _refused(api.get("/api/cases/timeliness?period=9999"))
    _refused(api.get("/api/cases/timeliness?start=0001-01-01&end=2025-01-01"))
    _refused(api.get("/api/cases/at-risk?soon_days=-1"))


@pytest.mark.parametrize("quarter", ["9999Q4", "0001Q1", "1900Q2"])
def test_quality_report_of_an_implausible_quarter(api, quarter):
    _refused(api.get(f"/api/quality/reports/{quarter}"))


@pytest.mark.parametrize("path", [
    "/api/voice/complaints", "/api/voice/summary", "/api/voice/surveys", "/api/risks",
    "/api/quality/audits", "/api/timeline/milestones", "/api/quality/reports/2025Q1",
    "/api/board-packs",
])
def test_a_partnership_id_too_large_for_the_database(api, path):
    # A 4xx with a message, or nothing found; never a server error.
    response = api.get(f"{path}?partnership={HUGE}")
    assert response.status_code in (200, 404, 422), (response.status_code, response.content[:300])
    if response.status_code != 200:
        assert response.json()["detail"]


def test_an_id_too_large_in_a_path(api):
    _refused(api.get(f"/api/plans/{HUGE}"), 404)
    _refused(api.get(f"/api/voice/complaints/{HUGE}"), 404)


def test_patching_description_to_null_or_empty(api, plan_id):
    url = f"/api/plans/{plan_id}/actions/1.1"
    version = api.get(url).json().get("version", 1)
    for value in (None, "", "  \x01 "):
        response = api.patch(url, {"version": version, "description": value},
                             content_type="application/json")
        _refused(response)
    response = api.patch(url, {"version": version, "outcomes": None},
                         content_type="application/json")
    _refused(response)


@pytest.mark.parametrize("path", ["/api/voice/complaints", "/api/risks",
                                  "/api/board-packs", "/api/quality/audits"])
def test_a_multipart_post_without_a_boundary(api, path):
    response = api.generic("POST", path, b"--x\r\n", content_type="multipart/form-data")
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])


def test_the_document_lists_the_common_answers_and_voice_bodies(api):
    spec = api.get("/api/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404", "422"} <= set(operation["responses"]), (path, method)
    create = spec["paths"]["/api/voice/complaints"]["post"]["requestBody"]
    schema = create["content"]["application/json"]["schema"]
    assert schema.get("$ref") or schema.get("properties"), schema
