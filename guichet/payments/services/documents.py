"""Documents the payments area puts in the customer's inbox: the new amortization table after a
partial early repayment or a debit-date change, the balance attestation after a total repayment.

The PDFs reuse the documents app's templates; the sheet comes from ``guichet.documents.sheets``
when that module provides one, else from the minimal sheet built here from the stored schedule.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.loans.models import Contract

from .. import selectors


def _minimal_sheet(contract: Contract) -> dict[str, Any]:
    today = timezone.localdate()
    lines = selectors.schedule_lines(contract)
    m = contract.money
    rows = [
        {
            "number": ln.number,
            "due_on": ln.due_on,
            "amount": m(ln.total_due_minor),
            "interest": m(ln.interest_minor),
            "principal": m(ln.principal_minor),
            "insurance": m(ln.insurance_minor),
            "balance_after": m(ln.balance_after_minor),
            "paid": ln.due_on <= today,
            "past": ln.due_on <= today,
        }
        for ln in lines
    ]
    future = [r for r in rows if not r["past"]]
    names = ", ".join(p.customer.full_name for p in contract.participants.select_related("customer"))
    return {
        "number": contract.number,
        "product_name": contract.product_name,
        "principal": contract.principal,
        "debit_rate": contract.debit_rate,
        "taeg": contract.taeg,
        "rows": rows,
        "total_due": sum((r["amount"] for r in rows), m(0)),
        "total_interest": sum((r["interest"] for r in rows), m(0)),
        "total_principal": sum((r["principal"] for r in rows), m(0)),
        "total_insurance": sum((r["insurance"] for r in rows), m(0)),
        "is_closed": contract.status == Contract.Status.CLOSED,
        "borrower_names": names,
        "balance": future[0]["balance_after"] + future[0]["principal"] if future else m(0),
        "arrears": selectors.due_unpaid(contract),
        "remaining_count": len(future),
        "next_due": future[0] if future else None,
    }


def _sheet(contract: Contract) -> Any:
    try:
        from guichet.documents.sheets import contract_sheet  # type: ignore[import-not-found]
    except ImportError:
        return _minimal_sheet(contract)
    return contract_sheet(contract)


def _deliver(*, contract: Contract, customer, template: str, kind: str, title: str) -> None:
    from guichet.documents.rendering import render_pdf
    from guichet.documents.services import deliver_document

    pdf = render_pdf(
        template=template,
        context={"sheet": _sheet(contract), "issued_on": timezone.localdate()},
        language=customer.language or "fr",
    )
    deliver_document(customer=customer, kind=kind, title=title, pdf=pdf, contract=contract)


def deliver_after_repayment(*, contract: Contract, customer, total: bool) -> None:
    """Queue the documents for after the commit, so a rolled-back posting leaves no document."""

    def send() -> None:
        contract.refresh_from_db()
        if total:
            _deliver(
                contract=contract,
                customer=customer,
                template="documents/pdf/balance_attestation.html",
                kind="balance_attestation",
                title=f"Attestation de fin de prêt — contrat {contract.number}",
            )
        else:
            deliver_schedule(contract=contract, customer=customer)

    transaction.on_commit(send)


def deliver_schedule(*, contract: Contract, customer) -> None:
    """The contract's current amortization table, in the inbox."""
    _deliver(
        contract=contract,
        customer=customer,
        template="documents/pdf/amortization_table.html",
        kind="amortization_table",
        title=f"Nouveau tableau d'amortissement — contrat {contract.number}",
    )
