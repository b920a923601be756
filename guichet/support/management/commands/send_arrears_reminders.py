"""Send the arrears reminders due today (once per contract, delinquency episode and bucket)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from guichet.lenders.profile import lender_day
from guichet.support.collections import send_arrears_reminders


class Command(BaseCommand):
    help = "Remind late borrowers per their alert preferences (idempotent: safe to run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--on", type=date.fromisoformat, help="Business date (default: today, lender time zone)."
        )

    def handle(self, *args: object, **options: object) -> None:
        on = options["on"] or lender_day()
        sent = send_arrears_reminders(on=on)  # type: ignore[arg-type]
        self.stdout.write(f"{sent} reminder(s) sent for {on}.")
