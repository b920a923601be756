"""French number formatting for the sentences the finance core builds (no babel: the core is pure).

Thousands are separated by a narrow no-break space (U+202F), the decimal mark is a comma, and a
no-break space (U+00A0) precedes the currency sign or the percent sign, as babel does for fr_FR.
Callers that need other locales use the structured fields and ``guichet.lenders.formatting``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .money import Money

NNBSP = "\u202f"
NBSP = "\u00a0"
_SYMBOLS = {"EUR": "€"}


def _group(digits: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return NNBSP.join(parts)


def decimal_fr(value: Decimal, places: int) -> str:
    """``Decimal("10000.5")`` with 2 places → ``"10 000,50"``."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    return sign + _group(whole) + ("," + frac if frac else "")


def money_fr(amount: Money, *, drop_zero_cents: bool = False) -> str:
    """``10 000,00 €`` (or ``10 000 €`` with ``drop_zero_cents``), ``117 992 XPF``."""
    places = amount.currency.exponent
    if drop_zero_cents and amount.minor % (10**places) == 0:
        places = 0
    symbol = _SYMBOLS.get(amount.currency.code, amount.currency.code)
    return f"{decimal_fr(amount.amount, places)}{NBSP}{symbol}"


def rate_fr(rate: Decimal, places: int = 2) -> str:
    """A fraction shown as a percentage: ``Decimal("0.048")`` → ``4,80 %``."""
    return f"{decimal_fr(rate * 100, places)}{NBSP}%"
