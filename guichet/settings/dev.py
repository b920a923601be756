"""Local development and the demo: SQLite, emails to var/mail, SMS to var/sms-outbox.jsonl."""

import os

from .base import *
from .base import VAR_DIR

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-change-me-0123456789abcdef"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Serve static files straight from the apps (no collectstatic needed in dev).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
