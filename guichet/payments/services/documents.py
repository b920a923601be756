"""Documents the payments area puts in the customer's inbox: the new amortization table after a
partial early repayment or a debit-date change, the balance attestation after a total repayment.

The PDFs are the documents app's own (``guichet.documents.sheets.render_contract_pdf``), delivered
after the commit so that a rolled-back posting leaves no document behind.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guichet.documents.services import deliver_document
from guichet.documents.sheets import render_contract_pdf
from guichet.loans.models import Contract


def _deliver(*, contract: Contract, customer, slug: str, kind: str, title: str) -> None:
    """``title`` is a French msgid with ``%(number)s``, worded in the customer's language like the PDF."""
    language = customer.language or "fr"
    pdf = render_contract_pdf(contract=contract, kind=slug, language=language)
    with translation.override(language):
        title = _(title) % {"number": contract.number}
    deliver_document(customer=customer, kind=kind, title=title, pdf=pdf, contract=contract)


def deliver_schedule(*, contract: Contract, customer) -> None:
    """The contract's current amortization table, in the inbox."""
    contract.refresh_from_db()
    _deliver(
        contract=contract,
        customer=customer,
        slug="tableau-amortissement",
        kind="amortization_table",
        title=gettext_noop("Nouveau tableau d'amortissement — contrat %(number)s"),
    )


def deliver_after_repayment(*, contract: Contract, customer, total: bool) -> None:
    """After the commit: the balance attestation (total) or the new amortization table (partial)."""

    def send() -> None:
        if not total:
            deliver_schedule(contract=contract, customer=customer)
            return
        contract.refresh_from_db()
        _deliver(
            contract=contract,
            customer=customer,
            slug="attestation-solde",
            kind="balance_attestation",
            title=gettext_noop("Attestation de fin de prêt — contrat %(number)s"),
        )

    transaction.on_commit(send)
