"""The API against its own OpenAPI document (schemathesis): for every operation, a bounded,
derandomized set of generated requests, signed in as Hull's programme manager, answers no 5xx
and no status code the document does not list.

The app is called in process through its WSGI handler (no live server), inside the test's
transaction, so whatever the generated requests write is rolled back.
"""

import pytest
import schemathesis
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from lapis.wsgi import application

# Loaded when the module is collected: the document is built without the database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _one_connection():
    """The WSGI handler closes the database connection when a request ends (Django's
    `close_old_connections`), which would end the test's transaction on PostgreSQL. Django's
    own test client switches that off for the same reason; so does this test."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in(client, personas):
    """The cookies and header of a programme manager's session, with a CSRF token."""
    client.force_login(personas["pm"])
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return cookies, {"X-CSRFToken": token}


@schema.parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_api_keeps_to_its_document(case, signed_in):
    cookies, headers = signed_in
    case.call_and_validate(cookies=cookies, headers=headers,
                           checks=[not_a_server_error, status_code_conformance])
