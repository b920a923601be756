"""Amortization schedules with constant installments, exact to the minor unit (EUR and XPF).

Rules (DESIGN.md "Money, rates, dates"):
- monthly rate = debit rate / 12; the constant installment is the annuity (spreadsheet ``pmt``)
  rounded half-up to the minor unit;
- each period's interest = balance × monthly rate, rounded half-up to the minor unit;
- principal part = installment − interest; the last row takes whatever balance is left, so the
  principal repaid equals the principal lent exactly; a principal part never exceeds the
  balance (a tiny loan over many months ends early with zero rows rather than go negative);
- broken first period: when ``drawdown_on`` is given and the first due date is not exactly one
  month later, the first interest is balance × debit rate × days / 365 (interest computed day by
  day on a 365-day year, the tariff's "taux de période journalier" convention); the installment
  stays the constant annuity and the last row absorbs the difference.
The arithmetic is integer on minor units with exact rational half-up rounding (no Decimal in
the loop), which is both exact and fast; see ``amortize_minor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache

from .apr import Flow, annual_percentage_rate, year_fraction
from .dates import add_months, monthly_dates
from .money import Currency, Money, total


@dataclass(frozen=True, slots=True)
class InsuranceMonthlyOnBorrowed:
    """Insurance priced as a % of the borrowed amount per month (Prêt Sur Mesure, Rachat grids).

    ``monthly_rate`` is a fraction (0.0018 for "0,18 % mensuel du montant emprunté"); the
    premium is borrowed × monthly_rate rounded half-up, the same on every installment.
    ``compulsory`` insurance enters the TAEG (Annex I; Code de la consommation L314-1).
    """

    monthly_rate: Decimal
    compulsory: bool = False

    @property
    def rate(self) -> Decimal:
        return self.monthly_rate

    def premiums(self, principal: Money, count: int) -> list[Money]:
        return [principal * self.monthly_rate] * count


@dataclass(frozen=True, slots=True)
class InsuranceOnBorrowed:
    """Insurance priced as a % of the borrowed amount in total (Projexio 0.36 %, Option Crédit 0.24 %).

    Our reading of "Coût : 0,24 % du montant emprunté" (seed 004): unlike the Prêt Sur Mesure grid
    the sheet does not say "mensuel", so the rate applies once to the amount borrowed; the total
    premium (rounded half-up) is spread over the installments with ``Money.split`` so no minor
    unit is lost. If a lender's contract says the rate is monthly, use
    ``InsuranceMonthlyOnBorrowed`` with the same rate.
    """

    rate: Decimal
    compulsory: bool = False

    def premiums(self, principal: Money, count: int) -> list[Money]:
        return (principal * self.rate).split(count)


Insurance = InsuranceMonthlyOnBorrowed | InsuranceOnBorrowed


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One installment: ``installment`` = interest + principal (insurance excluded)."""

    number: int
    due_on: date
    installment: Money
    interest: Money
    principal: Money
    insurance: Money
    balance_after: Money

    @property
    def total_due(self) -> Money:
        """What the borrower pays on ``due_on``: installment + insurance."""
        return self.installment + self.insurance


