"""Money as an integer count of minor units with its currency; the only way amounts travel in Guichet.

Rules (DESIGN.md "Money, rates, dates"): the exponent comes from the currency (EUR 2, XPF 0),
a float is refused everywhere, arithmetic mixes no currencies, and splitting never loses a
minor unit (``allocate``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency and the number of decimals of its minor unit."""

    code: str
    exponent: int

    @property
    def quantum(self) -> Decimal:
        """The smallest amount, as a Decimal (0.01 for EUR, 1 for XPF)."""
        return Decimal(1).scaleb(-self.exponent)

    def __str__(self) -> str:
        return self.code


EUR = Currency("EUR", 2)
XPF = Currency("XPF", 0)
_CURRENCIES: dict[str, Currency] = {c.code: c for c in (EUR, XPF, Currency("USD", 2), Currency("CHF", 2))}


def currency(code: str) -> Currency:
    """The currency for an ISO code (``currency("XPF")``); unknown codes raise ``ValueError``."""
    try:
        return _CURRENCIES[code.upper()]
    except KeyError:
        raise ValueError(
            f"Unknown currency code {code!r}; known: {', '.join(sorted(_CURRENCIES))}."
        ) from None


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


def _reject_float(value: object) -> None:
    if isinstance(value, float):
        raise TypeError("Floats are not accepted for money: pass a str, int or Decimal.")


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An amount: ``minor`` units (cents for EUR, francs for XPF) of ``currency``."""

    minor: int
    currency: Currency

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            _reject_float(self.minor)
            raise TypeError(f"Money.minor must be an int, got {type(self.minor).__name__}.")

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def of(cls, amount: str | int | Decimal, cur: Currency) -> Money:
        """Money from a major-unit amount: ``Money.of("1234.56", EUR)``, ``Money.of(117992, XPF)``.

        An amount with more decimals than the currency allows raises ``ValueError`` rather than
        being rounded silently; a float raises ``TypeError``.
        """
        _reject_float(amount)
        if isinstance(amount, bool):
            raise TypeError("A bool is not an amount.")
        try:
            value = Decimal(amount) if not isinstance(amount, Decimal) else amount
        except InvalidOperation:
            raise ValueError(f"{amount!r} is not a number.") from None
        if not value.is_finite():
            raise ValueError(f"{amount!r} is not a finite amount.")
        minor = value.scaleb(cur.exponent)
        if minor != minor.to_integral_value():
            raise ValueError(f"{amount} has more decimals than {cur.code} allows ({cur.exponent}).")
        return cls(int(minor), cur)

    @classmethod
    def zero(cls, cur: Currency) -> Money:
        return cls(0, cur)

    # -- views ----------------------------------------------------------------------------------
    @property
    def amount(self) -> Decimal:
        """The amount in major units, exact (``Decimal("1234.56")``)."""
        return Decimal(self.minor).scaleb(-self.currency.exponent)

    def __str__(self) -> str:
        return f"{self.amount:.{self.currency.exponent}f} {self.currency.code}"

    def __repr__(self) -> str:
        return f"Money({str(self.amount)!r}, {self.currency.code})"

    # -- arithmetic -----------------------------------------------------------------------------
    def _check(self, other: object) -> Money:
        if not isinstance(other, Money):
            _reject_float(other)
            raise TypeError(f"Cannot combine Money with {type(other).__name__}.")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency.code} with {other.currency.code}.")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.minor + self._check(other).minor, self.currency)

    def __radd__(self, other: object) -> Money:
        if other == 0:  # lets sum() start from 0
            return self
        return self.__add__(self._check(other))

    def __sub__(self, other: Money) -> Money:
        return Money(self.minor - self._check(other).minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.minor), self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        """Multiply by an int (exact) or a Decimal (rounded half-up to the minor unit)."""
        _reject_float(factor)
        if isinstance(factor, bool) or not isinstance(factor, (int, Decimal)):
            raise TypeError(f"Money can only be multiplied by int or Decimal, not {type(factor).__name__}.")
        if isinstance(factor, int):
            return Money(self.minor * factor, self.currency)
        return Money(int((Decimal(self.minor) * factor).quantize(Decimal(1), ROUND_HALF_UP)), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.minor < self._check(other).minor

    def __le__(self, other: Money) -> bool:
        return self.minor <= self._check(other).minor

    def __gt__(self, other: Money) -> bool:
        return self.minor > self._check(other).minor

    def __ge__(self, other: Money) -> bool:
        return self.minor >= self._check(other).minor

    def __bool__(self) -> bool:
        return self.minor != 0

    def is_zero(self) -> bool:
        return self.minor == 0

    # -- splitting ------------------------------------------------------------------------------
    def allocate(self, ratios: Sequence[int | Decimal]) -> list[Money]:
        """Split by ratios without losing a minor unit (largest remainder, ties to the first parts).

        ``Money.of("100.00", EUR).allocate([1, 1, 1])`` gives 33.34, 33.33, 33.33.
        """
        for r in ratios:
            _reject_float(r)
        if not ratios:
            raise ValueError("allocate needs at least one ratio.")
        if any(Decimal(r) < 0 for r in ratios):
            raise ValueError("Ratios must not be negative.")
        total = sum((Decimal(r) for r in ratios), Decimal(0))
        if total == 0:
            raise ValueError("Ratios must not all be zero.")
        sign = -1 if self.minor < 0 else 1
        whole = abs(self.minor)
        exact = [Decimal(whole) * Decimal(r) / total for r in ratios]
        parts = [int(x) for x in exact]  # floor for non-negative values
        leftover = whole - sum(parts)
        order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
        for i in order[:leftover]:
            parts[i] += 1
        return [Money(sign * p, self.currency) for p in parts]

    def split(self, n: int) -> list[Money]:
        """Split into ``n`` parts that differ by at most one minor unit and sum to the whole."""
        if n <= 0:
            raise ValueError("split needs a positive number of parts.")
        return self.allocate([1] * n)


def total(amounts: Iterable[Money], cur: Currency) -> Money:
    """Sum of amounts in ``cur`` (zero for an empty iterable)."""
    result = Money.zero(cur)
    for a in amounts:
        result = result + a
    return result
