"""The integer core of the schedules: annuity, rows and balances in minor units, exact half-up.

Moved out of ``schedule`` (which re-exports every name) to keep that module to the ``Schedule``
type. ``amortize_minor`` is the plain row loop; ``_core`` is what ``amortization_schedule`` keeps
of a schedule: the installments and the balance after each row, from which ``Schedule`` reads
its totals and TAEG and builds its Money rows when they are first read. ``first_absorbs`` is the
rounding in the borrower's favour of the split-payment plans (see ``schedule``'s docstring).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from .money import Currency, Money


@dataclass(frozen=True, slots=True)
class _Core:
    """An ``amortization_schedule`` in integers: installments of row 1, rows 2..n−1 and row n, the
    balance after rows 1..n−1, the first due date and the premiums (None: no insurance)."""

    currency: Currency
    principal: int
    months: int
    first: int
    installment: int
    last: int
    balances: list[int]
    first_due_on: date
    premiums: list[Money] | None

    def paid(self) -> int:
        """Every installment added up (insurance excluded)."""
        if self.months == 1:
            return self.last
        return self.first + self.installment * (self.months - 2) + self.last

    def installments(self) -> list[int]:
        if self.months == 1:
            return [self.last]
        return [self.first, *([self.installment] * (self.months - 2)), self.last]


def monthly_rate_fraction(debit_rate: Decimal) -> Fraction:
    """debit_rate / 12 as an exact fraction."""
    if isinstance(debit_rate, float):
        raise TypeError("debit_rate must be a Decimal fraction, not a float.")
    return _monthly_fraction(debit_rate)


# Cached because a portfolio shares a handful of tariff rates and terms, while building the
# Fraction and the powers costs as much as a dozen schedule rows (tests/bench/bench_schedule.py).
@lru_cache(maxsize=4096)
def _monthly_fraction(debit_rate: Decimal) -> Fraction:
    rate = Fraction(debit_rate)
    if rate < 0:
        raise ValueError("A debit rate cannot be negative.")
    return rate / 12


@lru_cache(maxsize=4096)
def _annuity_ratio(a: int, b: int, months: int) -> tuple[int, int]:
    """pmt / principal = a(a+b)^n / (b((a+b)^n − b^n)) for a monthly rate a/b, as (top, bottom)."""
    grown, base = (a + b) ** months, b**months
    return a * grown, b * (grown - base)


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up (denominator > 0, numerator ≥ 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def annuity_minor(principal_minor: int, monthly: Fraction, months: int) -> int:
    """The constant installment (``pmt``) in minor units, exact rational rounded half-up."""
    if months <= 0:
        raise ValueError("A schedule needs at least one month.")
    if not monthly.numerator:  # cheaper than comparing the Fraction
        return half_up(principal_minor, months)
    top, bottom = _annuity_ratio(monthly.numerator, monthly.denominator, months)
    return half_up(principal_minor * top, bottom)


def amortize_minor(
    principal_minor: int,
    monthly: Fraction,
    months: int,
    installment_minor: int,
    first_interest_minor: int | None = None,
) -> list[tuple[int, int, int, int]]:
    """Rows (installment, interest, principal, balance_after) in minor units; last row clears.

    interest = floor((2·balance·num + den) / (2·den)) is balance × num/den rounded half-up,
    exactly, in integers (the hot loop of every schedule, hence the plain style).
    """
    num2, den = 2 * monthly.numerator, monthly.denominator
    twice_den = 2 * den
    balance = principal_minor
    rows: list[tuple[int, int, int, int]] = []
    append = rows.append
    for k in range(months):
        if k == 0 and first_interest_minor is not None:
            interest = first_interest_minor
        else:
            interest = (balance * num2 + den) // twice_den
        repaid = installment_minor - interest
        if repaid > balance or k == months - 1:
            repaid = balance
        balance -= repaid
        append((interest + repaid, interest, repaid, balance))
    return rows


def broken_period_interest(principal_minor: int, debit_rate: Decimal, days: int) -> int:
    """principal × debit × days / 365, half-up: the first interest of a broken first period."""
    rate = Fraction(debit_rate)
    return half_up(principal_minor * rate.numerator * days, rate.denominator * 365)


def _balances(
    principal: int, monthly: Fraction, months: int, first: int, installment: int, i1: int
) -> list[int]:
    """Balance after rows 1..months−1 (row 1 pays ``first`` with interest ``i1``, the others
    ``installment`` with balance × monthly rate half-up); the last row clears what is left."""
    num2, den = 2 * monthly.numerator, monthly.denominator
    twice_den = 2 * den
    balance = principal - (first - i1)
    out = [balance]
    append = out.append
    for _ in range(months - 2):
        balance -= installment - (balance * num2 + den) // twice_den
        append(balance)
    return out


def first_absorbs(
    principal_minor: int, monthly: Fraction, months: int, first_interest: Fraction | int
) -> tuple[int, int]:
    """(first installment, the others) of a plan rounded in the borrower's favour (module docstring).

    The others are the annuity rounded down; the first is the largest amount X such that X and
    the others, discounted at the monthly rate, are worth at most the principal: the plan's rate
    is then at most the monthly rate, so its TAEG at most (1 + monthly)^12 − 1.
    """
    top, bottom = _annuity_ratio(monthly.numerator, monthly.denominator, months)
    others = principal_minor * top // bottom
    discount = 1 / (1 + monthly)
    later = sum(discount**k for k in range(1, months))  # the others' worth one month in
    exact = principal_minor + first_interest - others * later
    return exact.numerator // exact.denominator, others


def _core(
    principal: Money,
    monthly: Fraction,
    months: int,
    first_due_on: date,
    first_interest: int | None,
    favour: bool,
    premiums: list[Money] | None,
) -> _Core | None:
    """The integer schedule, or None when a row would repay more than the balance (a tiny loan)."""
    p = principal.minor
    num2, den = 2 * monthly.numerator, monthly.denominator
    i1 = first_interest if first_interest is not None else (p * num2 + den) // (2 * den)
    if favour:  # the exact month's interest (a broken first period: its interest, rounded)
        first, installment = first_absorbs(p, monthly, months, p * monthly if first_interest is None else i1)
    else:
        first = installment = annuity_minor(p, monthly, months)
    if months == 1:
        return _Core(principal.currency, p, 1, i1 + p, i1 + p, i1 + p, [], first_due_on, premiums)
    balances = _balances(p, monthly, months, first, installment, i1)
    before = balances[-1]
    if before < 0 or (months > 2 and before > balances[-2]):
        return None
    last = installment if favour else before + (before * num2 + den) // (2 * den)
    if last < before:  # the borrower's-favour plan cannot end on its installment
        return None
    return _Core(principal.currency, p, months, first, installment, last, balances, first_due_on, premiums)
