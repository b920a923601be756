"""What the space shows about a holder's cards: caps used over their rolling windows, operations,
the sheet's security advice and opposition numbers (seed 004, read from the tariff in force)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from guichet.catalogue.selectors import clause
from guichet.credit import Money
from guichet.credit.card import ATM_CAP, ATM_DAYS, PAYMENT_CAP, PAYMENT_DAYS, CardUse, window_total
from guichet.credit.parity import convert
from guichet.loans.models import ScheduleLine

from .models import Card, CardOperation, SplitPlan


@dataclass(frozen=True)
class CardView:
    card: Card
    atm_used: Money
    atm_cap: Money
    payment_used: Money
    payment_cap: Money
    operations: list[CardOperation]
    security: dict
    plans: list[PlanView] = field(default_factory=list)


@dataclass(frozen=True)
class PlanView:
    """A split payment at a partner (sub-plan): its purchase, rate and the installments left."""

    plan: SplitPlan
    amount: Money
    taeg: Decimal
    installments_left: list[ScheduleLine]

    @property
    def next_on(self) -> date | None:
        return self.installments_left[0].due_on if self.installments_left else None

    @property
    def next_amount(self) -> Money | None:
        if not self.installments_left:
            return None
        first = self.installments_left[0]
        return Money(first.installment_minor + first.insurance_minor, self.amount.currency)


def cards_for_contract(contract, on: date) -> list[CardView]:  # type: ignore[no-untyped-def]
    """The line's cards with their rolling-window totals (two queries plus the tariff's clause)."""
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
    plans: dict[int, list[PlanView]] = {}
    for p in SplitPlan.objects.filter(card__in=cards).select_related("plan", "operation"):
        left = list(
            ScheduleLine.objects.filter(version_id=p.plan.current_schedule_id, due_on__gt=on).order_by(
                "number"
            )
        )
        plans.setdefault(p.card_id, []).append(PlanView(p, p.plan.money(p.plan.principal_minor),
                                                        Decimal(p.plan.taeg), left))  # fmt: skip
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
                plans=plans.get(card.pk, []),
            )
        )
    return out