@dataclass(frozen=True)
class Schedule:
    """A repayment schedule and the figures the law asks to show with it (cost, total due, TAEG).

    ``drawdown_on`` None means "one month before the first due date" (times k/12 in the TAEG).
    ``residual_value`` is set for a lease (LOA): the balance after the last rent, paid if the
    purchase option is exercised, which the TAEG assumes. ``total_due`` is every installment and
    insurance premium plus the fees (the residual value is not included).
    """

    rows: tuple[ScheduleRow, ...]
    principal: Money
    debit_rate: Decimal
    installment: Money
    fees: Money
    drawdown_on: date | None = None
    insurance_in_taeg: bool = False
    residual_value: Money | None = None

    @property
    def currency(self) -> Currency:
        return self.principal.currency

    @property
    def term_months(self) -> int:
        return len(self.rows)

    @property
    def first_due_on(self) -> date:
        return self.rows[0].due_on

    @property
    def last_due_on(self) -> date:
        return self.rows[-1].due_on

    @property
    def total_interest(self) -> Money:
        return total((r.interest for r in self.rows), self.currency)

    @property
    def total_insurance(self) -> Money:
        return total((r.insurance for r in self.rows), self.currency)

    @property
    def total_cost(self) -> Money:
        """Coût total du crédit: interest + insurance + fees."""
        return self.total_interest + self.total_insurance + self.fees

    @property
    def total_due(self) -> Money:
        """Montant total dû: installments + insurance + fees."""
        return total((r.total_due for r in self.rows), self.currency) + self.fees

    def outstanding_after(self, paid_through: int) -> Money:
        """Principal still owed once rows 1..paid_through are paid (the principal if 0)."""
        if not 0 <= paid_through <= len(self.rows):
            raise ValueError(f"paid_through must be between 0 and {len(self.rows)}, not {paid_through}.")
        return self.rows[paid_through - 1].balance_after if paid_through else self.principal

    def taeg_flows(self) -> tuple[list[Flow], list[Flow]]:
        """(drawdowns, repayments) for the TAEG: compulsory insurance and fees included."""
        repayments: list[Flow] = []
        if self.fees:
            repayments.append((0, self.fees))
        for row in self.rows:
            due = row.total_due if self.insurance_in_taeg else row.installment
            repayments.append((self._time(row), due))
        if self.residual_value:
            repayments.append((self._time(self.rows[-1]), self.residual_value))
        return [(0, self.principal)], repayments

    def _time(self, row: ScheduleRow) -> Fraction:
        if self.drawdown_on is None:
            return Fraction(row.number, 12)
        return year_fraction(self.drawdown_on, row.due_on)

    @cached_property
    def taeg(self) -> Decimal:
        """The TAEG (unrounded fraction; ``round_taeg`` to show it), Directive 2008/48/EC Annex I."""
        drawdowns, repayments = self.taeg_flows()
        # Exact for a regular monthly schedule without fees or rounding: Newton starts next to the root.
        guess = (1 + Decimal(self.debit_rate) / 12) ** 12 - 1
        return annual_percentage_rate(drawdowns=drawdowns, repayments=repayments, guess=guess)


def apr_of_schedule(schedule: Schedule) -> Decimal:
    """The TAEG of a schedule (same as ``schedule.taeg``)."""
    return schedule.taeg


# -- integer core ----------------------------------------------------------------------------------
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


def _first_interest(
    principal: Money, debit_rate: Decimal, drawdown_on: date | None, first_due_on: date
) -> int | None:
    if drawdown_on is None or add_months(drawdown_on, 1) == first_due_on:
        return None
    if drawdown_on >= first_due_on:
        raise ValueError(f"The first due date {first_due_on} must come after the drawdown {drawdown_on}.")
    return broken_period_interest(principal.minor, debit_rate, (first_due_on - drawdown_on).days)


def amortization_schedule(
    *,
    principal: Money,
    debit_rate: Decimal,
    term_months: int,
    first_due_on: date,
    drawdown_on: date | None = None,
    fees: Money | None = None,
    insurance: Insurance | None = None,
) -> Schedule:
    """A constant-installment schedule (see the module docstring for every rounding rule)."""
    if principal.minor <= 0:
        raise ValueError(f"The principal must be positive, got {principal}.")
    if term_months <= 0:
        raise ValueError(f"The term must be at least one month, got {term_months}.")
    cur = principal.currency
    monthly = monthly_rate_fraction(debit_rate)
    installment = annuity_minor(principal.minor, monthly, term_months)
    first = _first_interest(principal, debit_rate, drawdown_on, first_due_on)
    raw = amortize_minor(principal.minor, monthly, term_months, installment, first)
    premiums = insurance.premiums(principal, term_months) if insurance else [Money(0, cur)] * term_months
    rows = tuple(
        ScheduleRow(k + 1, due, Money(inst, cur), Money(i, cur), Money(p, cur), premium, Money(b, cur))
        for k, (due, (inst, i, p, b), premium) in enumerate(
            zip(monthly_dates(first_due_on, term_months), raw, premiums, strict=True)
        )
    )
    return Schedule(
        rows=rows,
        principal=principal,
        debit_rate=debit_rate,
        installment=Money(installment, cur),
        fees=fees if fees is not None else Money(0, cur),
        drawdown_on=drawdown_on,
        insurance_in_taeg=bool(insurance and insurance.compulsory),
    )
