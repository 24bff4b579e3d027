"""Sign-in as councils and the NHS expect (issue 14): lockout, throttled password resets, a
sign-in and a download log for administrators, per-partnership switch-off, two-factor codes,
idle sessions, single sign-on through OpenID Connect (a fake Entra ID), the admin for
superusers only."""

import json
import time
from unittest import mock

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import clear_url_caches

from lapis.partnership import actions
from lapis.partnership.models import (
    Download,
    ExternalIdentity,
    Membership,
    Partnership,
    Role,
    SignIn,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


# --- lockout ---------------------------------------------------------------------------------

def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client,
                                                                                personas):
    for _ in range(4):
        assert _sign_in(client, "persona-viewer", "wrong").status_code == 200
    locked = _sign_in(client, "persona-viewer", "wrong")
    assert locked.status_code == 429
    assert "You cannot sign in for now" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    refused = _sign_in(client, "persona-viewer", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    outcomes = list(SignIn.objects.filter(username="persona-viewer")
                    .order_by("id").values_list("outcome", flat=True))
    assert outcomes[:4] == ["failure"] * 4 and set(outcomes[4:]) == {"lockout"}


def test_the_lockout_is_per_username_and_a_success_clears_the_count(client, personas):
    for _ in range(4):
        _sign_in(client, "persona-viewer", "wrong")
    assert _sign_in(client, "persona-viewer", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, "persona-viewer", "wrong")
    assert _sign_in(client, "persona-forum", PASSWORD).status_code == 302  # another login
    entry = SignIn.objects.filter(username="persona-forum", outcome="success").get()
    assert entry.address == "127.0.0.1" and entry.user == personas["forum"]


@override_settings(LAPIS_RESET_LIMIT=3)
def test_password_reset_requests_are_throttled_per_address_and_email(client, personas):
    for n in range(3):
        response = client.post("/accounts/password_reset/", {"email": f"n{n}@example.org"})
        assert response.status_code == 302
    response = client.post("/accounts/password_reset/", {"email": "other@example.org"})
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    for n in range(3):
        client.post("/accounts/password_reset/", {"email": "kelly@example.org"},
                    REMOTE_ADDR=f"10.0.0.{n}")
    assert client.post("/accounts/password_reset/", {"email": "KELLY@example.org"},
                       REMOTE_ADDR="10.0.0.9").status_code == 429


# --- accountability ---------------------------------------------------------------------------

def test_administrators_see_the_sign_in_log_and_nobody_else(client, personas):
    _sign_in(client, "persona-lead", "wrong")
    _sign_in(client, "persona-outsider", "wrong")
    client.force_login(personas["admin"])
    page = client.get("/people/sign-ins/").content.decode()
    assert "persona-lead" in page and "Wrong username or password" in page
    assert "persona-outsider" not in page  # another partnership's login
    for role in ("pm", "lead", "viewer"):
        client.force_login(personas[role])
        assert client.get("/people/sign-ins/").status_code == 403
        assert client.get("/people/downloads/").status_code == 403


def test_downloads_are_logged_with_who_and_which_partnership(client, personas, hull):
    client.force_login(personas["pm"])
    response = client.get("/plan/changes/?format=xlsx")
    assert "attachment" in response["Content-Disposition"]
    entry = Download.objects.get()
    assert (entry.user, entry.partnership, entry.filename) == (
        personas["pm"], hull, "change-control.xlsx")
    assert entry.path == "/plan/changes/?format=xlsx"
    client.force_login(personas["admin"])
    page = client.get("/people/downloads/").content.decode()
    assert "persona-pm" in page and "change-control.xlsx" in page


def test_switching_a_login_off_in_one_partnership_leaves_the_other(client, personas, hull):
    elsewhere = Partnership.objects.get(name="Elsewhere")
    shared = personas["viewer"]
    Membership.objects.create(user=shared, partnership=elsewhere, role=Role.VIEWER)
    here = Membership.objects.get(user=shared, partnership=hull)
    client.force_login(personas["admin"])
    assert client.post(f"/people/logins/{here.pk}/",
                       {"role": "viewer", "active": "no"}).status_code == 302
    shared.refresh_from_db()
    assert shared.is_active
    from lapis.partnership import permissions

    fresh = get_user_model().objects.get(pk=shared.pk)
    assert permissions.role(fresh, hull.pk) is None
    assert permissions.role(fresh, elsewhere.pk) == Role.VIEWER
    client.force_login(fresh)
    assert client.get(f"/people/?partnership={hull.pk}").status_code == 404
    assert client.get(f"/people/?partnership={elsewhere.pk}").status_code == 200


def test_the_django_admin_is_for_superusers_only(client, personas):
    staff = personas["admin"]
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # to the admin's own sign-in
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    assert client.get("/admin/").status_code == 200


# --- sessions ---------------------------------------------------------------------------------

def test_a_session_ends_after_thirty_idle_minutes(client, personas):
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(personas["viewer"])
    response = client.get("/plan/")
    assert response.cookies["sessionid"]["max-age"] == 1800


# --- two-factor -------------------------------------------------------------------------------

def _code(key_hex: str) -> str:
    from binascii import unhexlify

    from django_otp.oath import totp

    return f"{totp(unhexlify(key_hex)):06d}"


def test_two_factor_when_the_partnership_requires_it(client, personas, hull):
    admin = personas["admin"]
    client.force_login(admin)
    assert client.get("/plan/").status_code == 200  # not required yet
    assert client.post("/people/two-factor/setting/", {"required": "yes"}).status_code == 302
    hull.refresh_from_db()
    assert hull.two_factor
    response = client.get("/plan/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/people/two-factor/")
    enrol = client.get("/people/two-factor/")
    assert "Set up two-factor sign-in" in enrol.content.decode()
    key = client.session["lapis_totp_key"]
    assert client.post("/people/two-factor/", {"code": "000000"}).status_code == 400
    assert client.post("/people/two-factor/", {"code": _code(key), "next": "/plan/"})[
        "Location"] == "/plan/"
    assert client.get("/plan/").status_code == 200
    # Next sign-in: a code from the enrolled device, nothing else.
    client.logout()
    client.force_login(admin)
    assert client.get("/plan/").status_code == 302
    assert "Enter your code" in client.get("/people/two-factor/").content.decode()
    # A viewer is not asked.
    client.force_login(personas["viewer"])
    assert client.get("/plan/").status_code == 200


def test_only_administrators_set_two_factor(client, personas):
    client.force_login(personas["pm"])
    assert client.post("/people/two-factor/setting/", {"required": "yes"}).status_code == 403


# --- single sign-on (a fake Microsoft Entra ID) ----------------------------------------------

TENANT = "11111111-2222-3333-4444-555555555555"
ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"
CLIENT = "lapis-client"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks():
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [{**public, "kid": "test-key", "alg": "RS256", "use": "sig"}]}


