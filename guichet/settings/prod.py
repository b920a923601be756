"""Production: secure defaults; refuses to start without a secret key."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Every cookie is Secure in production: session, CSRF, language; the device cookie and the messages
# cookie follow SESSION_COOKIE_SECURE.
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# One bounded pool of PostgreSQL connections per server process (Django's pool, psycopg_pool), so
# the number of connections stays flat however many clients come: at most DATABASE_POOL_SIZE per
# granian worker. Size granian's --blocking-threads to it (README "Production"): each request
# thread holds one connection, so no thread waits for the pool and none holds two.
DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "4"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
        "max_size": DATABASE_POOL_SIZE,
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "20")),  # seconds to wait for one
        "max_idle": 300,
    }

# Customer-page fragments (issue 15) in Redis, shared by every worker: the broker's server, its own
# database. GUICHET_CACHE_URL=locmem keeps them in each process (then a change made by another
# process shows after GUICHET_FRAGMENT_SECONDS).
GUICHET_CACHE_URL = os.environ.get("GUICHET_CACHE_URL", "redis://127.0.0.1:6379/1")
CACHES = cache_settings(GUICHET_CACHE_URL)
