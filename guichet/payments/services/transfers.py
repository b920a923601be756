"""Scheduled transfers: a one-off or monthly extra payment the customer plans toward a contract.

Each expected transfer is a ``PaymentInstruction`` of kind ``extra`` created when the schedule is
set (one-off) or month by month (monthly); it carries the reference the customer writes on the
transfer, and is posted by ``post_received_transfer`` when the money arrives: the amount goes to
the contract's suspense account (available for the next installments; a customer who wants the
principal reduced asks for a partial early repayment, which recomputes the schedule).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.credit import Money
from guichet.credit.dates import add_months
from guichet.loans.invariants import check_contract
from guichet.loans.models import Contract, JournalEntry
from guichet.loans.services.ledger import contract_account, lender_account, post_entry

from ..errors import PostingRefused, TransferRefused
from ..models import PaymentInstruction, ScheduledTransfer

MAX_MONTHS_AHEAD = 12


def schedule_transfer(
    *,
    customer,
    contract: Contract,
    amount: Money,
    first_on: date,
    monthly: bool = False,
    last_on: date | None = None,
    today: date | None = None,
) -> ScheduledTransfer:
    """Record a planned extra payment; it appears in the calendar until it is received or cancelled."""
    today = today or timezone.localdate()
    if not contract.is_active or contract.kind == Contract.Kind.LEASE:
        raise TransferRefused(_("Un versement ne peut être programmé que sur un crédit en cours."))
    if amount.currency != contract.currency_obj or amount.minor <= 0:
        raise TransferRefused(_("Indiquez un montant positif en %(cur)s.") % {"cur": contract.currency})
    if first_on <= today:
        raise TransferRefused(_("La date du premier versement doit être dans le futur."))
    if first_on > add_months(today, MAX_MONTHS_AHEAD):
        raise TransferRefused(_("Programmez un versement au plus douze mois à l'avance."))
    if last_on is not None and last_on < first_on:
        raise TransferRefused(_("La date de fin doit suivre la date du premier versement."))
    with transaction.atomic():
        transfer = ScheduledTransfer.objects.create(
            contract=contract,
            customer=customer,
            reference=f"VP{contract.number}{secrets.token_hex(3).upper()}",
            amount_minor=amount.minor,
            currency=amount.currency.code,
            frequency=ScheduledTransfer.Frequency.MONTHLY if monthly else ScheduledTransfer.Frequency.ONCE,
            first_on=first_on,
            last_on=last_on if monthly else None,
        )
    return transfer


def cancel_transfer(*, transfer: ScheduledTransfer) -> ScheduledTransfer:
    transfer.status = ScheduledTransfer.Status.CANCELLED
    transfer.save(update_fields=["status"])
    return transfer


def post_received_transfer(*, reference: str, amount: Money, received_on: date) -> JournalEntry:
    """Post a scheduled transfer received on ``received_on`` (once per reference and date)."""
    with transaction.atomic():
        transfer = (
            ScheduledTransfer.objects.select_for_update(of=("self",))
            .select_related("contract")
            .filter(reference=reference)
            .first()
        )
        if transfer is None:
            raise PostingRefused(f"No scheduled transfer with reference {reference!r}.")
        if transfer.status == ScheduledTransfer.Status.CANCELLED:
            raise PostingRefused(f"Scheduled transfer {reference} was cancelled.")
        if amount != transfer.amount:
            raise PostingRefused(f"Received {amount} but transfer {reference} expects {transfer.amount}.")
        c = transfer.contract
        entry = post_entry(
            key=f"transfer:{reference}:{received_on.isoformat()}",
            kind=JournalEntry.Kind.PAYMENT,
            effective_on=received_on,
            contract=c,
            memo=f"Versement programmé {reference}",
            lines=[
                (lender_account("clearing", c.currency), amount),
                (contract_account(c, "suspense"), -amount),
            ],
        )
        PaymentInstruction.objects.get_or_create(
            quote_key=f"transfer:{reference}:{received_on.isoformat()}",
            defaults=dict(
                contract=c,
                customer=transfer.customer,
                kind=PaymentInstruction.Kind.EXTRA,
                reference=f"{reference[:26]}{received_on:%y%m%d}",
                amount_minor=amount.minor,
                currency=amount.currency.code,
                repay_on=received_on,
                valid_until=received_on,
                status=PaymentInstruction.Status.POSTED,
                posted_at=timezone.now(),
                scheduled_transfer=transfer,
            ),
        )
        if transfer.frequency == ScheduledTransfer.Frequency.ONCE:
            transfer.status = ScheduledTransfer.Status.DONE
            transfer.save(update_fields=["status"])
        check_contract(c)
    return entry
