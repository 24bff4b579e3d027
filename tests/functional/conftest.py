"""Functional tests: a real headless Chromium (Debian's) against pytest-django's live server.

Chromium comes from Debian (`make browser`), not from Playwright's own download, which this
project cannot reach. Without it these tests skip locally, and fail in CI (CI=true).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# (creating users) would otherwise raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run `make browser` (Debian's chromium package)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh context (no cookies) and page for each test."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def user_password():
    return PASSWORD


@pytest.fixture
def signed_in_page(page, live_server, django_user_model):
    """A page signed in through the real login form, as user "tester"."""
    django_user_model.objects.create_user("tester", password=PASSWORD)
    sign_in(page, live_server, "tester", PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def sign_in(page, live_server, username, password):
    """Fill in and send the login form."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def assert_accessible(page):
    """Fail listing every axe-core WCAG 2.0/2.1/2.2 A and AA violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}")
            for node in v["nodes"]:
                lines.append(f"    {node['target']}")
        pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture
def scales(transactional_db):
    """Live-server tests flush the database between tests, the status scales shipped by a
    migration included: reload them."""
    from lapis.plans.models import Status, StatusScale
    from lapis.plans.scales import load

    load(StatusScale, Status)
