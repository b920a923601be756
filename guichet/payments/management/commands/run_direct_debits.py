"""``manage.py run_direct_debits --date YYYY-MM-DD``: collect the installments due that day (idempotent)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from guichet.payments.services import run_direct_debits


class Command(BaseCommand):
    help = "Build the pain.008 (SEPA) or local CSV (XPF) of the debits due on --date; post them as pending."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="Collection date (default: today)."
        )

    def handle(self, *args, **options) -> None:
        run = run_direct_debits(on=options["date"] or timezone.localdate())
        if not run.count:
            self.stdout.write(f"No debit due on {run.on} (or already collected).")
            return
        self.stdout.write(self.style.SUCCESS(f"{run.count} debits, total {run.total}: {run.path}"))
