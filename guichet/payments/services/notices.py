"""Pre-notifications of direct debits (``send_pre_notifications``).

The notice of amount and date of each debit due on D + 14 days (EPC rulebook default; the contracts
of the demo lenders agree no shorter delay), delivered into the documents inbox, once per debit.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.documents.rendering import render_pdf
from guichet.documents.services import deliver_document
from guichet.lenders.formatting import format_day
from guichet.loans.models import Contract, Participant, ScheduleLine

from ..models import Mandate, PreNotification

NOTICE_DAYS = 14
ACTIVE = (Contract.Status.OPEN, Contract.Status.DELINQUENT)


def _due_lines(
    on: date, first_id: int | None = None, last_id: int | None = None
) -> list[tuple[ScheduleLine, Mandate]]:
    """Installments the schedule will make due on ``on`` (pre-notifications announce them ahead)."""
    lines = ScheduleLine.objects.all()
    if first_id is not None and last_id is not None:
        lines = lines.filter(contract_id__gte=first_id, contract_id__lte=last_id)
    lines = (
        lines.filter(
            due_on=on,
            contract__current_schedule=F("version"),
            contract__status__in=ACTIVE,
            contract__payment_method__in=[
                Contract.PaymentMethod.DIRECT_DEBIT,
                Contract.PaymentMethod.LOCAL_DEBIT,
            ],
        )
        .exclude(contract__direct_debits__due_on=on)
        .select_related("contract")
        .order_by("contract__number")
    )
    lines = list(lines)
    mandates = {
        m.contract_id: m
        for m in Mandate.objects.filter(
            contract_id__in=[ln.contract_id for ln in lines], status=Mandate.Status.ACTIVE
        )
    }
    return [(ln, mandates[ln.contract_id]) for ln in lines if ln.contract_id in mandates]


def send_pre_notifications(
    *, on: date, days: int = NOTICE_DAYS, first_id: int | None = None, last_id: int | None = None
) -> int:
    """Deliver the notice of each debit due on ``on + days`` (once per debit); returns how many.

    ``first_id``/``last_id`` restrict it to a range of contract ids (a chunk of the business day).
    """
    due_on = on + timedelta(days=days)
    sent = 0
    due = _due_lines(due_on, first_id, last_id)
    # Who was already noticed and each contract's first borrower: two queries for the chunk, not two
    # per debit (issue 14).
    ids = [ln.contract_id for ln, _m in due]
    noticed = set(
        PreNotification.objects.filter(contract_id__any=ids, due_on=due_on).values_list(
            "contract_id", flat=True
        )
    )
    borrowers: dict[int, Any] = {}
    for p in (
        Participant.objects.filter(contract_id__any=ids, role="borrower")
        .select_related("customer")
        .order_by("contract_id", "pk")
    ):
        borrowers.setdefault(p.contract_id, p)
    for ln, mandate in due:
        c = ln.contract
        if c.pk in noticed:
            continue
        borrower = borrowers.get(c.pk)
        if borrower is None:
            continue
        customer = borrower.customer
        pdf = render_pdf(
            template="payments/pdf/pre_notification.html",
            context={
                "contract": c,
                "line": ln,
                "mandate": mandate,
                "amount": c.money(ln.total_due_minor),
                "customer": customer,
                "issued_on": on,  # base.html prints it ("Document établi le …"); it failed without it
            },
            language=customer.language or "fr",
        )
        with transaction.atomic():
            doc = deliver_document(
                customer=customer,
                kind="notice",
                title=_notice_title(due_on, customer.language or "fr"),
                pdf=pdf,
                contract=c,
            )
            PreNotification.objects.create(
                contract=c,
                due_on=due_on,
                amount_minor=ln.total_due_minor,
                currency=c.currency,
                document_id=doc.pk,
            )
        sent += 1
    return sent


def _notice_title(due_on: date, language: str) -> str:
    """The inbox title, in the customer's language like the notice itself."""
    with translation.override(language):
        return _("Avis de prélèvement du %(date)s") % {"date": format_day(due_on, language)}
