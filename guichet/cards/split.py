"""Split payment at partners on the card (seed 004, "Paiement en plusieurs fois lié à un achat effectué chez
nos partenaires"): "du paiement 3 fois au paiement en 24 fois" (COFIDIS Pay 16,49 %, Option Crédit 19 %),
"… en 33 fois" (Fraxio 14,80 %), "du paiement comptant au paiement en 24 fois" (Carte 4 Etoiles 14,80 %),
each at a "TAEG fixe maximum".

A card payment flagged as split (import file columns ``split_product;split_installments``, API fields of
the same names) is authorized like any payment (30-day cap, available amount), then becomes an
amortizable sub-plan instead of a drawdown on the revolving balance: a contract of the split product
(``loans.services.open_contract``: catalogue rate, usury check, and the schedule rounded in the
borrower's favour so its TAEG never exceeds the sheet's maximum — ``amortization_schedule(max_taeg=)``,
tests/unit/credit/test_split_plans.py). The first installment falls one month after the purchase, as
the sheet's TAEG assume ("1ère échéance 30 jours après la mise à disposition des fonds"), then monthly;
each installment is added to the line's statement of the period it falls in (``documents.statements``).
Putting them on the line's debit day instead would lengthen the first period up to two months, and
the TAEG of a short plan then exceeds the sheet's maximum (4 payments: 16,55 % for COFIDIS Pay's
16,49 %). Assumption (lender to confirm): the sub-plan does not reduce the line's available amount;
it is repaid by its own installments, debited on their own day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.catalogue.exceptions import CatalogueError
from guichet.catalogue.selectors import product_on
from guichet.credit import Money, add_months
from guichet.loans.models import Contract
from guichet.loans.services.contracts import open_contract

from .models import Card

SPLIT_FAMILY = "split"


class SplitRefused(ValueError):
    """The split cannot be considered (unknown product, number of installments out of its range)."""


@dataclass(frozen=True)
class SplitRequest:
    product_code: str
    installments: int


def split_request(*, product_code: str, installments: int | None, kind: str, on: date) -> SplitRequest:
    """Check the split against the catalogue: a partner split product, a number of payments in its range."""
    if kind != "payment":
        raise SplitRefused(_("Seul un paiement peut être réglé en plusieurs fois."))
    try:
        product = product_on(product_code, on)
    except CatalogueError as exc:
        raise SplitRefused(str(exc)) from None
    if product.family != SPLIT_FAMILY or product.kind != "amortizable":
        raise SplitRefused(
            _("« %(name)s » n'est pas un paiement en plusieurs fois chez un partenaire.")
            % {"name": product.name}
        )
    low, high = product.min_term_months or 1, product.max_term_months or 1
    if installments is None or not low <= installments <= high or installments < 2:
        raise SplitRefused(
            _("%(name)s : de %(low)s à %(high)s paiements.")
            % {"name": product.name, "low": max(low, 2), "high": high}
        )
    return SplitRequest(product_code, installments)


def first_plan_due_on(on: date) -> date:
    """One month after the purchase (the sheet's TAEG assumption)."""
    return add_months(on, 1)


def open_split_plan(*, card: Card, amount: Money, on: date, split: SplitRequest) -> Contract:
    """The sub-plan's contract (raises ``LoansError`` — usury, range — when it cannot be opened)."""
    line = card.contract
    return open_contract(
        product_code=split.product_code,
        amount=amount,
        term_months=split.installments,
        start_on=on,
        customers=[card.holder],
        first_due_on=first_plan_due_on(on),
        payment_method=line.payment_method,
        bank_account_masked=line.bank_account_masked,
        signed_at=timezone.now(),
    )
