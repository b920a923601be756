"""Rewrite contracts' positions from their ledger postings (after a restore, an import or a failed check)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from guichet.loans.models import Contract
from guichet.loans.services.positions import refresh_positions


class Command(BaseCommand):
    help = "Recompute the stored position of every contract (or of --contract numbers) from the ledger."

    def add_arguments(self, parser):
        parser.add_argument("--contract", action="append", default=[], help="contract number (repeatable)")

    def handle(self, *args, **options):
        contracts = Contract.objects.order_by("pk")
        if options["contract"]:
            contracts = contracts.filter(number__in=options["contract"])
        with transaction.atomic():
            written = refresh_positions(contracts.values_list("pk", flat=True))
        self.stdout.write(f"{written} positions rewritten from the ledger.")
