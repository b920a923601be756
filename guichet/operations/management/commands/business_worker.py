"""``manage.py business_worker [--concurrency N]``: one Celery worker of the business day on this machine.

Run it on as many machines as you like: each reaches the same PostgreSQL and Redis
(``DATABASE_URL``, ``GUICHET_BROKER_URL``) and claims chunks no other worker holds.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from guichet.celery import app


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a batch: starting it must not hinge on the web layer's URLs
    help = "Start a Celery worker for the business day (same as `celery -A guichet.celery worker`)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--concurrency", type=int, default=1, help="Worker processes (default 1).")
        parser.add_argument("--pool", default="prefork", help="Celery pool: prefork (default) or solo.")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, **options) -> None:
        app.worker_main(
            [
                "worker",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "--concurrency",
                str(options["concurrency"]),
                "--pool",
                options["pool"],
                "--loglevel",
                options["loglevel"],
                "--without-gossip",
                "--without-mingle",
            ]
        )
