"""The forecast page in Chromium with axe-core, for a programme manager (case-level) and a
viewer (counts only)."""

import pytest

from lapis.partnership.models import Role
from tests.functional.conftest import assert_accessible, sign_in
from tests.integration.test_timeliness import cases, member  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.VIEWER])
def test_the_forecast_page_is_accessible(scales, page, live_server, cases, role):  # noqa: F811
    member("someone", cases, role)
    sign_in(page, live_server, "someone", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(live_server.url + "/cases/forecast/?period=2024&as_of=2024-07-01")
    assert_accessible(page)
    assert page.get_by_text("8 years out of 10").count() >= 1
    assert (page.locator(".lapis-case-ids").count() > 0) == (role == Role.PROGRAMME_MANAGER)
