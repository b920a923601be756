"""Locale-aware display of money, rates and dates (babel), the one place the interface formats numbers.

XPF shows with no decimals; the New Caledonian profile writes the ISO code (``117 992 XPF``)
as its seed does, where babel's default symbol would be ``FCFP``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_currency, format_decimal, get_decimal_symbol, get_group_symbol
from django.utils.translation import get_language

from guichet.credit import Money

from .profile import get_profile

_BABEL_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def babel_locale(language: str | None) -> str:
    return _BABEL_LOCALES.get((language or "fr")[:2], "fr_FR")


class _MoneyFormat:
    """babel's money format for one (locale, currency, ISO code or symbol), worked out once.

    babel parses the locale data and the pattern at every call (about 30 µs): a contract
    calendar shows a few hundred amounts per page (issue 15). The prefix, suffix and symbols are
    read from babel's own output here, then each amount is only digits and separators, and the
    result is checked against babel on probe values before it is used (else babel formats).
    """

    PROBES = (0, 1, -1, 5, 99, 100, 999, 1_000, 9_999, 10_000, 123_456, 1_000_000, 123_456_789, -123_456_789)

    def __init__(self, loc: str, code: str, exponent: int, iso_code: bool) -> None:
        self.loc, self.code, self.exponent, self.iso_code = loc, code, exponent, iso_code
        self.group = get_group_symbol(loc)
        self.decimal = get_decimal_symbol(loc)
        self.prefix: dict[bool, str] = {}
        self.suffix: dict[bool, str] = {}
        for negative in (False, True):
            one = self._babel(-(10**exponent) if negative else 10**exponent)
            digits = "1" + (self.decimal + "0" * exponent if exponent else "")
            head, sep, tail = one.partition(digits)
            self.prefix[negative], self.suffix[negative] = head, tail
            if not sep:
                self.fast = False
                return
        self.fast = all(self._digits(m) == self._babel(m) for m in self.PROBES)

    def _babel(self, minor: int) -> str:
        amount = Decimal(minor).scaleb(-self.exponent)
        if self.iso_code:
            fraction = "." + "0" * self.exponent if self.exponent else ""
            number = format_decimal(amount, format="#,##0" + fraction, locale=self.loc)
            return f"{number}\u00a0{self.code}"
        return format_currency(
            amount, self.code, locale=self.loc, currency_digits=True, format_type="standard"
        )

    def _digits(self, minor: int) -> str:
        negative = minor < 0
        units, cents = divmod(abs(minor), 10**self.exponent)
        number = f"{units:,}".replace(",", self.group)
        if self.exponent:
            number += self.decimal + f"{cents:0{self.exponent}d}"
        return self.prefix[negative] + number + self.suffix[negative]

    def __call__(self, minor: int) -> str:
        return self._digits(minor) if self.fast else self._babel(minor)


@lru_cache(maxsize=64)
def _money_format(loc: str, code: str, exponent: int, iso_code: bool) -> _MoneyFormat:
    return _MoneyFormat(loc, code, exponent, iso_code)


def format_money(value: Money, language: str | None = "fr", *, iso_code: bool = False) -> str:
    """``1 234,56 €`` in French, ``€1,234.56`` in English; ``117 992 XPF`` with ``iso_code``."""
    currency = value.currency
    return _money_format(babel_locale(language), currency.code, currency.exponent, iso_code)(value.minor)


def format_money_babel(value: Money, language: str | None = "fr", *, iso_code: bool = False) -> str:
    """The same text straight from babel (the reference ``format_money`` is checked against)."""
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
    if fmt == "short":  # the same digits in every locale the interface speaks (fr_FR, en_GB)
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    loc = babel_locale(language)
    return _babel_date(value, format="dd/MM/yyyy" if fmt == "short" else fmt, locale=loc)


def format_instant(value: datetime, tz: object, language: str | None = "fr") -> str:
    loc = babel_locale(language)
    return _babel_datetime(value, format="dd/MM/yyyy HH:mm", tzinfo=tz, locale=loc)  # type: ignore[arg-type]


class Formatter:
    """Money, days and rates for one language, bound once (per request) instead of once per value.

    The template filters ask Django for the active language and the lender profile at every
    amount; a page of a few hundred amounts (a contract's calendar) builds one of these instead.
    """

    def __init__(self, language: str | None, iso_code: bool = False) -> None:
        self.language, self.iso_code = language, iso_code
        self.loc = babel_locale(language)

    @classmethod
    def current(cls) -> Formatter:
        """For the active language and the lender's money pattern, as the template filters format: what
        a message built in Python (an error, a notice) uses, so it reads like the page around it."""
        return cls(get_language(), iso_code=get_profile().money_pattern_iso)

    def money(self, value: Money | None) -> str:
        if value is None:
            return "—"
        currency = value.currency
        return _money_format(self.loc, currency.code, currency.exponent, self.iso_code)(value.minor)

    def day(self, value: date | None) -> str:
        return "—" if value is None else format_day(value, self.language)

    def rate(self, value: Decimal | None, decimals: int = 2) -> str:
        return "—" if value is None else format_rate(value, self.language, decimals)
