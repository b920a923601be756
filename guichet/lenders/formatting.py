"""Locale-aware display of money, rates and dates (babel), the one place the interface formats numbers.

XPF shows with no decimals; the New Caledonian profile writes the ISO code (``117 992 XPF``)
as its seed does, where babel's default symbol would be ``FCFP``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_currency, format_decimal

from guichet.credit import Money

_BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def babel_locale(language: str | None) -> str:
    return _BABEL_LOCALES.get((language or "fr")[:2], "fr_FR")


def format_money(value: Money, language: str | None = "fr", *, iso_code: bool = False) -> str:
    """``1 234,56 €`` in French, ``€1,234.56`` in English; ``117 992 XPF`` with ``iso_code``."""
    loc = babel_locale(language)
    if iso_code:
        number = format_decimal(
            value.amount,
            format="#,##0" + ("." + "0" * value.currency.exponent if value.currency.exponent else ""),
            locale=loc,
        )
        return f"{number}\u00a0{value.currency.code}"
    return format_currency(
        value.amount, value.currency.code, locale=loc, currency_digits=True, format_type="standard"
    )


def format_rate(rate: Decimal, language: str | None = "fr", decimals: int = 2) -> str:
    """A rate fraction as a percentage: ``Decimal("0.1934")`` → ``19,34 %``."""
    loc = babel_locale(language)
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    number = format_decimal(rate * 100, format=pattern, locale=loc)
    return f"{number}\u00a0%" if loc.startswith("fr") else f"{number}%"


def format_day(value: date, language: str | None = "fr", fmt: str = "short") -> str:
    """``15/06/2027`` in French, ``15/06/2027`` in British English (``fmt="long"`` spells the month)."""
    loc = babel_locale(language)
    return _babel_date(value, format="dd/MM/yyyy" if fmt == "short" else fmt, locale=loc)


def format_instant(value: datetime, tz: object, language: str | None = "fr") -> str:
    loc = babel_locale(language)
    return _babel_datetime(value, format="dd/MM/yyyy HH:mm", tzinfo=tz, locale=loc)  # type: ignore[arg-type]
