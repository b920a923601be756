"""Tests: a real local SMTP server (aiosmtpd, see the fixtures) and the database from DATABASE_URL."""

import os

from .base import *
from .base import VAR_DIR

SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("GUICHET_TEST_SMTP_PORT", "2525"))
GUICHET_SMS_OUTBOX = VAR_DIR / "test" / f"sms-outbox-{os.getpid()}.jsonl"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Celery tasks run in the calling process unless a test starts real workers (GUICHET_TASKS_EAGER=0).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("GUICHET_TASKS_EAGER", "1") == "1"

# Serve static files straight from the apps (no collectstatic needed in test).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# No page fragments by default (issue 15): a test runs in a transaction that never commits, so the
# stamps renewed at commit never would be and a page read twice would look stale. The cache tests
# (tests/integration/portal/test_page_cache.py) turn it on and run the commit callbacks.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
