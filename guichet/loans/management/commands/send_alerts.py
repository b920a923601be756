"""``manage.py send_alerts [--date YYYY-MM-DD] [--enqueue]``: the daily due-date reminders and balance
alerts (contract-update notices are sent as the events happen). Safe to run twice the same day."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from guichet.loans.alerts import send_alerts
from guichet.loans.tasks import send_alerts_task


class Command(BaseCommand):
    help = "Send the day's due-date reminders and balance alerts (email and/or SMS, per preferences)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to send for (YYYY-MM-DD); today by default.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the run to the task queue instead of running it here.",
        )

    def handle(self, *args: object, **options: object) -> None:
        raw = options.get("date")
        try:
            on = date.fromisoformat(str(raw)) if raw else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be a date like 2026-06-15, not {raw!r}.") from exc
        if options.get("enqueue"):
            result = send_alerts_task.enqueue(on=on.isoformat())
            self.stdout.write(f"Alerts of {on.isoformat()} queued as task {result.id} ({result.status}).")
            return
        report = send_alerts(on=on)
        counts = ", ".join(f"{kind}: {n}" for kind, n in sorted(report.sent.items())) or "none"
        self.stdout.write(
            f"Alerts of {on.isoformat()}: {report.total} sent ({counts}); {report.failed} failed."
        )
        if report.failed:
            raise CommandError(f"{report.failed} alert(s) could not be sent; see the log, then run again.")
