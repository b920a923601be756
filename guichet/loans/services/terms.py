"""Adapters to the catalogue (product terms) and the credit core (usury), kept in one place.

The catalogue and the usury table are owned by other apps; this module is where loans reads
them, so a change of their API touches one file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from guichet.catalogue import selectors as catalogue
from guichet.catalogue.exceptions import CatalogueError
from guichet.credit import Money, usury
from guichet.loans.errors import ContractRefused, UsuryExceeded


@dataclass(frozen=True)
class Terms:
    debit_rate: Decimal
    product_name: str
    product: Any | None  # catalogue.Product when the catalogue knows the code
    # The tariff's "TAEG fixe maximum" when the catalogue's own rate applies: the schedule is then
    # rounded so the TAEG never exceeds it (seed 004's 3 x CB at 21,15 %, issue 9).
    max_taeg: Decimal | None = None


def product_terms(
    *, product_code: str, amount: Money, term_months: int | None, on: date, debit_rate: Decimal | None = None
) -> Terms:
    """The debit rate and product for a request; ``debit_rate`` overrides the catalogue's rate.

    With an explicit ``debit_rate`` a product the catalogue does not know (or refuses) is still
    accepted, under its code; without one, the catalogue's refusal is the contract's refusal.
    """
    try:
        found = catalogue.product_terms(
            product_code=product_code, amount=amount, term_months=term_months, on=on
        )
    except CatalogueError as exc:
        if debit_rate is None:
            raise ContractRefused(str(exc)) from exc
        return Terms(debit_rate=Decimal(debit_rate), product_name=product_code, product=None)
    rate = debit_rate if debit_rate is not None else found.debit_rate
    return Terms(
        debit_rate=Decimal(rate),
        product_name=found.product.name or product_code,
        product=found.product,
        max_taeg=found.max_taeg if Decimal(rate) == found.debit_rate else None,
    )


def check_usury(*, taeg: Decimal, amount: Money, on: date) -> None:
    """Refuse a TAEG above the usury ceiling in force (``UsuryExceeded``) or when none is known."""

    try:
        result = usury.check_usury(taeg=taeg, amount=amount, on=on)
    except usury.UsuryDataMissing as exc:
        raise ContractRefused(f"Taux d'usure inconnu à cette date : {exc}") from exc
    if not result.ok:
        raise UsuryExceeded(
            f"{result.message} Le crédit de {amount} ne peut pas être accordé à ces conditions."
        )
