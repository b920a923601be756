"""Flag complaints close to their deadline (acknowledgement or answer) and notify the supervisors."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from guichet.lenders.profile import lender_day
from guichet.support.services import escalate_complaints


class Command(BaseCommand):
    help = "Escalate complaints within N days of their deadline to supervisors (each stage once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--within-days", type=int, default=3)
        parser.add_argument("--on", type=date.fromisoformat, help="Business date (default: today).")

    def handle(self, *args: object, **options: object) -> None:
        today = options["on"] or lender_day()
        flagged = escalate_complaints(today=today, within_days=options["within_days"])  # type: ignore[arg-type]
        for c in flagged:
            self.stdout.write(f"{c.reference} {c.status} due {c.next_due_on}")
        self.stdout.write(f"{len(flagged)} complaint(s) escalated.")
