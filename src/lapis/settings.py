"""LAPIS settings: one module, configured by environment variables parsed strictly.

See `.env.example` for every variable. Development defaults are safe for a laptop; production
sets LAPIS_DEBUG=false, LAPIS_SECRET_KEY and LAPIS_ALLOWED_HOSTS (see the README).
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from lapis.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("LAPIS_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = env_bool("LAPIS_DEBUG", True)
SECRET_KEY = env_str("LAPIS_SECRET_KEY", "insecure-development-key" if DEBUG else "")
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every page needs a login: children's services data is never public by default.
    "lapis.middleware.LoginRequired",
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
        # Wait up to 5 s for another writer rather than failing at once.
        "timeout": 5,
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LAPIS_LOG_LEVEL", "WARNING")},
}

# whitenoise: in development serve straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
