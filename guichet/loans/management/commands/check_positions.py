"""Prove that every contract's stored position equals the one computed from its ledger postings."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from guichet.loans.models import Contract
from guichet.loans.services.positions import differences


class Command(BaseCommand):
    help = (
        "Compare every contract's stored position (balances, arrears, next installment) with the one "
        "computed from the ledger; exits with an error listing the differences."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contract", action="append", default=[], help="contract number (repeatable)")
        parser.add_argument("--show", type=int, default=20, help="differences to print (default 20)")

    def handle(self, *args, **options):
        contracts = Contract.objects.order_by("pk")
        if options["contract"]:
            contracts = contracts.filter(number__in=options["contract"])
        ids = list(contracts.values_list("pk", flat=True))
        found = 0
        bad: set[str] = set()
        for number, field, stored, expected in differences(ids):
            found += 1
            bad.add(number)
            if found <= options["show"]:
                self.stdout.write(f"{number} {field}: stored {stored!r}, ledger {expected!r}")
        if found:
            raise CommandError(
                f"{len(bad)} of {len(ids)} contracts have a position that differs from their ledger "
                f"({found} fields); `manage.py rebuild_positions` rewrites them."
            )
        self.stdout.write(f"{len(ids)} contracts: every position equals its ledger.")
