"""Run the daily servicing for a date: installments due, delinquency, closing (idempotent)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guichet.loans.services import run_daily_servicing


class Command(BaseCommand):
    help = (
        "Post installments due on a date, flag delinquent contracts and close repaid ones (safe to re-run)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today in the server's time zone)")
        parser.add_argument("--chunk-size", type=int, default=1000)

    def handle(self, *args, **options):
        try:
            on = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD: {exc}") from exc
        report = run_daily_servicing(on=on, chunk_size=options["chunk_size"])
        self.stdout.write(
            f"{on}: {report.contracts} contracts, {report.installments_posted} installments posted, "
            f"{report.delinquent} delinquent, {report.cured} cured, {report.closed} closed."
        )
