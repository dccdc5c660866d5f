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


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    FRISAT_HOME.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{FRISAT_HOME / 'frisat.sqlite3'}"


_secret = os.environ.get("FRISAT_SECRET_KEY")
if not _secret:
    # A per-installation key kept beside the database; never shipped in the repository.
    FRISAT_HOME.mkdir(parents=True, exist_ok=True)
    key_file = FRISAT_HOME / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key())
        key_file.chmod(0o600)
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
    "frisat.registry",
    "frisat.accounts",
    "frisat.workflow",
    "frisat.followup",
    "frisat.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # the institution pages are long lists of rules: compress them for phones
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # one change check per request: every question of the request reads the same register
    "frisat.web.state.RegisterStateMiddleware",
]

# Argon2 first: new and changed passwords are hashed with it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/forvaltning/login"
LOGIN_REDIRECT_URL = "/forvaltning/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

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

_db = dj_database_url.parse(database_url(), conn_max_age=60)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    _db["CONN_MAX_AGE"] = 0
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"  # shipped, built files: no collectstatic step needed

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
