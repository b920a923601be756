"""``manage.py compliance_report [--date YYYY-MM-DD]``: regime and unmet duties of every product, open
application and running contract, in one page (see ``guichet.origination.compliance``)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand

from guichet.lenders.profile import lender_day
from guichet.origination.compliance import compliance_report


class Command(BaseCommand):
    help = "Régime (ancien droit / CCD2) et obligations non remplies, par produit, demande et contrat."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--date", type=date.fromisoformat, default=None)

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        report = compliance_report(on=options["date"] or lender_day())
        self.stdout.write(report.render())
