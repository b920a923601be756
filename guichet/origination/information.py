"""General information on each credit product the lender offers, for the public pages.

Ordonnance n° 2025-880 (CCD2 art. 7; Dalloz actualité « partie 2 : publicité et informations
générales »): the lender makes general information on the credit agreements it offers available at
all times, on paper or another durable medium: who lends, the types of credit and their purposes, the
duration, the rates and the TAEG with a representative example, the ancillary services, the withdrawal
right, early repayment. The French article number of that duty was not retrieved (docs/credit.md).
Every figure comes from the catalogue in force, in the lender's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from guichet.catalogue.selectors import amount_bounds, products_on
from guichet.credit import Money
from guichet.lenders.profile import get_profile
from guichet.notifications import send_email
from guichet.signing.rules import WITHDRAWAL_DAYS


@dataclass(frozen=True)
class ProductInformation:
    code: str
    name: str
    family: str
    kind: str
    section: str
    min_amount: Money
    max_amount: Money | None
    min_term_months: int | None
    max_term_months: int | None
    min_debit_rate: Decimal
    max_debit_rate: Decimal
    min_taeg: Decimal
    max_taeg: Decimal
    taeg_type: str
    optional_insurance: tuple[str, ...]
    withdrawal_days: int


def general_information(*, on: date) -> list[ProductInformation]:
    """One entry per product in force on ``on`` (empty when no tariff is in force)."""
    cur = get_profile().currency
    out = []
    for product in products_on(on=on):
        tiers = list(product.tiers.all())
        if not tiers:
            continue
        low, high = amount_bounds(product, cur, on)
        out.append(
            ProductInformation(
                code=product.code,
                name=product.name,
                family=product.family,
                kind=product.kind,
                section=product.section,
                min_amount=low,
                max_amount=high,
                min_term_months=product.min_term_months,
                max_term_months=product.max_term_months,
                min_debit_rate=min(t.debit_rate for t in tiers),
                max_debit_rate=max(t.debit_rate for t in tiers),
                min_taeg=min(t.max_taeg for t in tiers),
                max_taeg=max(t.max_taeg for t in tiers),
                taeg_type=product.taeg_type,
                optional_insurance=tuple(
                    sorted({o.cover for o in product.insurance_options.all() if o.open_on(on)})
                ),
                withdrawal_days=WITHDRAWAL_DAYS,
            )
        )
    return out


def send_credit_information(*, customer) -> None:  # type: ignore[no-untyped-def]
    """Email the general information to a customer who asked for it: an advertising email, so it ends
    with the L312-5 sentence (``advertises_credit``). Sent on request only: no unsolicited credit."""
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    send_email(
        to=customer.email,
        subject=gettext_lazy("Nos crédits : informations générales"),
        template="credit_information",
        context={"customer": customer, "products": general_information(on=timezone.localdate())},
        language=customer.language or "fr",
        advertises_credit=True,
    )
