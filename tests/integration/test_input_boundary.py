"""Each channel obeys the input rules (lapis.core.inputs): a page form, the API, a command.
Control characters are cleaned away; a 2 MB or empty text and a date in year 1 or 9999 are
refused; and afterwards the voice pages and summary still work."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lapis.plans.models import Action, Plan
from lapis.voice.models import Complaint

pytestmark = pytest.mark.django_db

COMPLAINT = {"reference": "C-EDGE-1", "received": "03/03/2025", "channel": "email",
             "service": "SEND casework", "themes": ["communication"], "stage": "1",
             "outcome": "open", "responded": ""}


@pytest.fixture
def pm(client, personas):
    client.force_login(personas["pm"])
    return client


def test_a_page_form_cleans_control_characters(pm, hull):
    data = COMPLAINT | {"service": "x\x01\x1b"}
    response = pm.post(f"/voice/complaints/new/?partnership={hull.pk}", data)
    assert response.status_code == 302
    assert Complaint.objects.get(reference="C-EDGE-1").service == "x"


@pytest.mark.parametrize("received", ["0001-01-01", "01/05/0024", "9999-12-31"])
def test_a_page_form_refuses_an_implausible_date(pm, hull, received):
    response = pm.post(f"/voice/complaints/new/?partnership={hull.pk}",
                       COMPLAINT | {"received": received})
    assert response.status_code == 400
    assert "must be between 01/01/1990 and 31/12/2100" in response.content.decode()
    assert not Complaint.objects.filter(reference="C-EDGE-1").exists()
    assert pm.get("/voice/").status_code == 200
    assert pm.get("/api/voice/summary").status_code == 200


def test_a_page_form_refuses_two_megabytes(pm, hull):
    response = pm.post(f"/voice/complaints/new/?partnership={hull.pk}",
                       COMPLAINT | {"service": "a" * 2_000_000})
    assert response.status_code == 400
    assert not Complaint.objects.filter(reference="C-EDGE-1").exists()


def test_the_api_cleans_and_refuses(pm, hull):
    plan = Plan.objects.get()
    url = f"/api/plans/{plan.pk}/actions/1.1"
    version = Action.objects.get(plan=plan, ref="1.1").version
    for description in ("", "a" * 2_000_000):
        response = pm.patch(url, {"version": version, "description": description},
                            content_type="application/json")
        assert response.status_code == 422, response.content[:300]
    response = pm.patch(url, {"version": version, "description": "Do it\x01\x1b"},
                        content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert Action.objects.get(plan=plan, ref="1.1").description == "Do it"
    response = pm.post(f"{url}/progress", {"text": "Done", "date": "0001-01-01"},
                       content_type="application/json")
    assert response.status_code == 422
    response = pm.post(f"{url}/change-requests", {
        "kind": "due_date", "reason": "Later", "board": "SEND Strategic Board",
        "due": "9999-12"}, content_type="application/json")
    assert response.status_code == 422
    response = pm.post("/api/voice/complaints", COMPLAINT | {
        "themes": ["communication"], "stage": 1, "received": "0001-01-01"},
        content_type="application/json")
    assert response.status_code == 422
    assert pm.get("/api/voice/summary").status_code == 200


@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31"])
def test_a_command_refuses_an_implausible_date(hull, as_of):
    with pytest.raises(CommandError, match="between 01/01/1990"):
        call_command("drift", "--plan", "Hull SEND improvement plan", "--as-of", as_of,
                     stdout=io.StringIO())
