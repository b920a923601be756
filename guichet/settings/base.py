"""Settings shared by every environment; everything deployment-specific comes from the environment."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GUICHET_VAR_DIR", BASE_DIR / "var"))
DATA_DIR = BASE_DIR / "data"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

# Which lender this deployment serves (data/lenders/<code>.toml).
GUICHET_LENDER = os.environ.get("GUICHET_LENDER", "fr")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "guichet.lenders",
    "guichet.audit",
    "guichet.catalogue",
    "guichet.customers",
    "guichet.notifications",
    "guichet.loans",
    "guichet.payments",
    "guichet.cards",
    "guichet.documents",
    "guichet.signing",
    "guichet.onboarding",
    "guichet.support",
    "guichet.origination",
    "guichet.operations",
    "guichet.portal",
    "guichet.backoffice",
    "guichet.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guichet.customers.middleware.SessionTimeoutMiddleware",
    "guichet.portal.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "guichet.urls"
WSGI_APPLICATION = "guichet.wsgi.application"
ASGI_APPLICATION = "guichet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "guichet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "guichet.lenders.context_processors.lender",
            ],
            "builtins": ["guichet.lenders.templatetags.money", "guichet.lenders.templatetags.legal"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "customers.User"
# The user and their Customer in one query (issue 15); sessions that name ModelBackend still work.
AUTHENTICATION_BACKENDS = [
    "guichet.customers.backends.CustomerBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The lender profile's policy is enforced by guichet.customers.passwords (not Django's validators).
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "guichet" / "locale"]
USE_I18N = True
USE_TZ = True
# Instants are stored in UTC (USE_TZ); "today" and displayed times are the lender's, so that a
# New Caledonian morning (UTC+11) is not yesterday. Read from the lender profile file itself.
TIME_ZONE = tomllib.loads((DATA_DIR / "lenders" / f"{GUICHET_LENDER}.toml").read_text(encoding="utf-8"))[
    "time_zone"
]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded identity documents and generated PDFs live under var/private, never under a served URL.
MEDIA_ROOT = VAR_DIR / "private"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Sessions: absolute limit here; inactivity limit from the lender profile (SessionTimeoutMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("GUICHET_SESSION_ABSOLUTE_SECONDS", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@guichet.example")
# Where customers reach this deployment: links in emails and SMS are built on it. Without a request
# (batch, worker) nothing else knows the host; the default follows the port `make demo PORT=…` serves.
GUICHET_SITE_URL = (
    os.environ.get("GUICHET_SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")

# SMS gateway: dotted path to a guichet.notifications.sms.SmsGateway implementation.
GUICHET_SMS_GATEWAY = os.environ.get("GUICHET_SMS_GATEWAY", "guichet.notifications.sms.OutboxSmsGateway")
GUICHET_SMS_OUTBOX = Path(os.environ.get("GUICHET_SMS_OUTBOX", VAR_DIR / "sms-outbox.jsonl"))

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The business day (guichet.operations) runs on Celery workers; Redis carries the chunk ids, the
# chunk table in PostgreSQL is the truth. The scheduler (celery beat) starts the day at the cut-off,
# in the lender's time zone (guichet/celery.py). See README "The business day".
CELERY_BROKER_URL = os.environ.get("GUICHET_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("GUICHET_TASK_QUEUE", "guichet")
CELERY_TIMEZONE = TIME_ZONE  # the lender's: the cut-off below is read on the lender's clock
CELERY_TASK_ACKS_LATE = True  # a chunk id taken by a worker that dies goes back to the queue
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
GUICHET_BUSINESS_DAY_CUTOFF = os.environ.get("GUICHET_BUSINESS_DAY_CUTOFF", "20:30")  # HH:MM, lender time
GUICHET_BUSINESS_DAY_CHUNK = int(os.environ.get("GUICHET_BUSINESS_DAY_CHUNK", "2000"))
GUICHET_BUSINESS_DAY_ATTEMPTS = 3  # a failing chunk: tried 3 times with backoff, then reported
GUICHET_BUSINESS_DAY_BACKOFF_S = 2.0
GUICHET_BUSINESS_DAY_PAUSE_S = float(os.environ.get("GUICHET_BUSINESS_DAY_PAUSE_S", "0"))
GUICHET_METRICS_TOKEN = os.environ.get("GUICHET_METRICS_TOKEN", "")  # Prometheus scrape; unset: no endpoint

# Signing: PAdES seal certificate (generated for the demo by `manage.py make_seal_certificate`).
GUICHET_SEAL_KEY = Path(os.environ.get("GUICHET_SEAL_KEY", VAR_DIR / "seal" / "seal-key.pem"))
GUICHET_SEAL_CERT = Path(os.environ.get("GUICHET_SEAL_CERT", VAR_DIR / "seal" / "seal-cert.pem"))
GUICHET_TSA_URL = os.environ.get("GUICHET_TSA_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Cache: customer-page fragments and their per-customer version stamps (issue 15,
# guichet.customers.page_cache). Redis when GUICHET_CACHE_URL is a redis:// URL (production's
# default, settings/prod.py); the embedded demo keeps them in the process's memory. Keys carry the
# lender and the database, so deployments sharing one Redis never read each other's pages.
GUICHET_CACHE_URL = os.environ.get("GUICHET_CACHE_URL", "")
GUICHET_FRAGMENT_SECONDS = int(os.environ.get("GUICHET_FRAGMENT_SECONDS", "300"))
_CACHE_PREFIX = os.environ.get("GUICHET_CACHE_PREFIX") or f"{GUICHET_LENDER}:{DATABASES['default']['NAME']}"


def cache_settings(url: str) -> dict:
    """``CACHES`` for ``url``: a ``redis://`` URL, or local memory for anything else."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        backend = {"BACKEND": "guichet.customers.redis_cache.RedisCache", "LOCATION": url}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "guichet"}
    return {"default": {**backend, "KEY_PREFIX": _CACHE_PREFIX}}


CACHES = cache_settings(GUICHET_CACHE_URL)
