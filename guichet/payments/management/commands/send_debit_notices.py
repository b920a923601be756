"""``manage.py send_debit_notices --date D``: pre-notify (inbox PDF) the debits due on D + 14 days."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from guichet.payments.services import send_pre_notifications


class Command(BaseCommand):
    help = "Deliver the pre-notification of amount and date of each debit due 14 days after --date."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, default=None)

    def handle(self, *args, **options) -> None:
        sent = send_pre_notifications(on=options["date"] or timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"{sent} pre-notifications delivered."))
