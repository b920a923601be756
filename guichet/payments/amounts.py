"""Amounts typed by a person, on a page or in the API: parsed and bounded here, once.

An amount is digits with at most one decimal separator ("1 234,50", "1234.50"): no sign, no exponent
("1e30"), no more decimals than the currency has. It is then bounded by what the lender's products
allow: no amount typed into Guichet (a simulation, an external debt to buy back, a scheduled transfer,
an early repayment) can exceed the largest amount a product of the tariff in force lends. Beyond it,
the answer is a clear refusal instead of a server error (issue 11, item 5: ``1e30`` and ``10^30``
used to overflow the database column or the schedule arithmetic).
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

from guichet.catalogue.exceptions import CatalogueError
from guichet.catalogue.parity import bound_minor
from guichet.catalogue.selectors import products_on
from guichet.credit import Currency, Money, currency
from guichet.lenders.formatting import Formatter
from guichet.lenders.profile import get_profile, lender_day

from .errors import PaymentsError

_SHAPE = re.compile(r"[0-9]{1,15}(?:[.,][0-9]{1,6})?")
_SPACES = str.maketrans("", "", " \u202f\xa0")
# With no tariff in force there is no product to ask: a bound that keeps every column and sum safe.
FALLBACK_MAX_MINOR = 10**12


class AmountRefused(PaymentsError, ValueError):
    """The amount typed is not a number, or is beyond what the lender's products allow."""

    code = "invalid_amount"


def max_amount(cur: Currency, *, on: date | None = None) -> Money:
    """The largest amount any product of the tariff in force on ``on`` lends, in ``cur``."""
    try:
        products = products_on(on=on or lender_day())
    except CatalogueError:
        products = []
    bounds = [
        bound_minor(p.max_amount_minor, currency(p.currency), cur, upper=True)
        for p in products
        if p.max_amount_minor is not None
    ]
    return Money(max(bounds, default=FALLBACK_MAX_MINOR), cur)


def parse_amount(
    raw: str | None,
    *,
    label: str = "",
    cur: Currency | None = None,
    on: date | None = None,
    required: bool = False,
) -> Money | None:
    """``raw`` as Money in the lender's currency (None when empty and not ``required``), or
    :class:`AmountRefused` with a message that names the field (``label``) and the limit."""
    cur = cur or get_profile().currency
    what = f" « {label} »" if label else ""
    cleaned = (raw or "").translate(_SPACES)
    if not cleaned:
        if required:
            raise AmountRefused(_("Indiquez le montant%(what)s.") % {"what": what})
        return None
    if not _SHAPE.fullmatch(cleaned):
        raise AmountRefused(
            _("Montant%(what)s invalide : saisissez par exemple 1500 ou 1500,50.") % {"what": what}
        )
    try:
        amount = Money.of(cleaned.replace(",", "."), cur)
    except ValueError:
        raise AmountRefused(
            _("Montant%(what)s invalide : %(cur)s n'a que %(n)d décimale(s).")
            % {"what": what, "cur": cur.code, "n": cur.exponent}
        ) from None
    limit = max_amount(cur, on=on)
    if amount.minor > limit.minor:
        raise AmountRefused(
            _("Le montant%(what)s ne peut pas dépasser %(max)s, le plus haut montant de nos produits.")
            % {"what": what, "max": Formatter.current().money(limit)}
        )
    return amount
