"""What the space shows about a holder's cards: caps used over their rolling windows, operations,
the sheet's security advice and opposition numbers (seed 004, read from the tariff in force)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from guichet.credit import Money
from guichet.credit.card import ATM_CAP, ATM_DAYS, PAYMENT_CAP, PAYMENT_DAYS, CardUse, window_total
from guichet.credit.parity import convert

from .models import Card, CardOperation


@dataclass(frozen=True)
class CardView:
    card: Card
    atm_used: Money
    atm_cap: Money
    payment_used: Money
    payment_cap: Money
    operations: list[CardOperation]
    security: dict


def cards_for_contract(contract, on: date) -> list[CardView]:  # type: ignore[no-untyped-def]
    """The line's cards with their rolling-window totals (two queries plus the tariff's clause)."""
    from guichet.catalogue.selectors import clause

    try:
        security = clause("card_security", on)
    except LookupError:
        security = {}
    cards = list(Card.objects.filter(contract=contract).select_related("holder"))
    ops = list(
        CardOperation.objects.filter(card__in=cards)
        .select_related("card__contract")
        .order_by("-on", "-pk")[:200]
    )
    cur = contract.currency_obj
    out = []
    for card in cards:
        mine = [o for o in ops if o.card_id == card.pk]
        uses = [CardUse(o.on, contract.money(o.amount_minor), o.kind) for o in mine if o.authorized]
        out.append(
            CardView(
                card=card,
                atm_used=window_total(uses, kind="atm", on=on, days=ATM_DAYS, currency=cur),
                atm_cap=convert(ATM_CAP, cur, rounding="down"),
                payment_used=window_total(uses, kind="payment", on=on, days=PAYMENT_DAYS, currency=cur),
                payment_cap=convert(PAYMENT_CAP, cur, rounding="down"),
                operations=mine[:20],
                security=security,
            )
        )
    return out
