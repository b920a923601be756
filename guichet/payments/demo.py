"""Demo data of the payments area: a mandate per active demo contract, a scheduled transfer, and a
check that the loans demo left a payment history (the page shows up to 24 months of it).

FR: SEPA Core mandates under the lender's creditor id, with valid French IBANs (schwifty-checked).
NC: the same mandates on the local-debit channel (no SEPA in XPF). A second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from guichet.loans.models import Contract, JournalEntry
from guichet.loans.selectors import contracts_for

from .models import Mandate, ScheduledTransfer
from .services import create_mandate, schedule_transfer

# Valid test IBANs (French format, correct keys; the first is the lender's own example account).
FR_IBANS = ["FR7630006000011234567890189", "FR1420041010050500013M02606", "FR7630001007941234567890185"]
NC_IBAN = "NC6614889000011234567890100"  # a New Caledonian account (local channel, no SEPA)


def seed(*, profile: Any, stdout: Any) -> None:
    active = Contract.objects.filter(status__in=(Contract.Status.OPEN, Contract.Status.DELINQUENT)).order_by(
        "pk"
    )
    made = 0
    for k, contract in enumerate(active):
        if (
            Mandate.objects.filter(contract=contract).exists()
            or contract.payment_method == Contract.PaymentMethod.TRANSFER
        ):
            continue
        borrower = contract.participants.filter(role="borrower").select_related("customer").first()
        if borrower is None:
            continue
        iban = FR_IBANS[k % len(FR_IBANS)] if str(profile) == "fr" else NC_IBAN
        try:
            create_mandate(
                contract=contract,
                holder_name=borrower.customer.full_name,
                iban=iban,
                bic="" if str(profile) == "fr" else "BNPANCNX",
                signed_on=contract.start_on,
            )
            made += 1
        except Exception as exc:  # a demo contract the mandate rules refuse is reported, not fatal
            stdout.write(f"  payments: no mandate for {contract.number}: {exc}")
    _transfer(stdout)
    history = JournalEntry.objects.filter(kind=JournalEntry.Kind.PAYMENT).count()
    stdout.write(f"  payments: {made} mandates created, {history} payments in the ledger history")


def _transfer(stdout: Any) -> None:
    contract = (
        Contract.objects.filter(status=Contract.Status.OPEN, kind=Contract.Kind.AMORTIZABLE)
        .order_by("pk")
        .first()
    )
    if contract is None or ScheduledTransfer.objects.filter(contract=contract).exists():
        return
    customer = contract.participants.filter(role="borrower").select_related("customer").first().customer
    assert contract in contracts_for(customer)
    transfer = schedule_transfer(
        customer=customer,
        contract=contract,
        amount=contract.money(5000),  # 50 € or 5 000 XPF
        first_on=timezone.localdate() + timedelta(days=10),
        monthly=True,
    )
    stdout.write(f"  payments: monthly transfer {transfer.reference} scheduled on {contract.number}")
