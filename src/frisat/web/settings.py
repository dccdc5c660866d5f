"""Django settings for frisat.

The embedded default is a SQLite file under ``FRISAT_HOME`` (default ``~/.frisat``);
``DATABASE_URL`` selects another database (PostgreSQL in production).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
FRISAT_HOME = Path(os.environ.get("FRISAT_HOME", Path.home() / ".frisat")).expanduser()


def _private_home() -> None:
    """FRISAT_HOME holds the database and the secret key: readable by its owner only (a
    directory made here is 0700, a database file made here 0600; SQLite gives its -wal and
    -shm files the database file's mode)."""
    if not FRISAT_HOME.exists():
        FRISAT_HOME.mkdir(parents=True, mode=0o700)
        FRISAT_HOME.chmod(0o700)  # mkdir's mode is reduced by the umask


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    _private_home()
    path = FRISAT_HOME / "frisat.sqlite3"
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # empty = a new database
        path.chmod(0o600)
    return f"sqlite:///{path}"


_secret = os.environ.get("FRISAT_SECRET_KEY")
if not _secret:
    # A per-installation key kept beside the database; never shipped in the repository.
    _private_home()
    key_file = FRISAT_HOME / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        fd = os.open(key_file, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(get_random_secret_key())
    _secret = key_file.read_text().strip()
SECRET_KEY = _secret

DEBUG = os.environ.get("FRISAT_DEBUG") == "1"
_hosts = os.environ.get("FRISAT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
ALLOWED_HOSTS = [h for h in _hosts.split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # its vendored Swagger UI, served from /static/ninja/ (no CDN)
    "frisat.registry",
    "frisat.accounts",
    "frisat.workflow",
    "frisat.followup",
    "frisat.nextround",
    "frisat.web",
]

MIDDLEWARE = [
    # CSP and the other headers on every answer, static files included; 413 before a body
    # is read (docs/security.md)
    "frisat.web.security.SecurityHeaders",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # the institution pages are long lists of rules: compress them for phones
    "django.middleware.gzip.GZipMiddleware",
    # every error under /api/ in the API's one JSON shape (sees the uncompressed answer)
    "frisat.web.api_errors.ApiErrorShape",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # one change check per request: every question of the request reads the same register
    "frisat.web.state.RegisterStateMiddleware",
    # anonymous clients asking for many new dates and times (after authentication)
    "frisat.web.throttle.RateLimit",
    # a view that found the database busy with another writer: 503 + Retry-After
    "frisat.web.busy.BusyDatabase",
]

# Argon2 first: new and changed passwords are hashed with it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "frisat.accounts.passwords.NotBlankValidator"},
]
LOGIN_URL = "/forvaltning/login"
LOGIN_REDIRECT_URL = "/forvaltning/"

# Sessions end after FRISAT_SESSION_IDLE_MINUTES without a request (default 30) and when
# the browser closes; every request moves the end forward.
SESSION_COOKIE_AGE = int(os.environ.get("FRISAT_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "frisat.web.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind a TLS-terminating reverse proxy (docs/security.md): FRISAT_BEHIND_TLS=1 trusts the
# proxy's X-Forwarded-Proto, redirects plain HTTP, sends HSTS and marks the cookies Secure
# with the __Host- prefix (no Domain, Path=/, HTTPS only).
BEHIND_TLS = os.environ.get("FRISAT_BEHIND_TLS") == "1"
if BEHIND_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("FRISAT_HSTS_SECONDS", str(365 * 24 * 3600)))
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("FRISAT_CSRF_TRUSTED_ORIGINS", "").split(",")
                        if o]
# Reverse proxies in front of frisat whose X-Forwarded-For is trusted for the client's
# address (log-in throttle, rate limit); one when FRISAT_BEHIND_TLS is set, else none.
FRISAT_PROXIES = int(os.environ.get("FRISAT_PROXIES", "1" if BEHIND_TLS else "0"))

# Request bodies (a bundle posted to the API, a form) of at most this many bytes.
FRISAT_MAX_BODY_BYTES = int(os.environ.get("FRISAT_MAX_BODY_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = FRISAT_MAX_BODY_BYTES
# New combinations of date / known_at / compare an anonymous client may ask for, per window
# of seconds (web/throttle.py).
_rate = os.environ.get("FRISAT_RATE_LIMIT", "30/60").split("/")
FRISAT_RATE_LIMIT = (int(_rate[0]), int(_rate[1]))
# Per process by default; FRISAT_CACHE=database keeps the counts in the database, shared by
# every server on it (docs/operations.md, more than one server; `frisat init` makes the table).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "frisat_cache"}
          if os.environ.get("FRISAT_CACHE") == "database" else
          {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "frisat"}}

ROOT_URLCONF = "frisat.web.urls"
WSGI_APPLICATION = "frisat.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": [
            "django.template.context_processors.request",
            "django.contrib.auth.context_processors.auth",
            "django.contrib.messages.context_processors.messages",
        ]},
    }
]

# how long a writer waits for another writer's lock before it is told "busy" (SQLite's busy
# timeout, PostgreSQL's lock_timeout for the writers' lock; registry/locking.py)
FRISAT_DB_BUSY_SECONDS = float(os.environ.get("FRISAT_DB_BUSY_SECONDS", "5"))
_db = dj_database_url.parse(database_url(), conn_max_age=60)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # registry/locking.py retries a few times, then 503 / a clean CLI error
        "timeout": FRISAT_DB_BUSY_SECONDS,
    }
    # a server thread keeps its connection (CONN_MAX_AGE 60, as for PostgreSQL): opening
    # one per request (Django's setup of a SQLite connection, the PRAGMAs, and the WAL
    # checkpoint when the last one closes) cost more than the rest of a cached answer
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"  # shipped, built files: no collectstatic step needed
# also the static files the installed apps ship (the admin's, ninja's Swagger UI)
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
