"""Documents the payments area puts in the customer's inbox: the new amortization table after a
partial early repayment or a debit-date change, the balance attestation after a total repayment.

The PDFs are the documents app's own (``guichet.documents.sheets.render_contract_pdf``), delivered
after the commit so that a rolled-back posting leaves no document behind.
"""

from __future__ import annotations

from django.db import transaction

from guichet.loans.models import Contract


def _deliver(*, contract: Contract, customer, slug: str, kind: str, title: str) -> None:
    from guichet.documents.services import deliver_document
    from guichet.documents.sheets import render_contract_pdf

    pdf = render_contract_pdf(contract=contract, kind=slug, language=customer.language or "fr")
    deliver_document(customer=customer, kind=kind, title=title, pdf=pdf, contract=contract)


def deliver_schedule(*, contract: Contract, customer) -> None:
    """The contract's current amortization table, in the inbox."""
    contract.refresh_from_db()
    _deliver(
        contract=contract,
        customer=customer,
        slug="tableau-amortissement",
        kind="amortization_table",
        title=f"Nouveau tableau d'amortissement — contrat {contract.number}",
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
            title=f"Attestation de fin de prêt — contrat {contract.number}",
        )

    transaction.on_commit(send)
