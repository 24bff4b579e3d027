"""The login page: accessible, helpful when the password is wrong, and the way in."""

import pytest

from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/lapis-login.png"


@pytest.fixture
def tester(django_user_model, user_password):
    return django_user_model.objects.create_user("tester", password=user_password)


def test_login_page_is_accessible(page, live_server):
    page.goto(live_server.url + "/accounts/login/")

    assert page.title() == "Sign in – LAPIS"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert page.get_by_label("Username").get_attribute("autocomplete") == "username"
    assert page.get_by_label("Password").get_attribute("autocomplete") == "current-password"
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    font = page.locator("h1").evaluate("h1 => getComputedStyle(h1).fontFamily")
    assert font == "arial, sans-serif"
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert_accessible(page)


def test_wrong_password_shows_the_error_summary(page, live_server, tester):
    sign_in(page, live_server, "tester", "not the password")

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert page.title() == "Error: Sign in – LAPIS"
    assert "There is a problem" in summary.inner_text()
    link = summary.get_by_role("link")
    assert link.get_attribute("href") == "#id_username"
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert_accessible(page)


def test_empty_form_asks_for_each_field(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == ["Enter your username", "Enter your password"]
    assert [a.get_attribute("href") for a in links.all()] == ["#id_username", "#id_password"]
    assert page.get_by_label("Password").get_attribute("aria-describedby") == "id_password-error"
    assert_accessible(page)


def test_right_password_lands_on_the_register(signed_in_page, live_server):
    page = signed_in_page

    assert page.url == live_server.url + "/plan/"
    assert page.get_by_role("link", name="Register").get_attribute("aria-current") == "page"
    assert page.get_by_role("link", name="Drift and delay").get_attribute("aria-current") is None


def test_sign_out_returns_to_the_login_page(signed_in_page, live_server):
    page = signed_in_page

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url(live_server.url + "/accounts/login/")
    assert page.get_by_role("button", name="Sign out").count() == 0
    page.goto(live_server.url + "/plan/")
    assert page.url.startswith(live_server.url + "/accounts/login/?next=")
