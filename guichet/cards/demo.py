"""Demo: Camille's Accessio line gets a card (requested after 09/09/2013) with a store payment, an ATM
withdrawal, a payment in Swiss francs and a purchase at a partner in 10 payments, so the space shows
caps, fees, a currency notice and a split sub-plan."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guichet.loans.models import Contract

from .models import Card
from .services import present_operation

DEMO_ECB_CHF = Decimal("0.9350")  # a plausible ECB reference rate for the demo (CHF per euro)


def seed(*, profile: Any, stdout: Any) -> None:
    line = Contract.objects.filter(kind=Contract.Kind.REVOLVING, product_code__startswith="accessio").first()
    if line is None or Card.objects.filter(contract=line).exists():
        return
    holder = line.participants.get(role="borrower").customer
    today = timezone.localdate()
    card = Card.objects.create(
        contract=line,
        holder=holder,
        reference=f"DEMO-{line.number}",
        masked_number="4970 **** **** 2841",
        requested_on=line.start_on,
        fx_notice=Card.Notice.EMAIL,
    )
    ops = [
        ("payment", 20, 12000, "EUR", None, "Librairie du Centre"),
        ("atm", 10, 6000, "EUR", None, "DAB Lille Grand Place"),
        ("payment", 5, 8500, "CHF", DEMO_ECB_CHF, "Gare de Genève"),
    ]
    for n, (kind, days, minor, code, rate, merchant) in enumerate(ops):
        on = today - timedelta(days=days)
        present_operation(
            card_reference=card.reference,
            external_id=f"demo-{line.number}-{n}",
            kind=kind,
            on=on,
            amount_minor=minor,
            currency_code=code,
            ecb_rate=rate,
            merchant=merchant,
        )
    # a purchase at a partner in 10 payments (COFIDIS Pay, 16,49 % max): a sub-plan shown in "Ma carte"
    present_operation(
        card_reference=card.reference,
        external_id=f"demo-{line.number}-split",
        kind="payment",
        on=today - timedelta(days=3),
        amount_minor=45000,
        merchant="Meubles Partenaire",
        split_product="cofidis-pay-3-24x",
        split_installments=10,
    )
    stdout.write("cards: Camille's Accessio card with 4 operations (one in CHF, one in 10 payments).")
