"""The Celery application: workers of the business day and the scheduler that starts it.

Start a worker (on any machine that reaches PostgreSQL and Redis)::

    celery -A guichet.celery worker -Q guichet --concurrency 2

and one scheduler for the whole deployment (it enqueues the day at the cut-off, lender time)::

    celery -A guichet.celery beat
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.dev")

app = Celery("guichet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["guichet.operations"])


@app.on_after_finalize.connect
def _schedule_business_day(sender: Celery, **_kw: object) -> None:
    """Every day at ``GUICHET_BUSINESS_DAY_CUTOFF`` in ``CELERY_TIMEZONE`` (the lender's time zone)."""
    from django.conf import settings

    hour, minute = (int(x) for x in settings.GUICHET_BUSINESS_DAY_CUTOFF.split(":"))
    sender.add_periodic_task(
        crontab(hour=hour, minute=minute),
        sender.signature("guichet.operations.start_business_day"),
        name="business day at the lender's cut-off",
    )
