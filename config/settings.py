"""Marginalia settings, read from the environment.

Runs on SQLite straight after a clone; every production knob is an environment variable
documented in the README's configuration table.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# SQLite with several processes (the demo's server and task worker, gunicorn's workers): a
# transaction that reads, then writes, takes the write lock when it begins (IMMEDIATE) rather
# than failing with "database is locked" when it upgrades while another process writes, and
# waits up to 20 s for it.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20}


def database_from_url(url: str) -> dict:
    """`postgres://user:pass@host:port/name` or `sqlite:///path` → a DATABASES entry."""
    if not url:
        data_dir = BASE_DIR / "data"
        data_dir.mkdir(exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": data_dir / "marginalia.sqlite3",
            "OPTIONS": SQLITE_OPTIONS,
        }
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path[1:]),
            "OPTIONS": SQLITE_OPTIONS,
        }
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or sqlite:///, not {parts.scheme}://"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    options: dict = {}
    if env_bool("DATABASE_POOL", True):
        from psycopg_pool import ConnectionPool

        # The pool checks a connection before handing it out (a round trip on an idle one),
        # so the connections a database restart killed are replaced, not used for a 500.
        options["pool"] = {"check": ConnectionPool.check_connection}
    # Server-side binding, and a statement prepared on its connection once it has run this
    # many times there, so PostgreSQL parses and plans it once (bench/README.md: the pages
    # making one query gain most). 0 for a pooler in transaction mode, where a connection's
    # prepared statements are not the next transaction's.
    prepare_threshold = env_int("DATABASE_PREPARE_THRESHOLD", 5)
    if prepare_threshold > 0:
        options["server_side_binding"] = True
        options["prepare_threshold"] = prepare_threshold
    if "sslmode" in query:
        options["sslmode"] = query["sslmode"]
    return {
        # Without the pool: a connection per request, unless DATABASE_CONN_MAX_AGE keeps it
        # longer, in which case it is checked at the start of each request.
        "CONN_MAX_AGE": 0 if options.get("pool") else env_int("DATABASE_CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path[1:]),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
    }


# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG=0. Set it to 50 or more random "
            "characters, e.g. the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
TESTING = "pytest" in sys.modules

INSTALLED_APPS = [
    # The project's apps, lowest first: each may use the ones above it here, never below
    # (tests/test_import_graph.py holds them to it); `demo` composes them all.
    "accounts",
    "readings",
    "circles",
    "discussions",
    "notifications",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A live margin's unchanged poll is answered here, before the session and the user load.
    "discussions.middleware.LivePollMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.http.RequestCacheMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.second_factor.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
# Form widgets render through the project's templates too (templates/accounts/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DATABASES = {"default": database_from_url(env("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    # The database cache is shared by every process, so rate limits hold across workers
    # (config.cache counts atomically; room for the counters of many people at once).
    CACHES = {
        "default": {
            "BACKEND": "config.cache.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Rendered page fragments (e.g. a chapter's passages with their highlights) are keyed by
# version numbers read from the database, so an entry is never stale, only replaced: each
# process may keep its own copy in memory, which costs no query or network round trip.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "marginalia-fragments",
    "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_ENTRIES", 2000)},
}

TASKS = {
    "default": {
        "BACKEND": env("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Accounts ---------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing the test people's passwords at full strength would dominate the test run.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Marginalia] "
# The 6th wrong password for one account within 5 minutes is refused, at login and on the
# "Delete my account" page (accounts.forms.DeleteAccountForm).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key", "delete_account": "5/300s/user"}
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Marginalia"
# Tracking activity writes to the database on every request; the devices page still shows
# where and when each session signed in.
USERSESSIONS_TRACK_ACTIVITY = False

# --- Email ------------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Marginalia <noreply@marginalia.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND_PATH = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env("EMAIL_HOST_USER"),
        "password": env("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 20,
    }

# --- Internationalisation ---------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Security ---------------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix makes browsers refuse these cookies unless Secure, on Path=/ and
    # without a Domain: no subdomain (or a plain-HTTP page) can set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = None
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Marginalia -------------------------------------------------------------------------------

# Abuse limits (discussions/limits.py). Comments and replies one person may post a minute and
# a day, counted in the default cache so that every process sees them; 0 turns a limit off.
COMMENTS_PER_MINUTE = env_int("COMMENTS_PER_MINUTE", 10)
COMMENTS_PER_DAY = env_int("COMMENTS_PER_DAY", 200)
# Accounts younger than NEW_ACCOUNT_HOURS may put at most NEW_ACCOUNT_MAX_LINKS links in a comment.
NEW_ACCOUNT_MAX_LINKS = env_int("NEW_ACCOUNT_MAX_LINKS", 2)
NEW_ACCOUNT_HOURS = env_int("NEW_ACCOUNT_HOURS", 24)

READING_UPLOAD_MAX_BYTES = env_int("READING_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# An upload waiting for its confirmation (`readings.PendingUpload`) is kept this long.
PENDING_UPLOAD_HOURS = env_int("PENDING_UPLOAD_HOURS", 24)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = READING_UPLOAD_MAX_BYTES

# --- Reading imports (readings/importers/limits.py, readings/fetch.py) ----------------------
# What one import may cost, whatever the file: past a bound it stops with a message naming
# it, and nothing is saved. Sizes are uncompressed bytes (EPUB members, PDF streams).
READING_IMPORT_MAX_MEMBER_BYTES = env_int("READING_IMPORT_MAX_MEMBER_BYTES", 16 * 1024 * 1024)
READING_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "READING_IMPORT_MAX_UNCOMPRESSED_BYTES", 64 * 1024 * 1024
)
READING_IMPORT_MAX_MEMBERS = env_int("READING_IMPORT_MAX_MEMBERS", 5_000)
READING_IMPORT_MAX_ELEMENTS = env_int("READING_IMPORT_MAX_ELEMENTS", 500_000)
READING_IMPORT_MAX_PASSAGES = env_int("READING_IMPORT_MAX_PASSAGES", 100_000)
READING_IMPORT_MAX_PASSAGE_CHARS = env_int("READING_IMPORT_MAX_PASSAGE_CHARS", 100_000)
READING_IMPORT_MAX_PAGES = env_int("READING_IMPORT_MAX_PAGES", 2_000)
READING_IMPORT_MAX_SECONDS = env_int("READING_IMPORT_MAX_SECONDS", 20)
# A reading from a link is fetched in the request (a person waits for its preview): within
# READING_FETCH_TIMEOUT seconds, and only from public addresses unless
# READING_FETCH_ALLOW_PRIVATE (an intranet's server; the tests' local one).
READING_FETCH_TIMEOUT = env_int("READING_FETCH_TIMEOUT", 10)
READING_FETCH_ALLOW_PRIVATE = env_bool("READING_FETCH_ALLOW_PRIVATE", False)
# --- end of reading imports -----------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}
