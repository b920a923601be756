"""Demo data for the documents inbox: a "Confirmation de financement" per contract and a statement.

Seed 003: once financed, the customer finds their first letter, the "Confirmation de financement",
in "Mes documents". Run by ``manage.py demo_setup`` after the loans demo; a second run adds nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from guichet.loans.models import Contract, JournalEntry, Participant

from .models import Document
from .rendering import render_pdf
from .services import deliver_document
from .sheets import contract_sheet

ACTIVE = (Contract.Status.OPEN, Contract.Status.DELINQUENT)


def _deliver(participant: Participant, kind: str, template: str, title: str) -> None:
    contract, customer = participant.contract, participant.customer
    sheet = contract_sheet(contract=contract)
    pdf = render_pdf(
        template=f"documents/pdf/{template}.html",
        context={"sheet": sheet, "issued_on": sheet.on},
        language=customer.language or "fr",
    )
    deliver_document(customer=customer, kind=kind, title=title, pdf=pdf, contract=contract, notify=False)


def seed(*, profile: Any, stdout: Any) -> None:
    """Deliver the demo documents to every holder (borrower, co-borrower) of an active contract, once."""
    borrowers = Participant.objects.filter(contract__status__in=ACTIVE).select_related("contract", "customer")
    delivered, seen = 0, set()
    for participant in borrowers.order_by("customer_id", "contract__start_on"):
        contract, customer = participant.contract, participant.customer
        if Document.objects.filter(
            customer=customer, contract=contract, kind="funding_confirmation"
        ).exists():
            continue
        with override(customer.language or "fr"):
            title = _("Confirmation de financement — contrat n° %(n)s") % {"n": contract.number}
            _deliver(participant, "funding_confirmation", "funding_confirmation", title)
            delivered += 1
            if customer.pk not in seen and contract.kind != Contract.Kind.REVOLVING:
                today = timezone.localdate().strftime("%d/%m/%Y")
                title = _("Relevé de compte au %(d)s — contrat n° %(n)s") % {"d": today, "n": contract.number}
                _deliver(participant, "statement", "contract_summary", title)
                delivered += 1
        seen.add(customer.pk)
    delivered += _revolving_statements()
    stdout.write(f"documents: {delivered} documents delivered to the demo inboxes.")


def _revolving_statements() -> int:
    """The monthly statements of the demo's revolving lines (Camille's Accessio), as the run sends them."""
    from .statements import deliver_statement

    entries = JournalEntry.objects.filter(
        kind=JournalEntry.Kind.INSTALLMENT_DUE, contract__kind=Contract.Kind.REVOLVING
    ).select_related("contract")
    return sum(len(deliver_statement(entry=e, notify=False)) for e in entries.order_by("effective_on"))
