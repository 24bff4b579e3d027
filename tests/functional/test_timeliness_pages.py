"""The timeliness, at-risk and data-quality pages in Chromium with axe-core, for a programme
manager (case-level) and a viewer (counts only)."""

import os

import pytest

from lapis.partnership.models import Role
from tests.functional.conftest import assert_accessible, sign_in
from tests.integration.test_timeliness import cases, member  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("LAPIS_SCREENSHOTS", "/tmp")


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.VIEWER])
def test_the_pages_are_accessible(scales, page, live_server, cases, role):  # noqa: F811
    member("someone", cases, role)
    sign_in(page, live_server, "someone", "correct horse battery")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for name, url in (("timeliness", "/cases/?period=2024&as_of=2025-01-31"),
                      ("at-risk", "/cases/at-risk/?as_of=2025-01-31"),
                      ("quality", "/cases/quality/")):
        page.goto(live_server.url + url)
        page.screenshot(path=f"{SHOTS}/lapis-{name}-{role}.png", full_page=True)
        assert_accessible(page)
        assert (page.locator(".lapis-case-ids").count() > 0) == (
            role == Role.PROGRAMME_MANAGER and name != "quality")
