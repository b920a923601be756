"""How the catalogue serves amounts in a currency other than the tariff's (the XPF lender).

Seed 004 prices in euros; the New Caledonian demo lender sells in XPF (franc CFP). The franc CFP
is pegged to the euro at a fixed parity: 1 000 XPF = 8,38 € (i.e. 1 € = 119,331742… XPF,
"119,33174" as usually printed), kept once in ``guichet.credit.parity`` with the law's euro
thresholds. The catalogue therefore keeps euro figures in the database and converts the
*bounds* of the tariff (amount ranges, tier limits, term bands) into the asked currency, to whole
francs, in the direction that keeps every comparison exact:

- an upper bound ("≤ 3 000 €") is rounded DOWN: 3 000 € → 357 995 XPF, because an amount of
  357 995 XPF is 2 999,998 € (inside) and 357 996 XPF is 3 000,006 € (outside);
- a lower bound ("≥ 200 €") is rounded UP: 200 € → 23 867 XPF.

So an XPF amount falls in the same tier and range as its exact euro value would. Rates are
unitless and never converted. Any other pair of currencies raises ``CurrencyNotServed``.
"""

from __future__ import annotations

from guichet.credit import Currency, Money
from guichet.credit.parity import EUR_VALUE, NoParity, convert

from .exceptions import CurrencyNotServed

__all__ = ["EUR_VALUE", "bound_minor", "convert_bound"]


def convert_bound(amount: Money, to: Currency, *, upper: bool) -> Money:
    """``amount`` expressed in ``to``, rounded down for an upper bound and up for a lower bound."""
    try:
        return convert(amount, to, rounding="down" if upper else "up")
    except NoParity:
        raise CurrencyNotServed(
            f"Le catalogue ne sait pas convertir {amount.currency.code} en {to.code} "
            f"(parités connues : {', '.join(sorted(EUR_VALUE))})."
        ) from None


def bound_minor(minor: int | None, tariff_currency: Currency, to: Currency, *, upper: bool) -> int | None:
    """``convert_bound`` on a stored ``*_minor`` column (``None`` stays ``None``: no bound)."""
    if minor is None:
        return None
    return convert_bound(Money(minor, tariff_currency), to, upper=upper).minor
