"""``manage.py post_received_payment --reference RA… --amount 1234.56``: the demo back office posts a
transfer received for an early repayment (or a scheduled transfer, reference VP…)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guichet.credit import Money
from guichet.lenders.profile import get_profile
from guichet.payments.errors import PaymentsError
from guichet.payments.services import post_received_payment, post_received_transfer


class Command(BaseCommand):
    help = "Post money received by transfer against its payment instruction reference."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reference", required=True)
        parser.add_argument("--amount", required=True, help="Amount in major units, e.g. 1234.56")
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="Date received (default: today)."
        )

    def handle(self, *args, **options) -> None:
        try:
            amount = Money.of(options["amount"].replace(",", "."), get_profile().currency)
        except (ValueError, TypeError) as exc:
            raise CommandError(f"Invalid amount {options['amount']!r}: {exc}") from None
        reference = options["reference"].strip().upper()
        try:
            if reference.startswith("VP"):
                post_received_transfer(
                    reference=reference, amount=amount, received_on=options["date"] or timezone.localdate()
                )
            else:
                post_received_payment(reference=reference, amount=amount)
        except PaymentsError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Posted {amount} for {reference}."))
