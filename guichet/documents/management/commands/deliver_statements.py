"""``manage.py deliver_statements [--date YYYY-MM-DD]``: put the revolving statements drawn up on a date
into their holders' "Mes documents" (idempotent: a statement already delivered is not sent again)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from guichet.documents.statements import deliver_statements
from guichet.lenders.profile import lender_day


class Command(BaseCommand):
    help = "Deliver the revolving statements drawn up on a date (default: the lender's today)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--date", help="YYYY-MM-DD (default: today in the lender's time zone)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            on = date.fromisoformat(options["date"]) if options["date"] else lender_day()
        except ValueError as exc:
            raise CommandError(f"Date invalide : {options['date']} (attendu AAAA-MM-JJ).") from exc
        count = deliver_statements(on=on)
        self.stdout.write(f"{count} relevé(s) du {on:%d/%m/%Y} dans « Mes documents ».")