class _Response:
    def __init__(self, body):
        self.body, self.status_code, self.url, self.text = body, 200, "", json.dumps(body)

    def json(self):
        return self.body

    def raise_for_status(self):
        return None


@pytest.fixture
def entra(settings):
    settings.LAPIS_OIDC = True
    settings.OIDC_RP_CLIENT_ID = CLIENT
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.LAPIS_OIDC_ISSUER = ISSUER
    base = f"https://login.microsoftonline.com/{TENANT}"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/oauth2/v2.0/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/oauth2/v2.0/token"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/discovery/v2.0/keys"
    settings.LAPIS_OIDC_TRUST_TENANT_EMAIL = False
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "lapis.partnership.oidc.EntraBackend"]
    settings.ROOT_URLCONF = "tests.integration.oidc_urls"
    clear_url_caches()
    yield settings
    clear_url_caches()


def _sign_on(client, **claims):
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith(
        f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize")
    state = client.session["oidc_states"]
    state_value, = state.keys()
    nonce = state[state_value]["nonce"]
    now = int(time.time())
    token = jwt.encode({"iss": ISSUER, "aud": CLIENT, "iat": now, "nbf": now,
                        "exp": now + 300, "nonce": nonce, "tid": TENANT, **claims},
                       KEY, algorithm="RS256", headers={"kid": "test-key"})

    def post(url, **kwargs):
        assert url.endswith("/oauth2/v2.0/token")
        return _Response({"id_token": token, "access_token": "access",
                          "token_type": "Bearer"})

    def get(url, **kwargs):
        assert url.endswith("/discovery/v2.0/keys")
        return _Response(_jwks())

    with mock.patch("mozilla_django_oidc.auth.requests.post", post), \
         mock.patch("mozilla_django_oidc.auth.requests.get", get):
        return client.get("/oidc/callback/", {"code": "abc", "state": state_value})


def test_someone_new_signs_on_and_has_no_access(client, entra, personas):
    response = _sign_on(client, oid="oid-new", email="new@hull.gov.uk",
                        preferred_username="new@hull.gov.uk")
    assert response.status_code == 302
    user = get_user_model().objects.get(username="new@hull.gov.uk")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert not user.memberships.exists() and not user.has_usable_password()
    assert user.email == ""  # not verified: not kept
    assert ExternalIdentity.objects.get(user=user).subject == "oid-new"
    assert SignIn.objects.get(user=user).method == "sso"


def test_a_verified_email_finds_the_existing_login_and_the_oid_keeps_it(client, entra,
                                                                        personas):
    kelly = personas["lead"]
    kelly.email = "kelly.hare@hull.gov.uk"
    kelly.save()
    _sign_on(client, oid="oid-kelly", email="Kelly.Hare@hull.gov.uk", xms_edov=True,
             preferred_username="khare@hull.gov.uk")
    assert int(client.session["_auth_user_id"]) == kelly.pk
    client.logout()
    # Her address changes in the tenant: the oid still finds her.
    _sign_on(client, oid="oid-kelly", email="k.hare@hull.gov.uk")
    assert int(client.session["_auth_user_id"]) == kelly.pk


def test_an_unverified_email_does_not_take_over_a_login(client, entra, personas):
    kelly = personas["lead"]
    kelly.email = "kelly.hare@hull.gov.uk"
    kelly.save()
    _sign_on(client, oid="oid-impostor", email="kelly.hare@hull.gov.uk",
             preferred_username="impostor@other.onmicrosoft.com")
    assert int(client.session["_auth_user_id"]) != kelly.pk


def test_a_trusted_tenant_makes_its_emails_verified(client, entra, personas):
    entra.LAPIS_OIDC_TRUST_TENANT_EMAIL = True
    kelly = personas["lead"]
    kelly.email = "kelly.hare@hull.gov.uk"
    kelly.save()
    _sign_on(client, oid="oid-kelly", email="kelly.hare@hull.gov.uk")
    assert int(client.session["_auth_user_id"]) == kelly.pk


def test_a_token_for_another_tenant_is_refused(client, entra, personas):
    entra.LAPIS_OIDC_ISSUER = "https://login.microsoftonline.com/another/v2.0"
    _sign_on(client, oid="oid-x", email="x@hull.gov.uk")
    assert "_auth_user_id" not in client.session


def test_sign_on_is_off_when_not_configured(client, db):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "Sign in with your organisation" not in client.get("/accounts/login/").content.decode()


def test_the_sign_in_page_offers_single_sign_on_when_configured(client, entra, db):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your organisation" in page and 'href="/oidc/authenticate/' in page


def test_sign_on_action_makes_unique_usernames(db):
    get_user_model().objects.create_user("sam@hull.gov.uk")
    user = actions.sign_on(issuer=ISSUER, subject="s", email="sam@hull.gov.uk",
                           verified=False, username="sam@hull.gov.uk")
    assert user.username == "sam@hull.gov.uk-2"
