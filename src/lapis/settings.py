"""LAPIS settings: one module, configured by environment variables parsed strictly.

See `.env.example` for every variable. The defaults are the production ones: LAPIS_DEBUG is
false unless set (`make run` sets it), and then LAPIS_SECRET_KEY must be set. A test run
(pytest sets PYTEST_VERSION before any plugin loads) counts as development unless LAPIS_DEBUG
says otherwise, so `pytest` works in a fresh shell; `make test` sets LAPIS_DEBUG=true anyway.
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from lapis.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("LAPIS_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("LAPIS_DEBUG", bool(os.environ.get("PYTEST_VERSION")))
# Commands that only read or change the schema sign nothing, so they need no secret key: a
# developer's `lapis makemigrations --check` works without one, while serving does not.
_SCHEMA_ONLY = {"makemigrations", "migrate", "showmigrations", "sqlmigrate", "help"}
SECRET_KEY = env_str("LAPIS_SECRET_KEY", "insecure-development-key" if DEBUG else "")
if not SECRET_KEY and set(sys.argv[1:2]) & _SCHEMA_ONLY:
    SECRET_KEY = secrets.token_urlsafe(50)  # never used to sign anything
if not SECRET_KEY:
    raise ImproperlyConfigured("LAPIS_SECRET_KEY must be set when LAPIS_DEBUG is false.")
ALLOWED_HOSTS = env_list("LAPIS_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("LAPIS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "lapis.core",
    "lapis.partnership",
    "lapis.plans",
    "lapis.governance",
    "lapis.risks",
    "lapis.timeline",
    "lapis.scorecard",
    "lapis.inclusion",
    "lapis.cases",
    "lapis.sef",
    "lapis.boardpacks",
    "lapis.quality",
    "lapis.voice",
    "lapis.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Signed-in pages and downloads are never kept by the browser or a proxy.
    "lapis.middleware.NoStore",
    # Who downloaded what: every attachment a signed-in person takes away.
    "lapis.middleware.DownloadLog",
    # Every page needs a login: children's services data is never public by default.
    "lapis.middleware.LoginRequired",
    # Administrators and programme managers of a partnership that asks for it prove a code.
    "lapis.middleware.TwoFactorRequired",
    # Locks out repeated wrong passwords (django-axes); last, as axes asks.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "lapis.urls"
WSGI_APPLICATION = "lapis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lapis.context_processors.navigation",
            ],
        },
    },
]


def _database_url() -> str:
    url = env_str("LAPIS_DATABASE_URL", "")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'lapis.sqlite3'}"


DATABASES = {"default": dj_database_url.parse(_database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers queue
        # instead of failing half way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        # Wait for another writer rather than failing at once: up to 15 s by default, longer
        # than a 150,000-row case import holds the lock to apply (about 2 s on a quiet
        # machine, 5 s on a loaded one), so a web write made meanwhile waits and succeeds.
        "timeout": int(env_str("LAPIS_SQLITE_TIMEOUT", "15")),
        # WAL lets readers carry on while an import writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:register"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this many idle minutes: every request pushes the expiry on.
SESSION_COOKIE_AGE = int(env_str("LAPIS_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True

# Lockout (django-axes): after LAPIS_LOCKOUT_FAILURES wrong passwords for one username from
# one address, that username and address may not sign in for LAPIS_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = int(env_str("LAPIS_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("LAPIS_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind the TLS proxy the address is the first in X-Forwarded-For (LAPIS_BEHIND_PROXY=true).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_bool("LAPIS_BEHIND_PROXY", False)
    else ["REMOTE_ADDR"])
# Password reset requests: at most this many per address and per email address an hour.
LAPIS_RESET_LIMIT = int(env_str("LAPIS_RESET_LIMIT", "5"))

# Two-factor codes (django-otp TOTP): the name an authenticator app shows.
OTP_TOTP_ISSUER = "LAPIS"

# Single sign-on through OpenID Connect (Microsoft Entra ID or any OIDC provider): on when
# LAPIS_OIDC_CLIENT_ID is set. LAPIS_OIDC_AUTHORITY is the issuer, for Entra
# https://login.microsoftonline.com/{tenant}/v2.0; the endpoints follow from it unless given.
LAPIS_OIDC = bool(env_str("LAPIS_OIDC_CLIENT_ID", ""))
OIDC_RP_CLIENT_ID = env_str("LAPIS_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("LAPIS_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
LAPIS_OIDC_ISSUER = env_str("LAPIS_OIDC_AUTHORITY", "").rstrip("/")
_OIDC_BASE = LAPIS_OIDC_ISSUER.removesuffix("/v2.0")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("LAPIS_OIDC_AUTHORIZATION_ENDPOINT",
                                         f"{_OIDC_BASE}/oauth2/v2.0/authorize")
OIDC_OP_TOKEN_ENDPOINT = env_str("LAPIS_OIDC_TOKEN_ENDPOINT", f"{_OIDC_BASE}/oauth2/v2.0/token")
OIDC_OP_JWKS_ENDPOINT = env_str("LAPIS_OIDC_JWKS_ENDPOINT", f"{_OIDC_BASE}/discovery/v2.0/keys")
OIDC_OP_USER_ENDPOINT = env_str("LAPIS_OIDC_USERINFO_ENDPOINT", "")
# An Entra `email` claim is only taken as verified when the token says so (`xms_edov`), or
# when the operator trusts the configured tenant's own directory (a single-tenant app whose
# tenant is the council's or the ICB's: its administrators set the addresses).
LAPIS_OIDC_TRUST_TENANT_EMAIL = env_bool("LAPIS_OIDC_TRUST_TENANT_EMAIL", False)
if LAPIS_OIDC:
    AUTHENTICATION_BACKENDS.append("lapis.partnership.oidc.EntraBackend")
    if not (LAPIS_OIDC_ISSUER or env_str("LAPIS_OIDC_TOKEN_ENDPOINT", "")):
        raise ImproperlyConfigured("LAPIS_OIDC_CLIENT_ID needs LAPIS_OIDC_AUTHORITY or the "
                                   "LAPIS_OIDC_*_ENDPOINT variables.")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("LAPIS_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Largest spreadsheet an import will open, in bytes (also the uncompressed limit per member).
LAPIS_MAX_IMPORT_BYTES = int(env_str("LAPIS_MAX_IMPORT_BYTES", str(20 * 1024 * 1024)))
# Case extracts are larger: a national-scale requests.csv is about 46 MB. Read as a stream.
LAPIS_MAX_CASE_IMPORT_BYTES = int(env_str("LAPIS_MAX_CASE_IMPORT_BYTES",
                                          str(256 * 1024 * 1024)))

# Email: reminders to leads before board meetings. Printed to the terminal in development.
EMAIL_BACKEND = env_str(
    "LAPIS_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("LAPIS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("LAPIS_EMAIL_PORT", "587"))
EMAIL_HOST_USER = env_str("LAPIS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("LAPIS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LAPIS_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("LAPIS_EMAIL_FROM", "LAPIS <lapis@localhost>")

# Production hardening; `lapis check --deploy` is clean with LAPIS_DEBUG=false and HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("LAPIS_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else int(env_str("LAPIS_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from LAPIS itself
# only, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LAPIS_LOG_LEVEL", "WARNING")},
}

# whitenoise: in development serve straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
