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
- within the published maximum (``max_taeg``, seed 004 "TAEG fixe maximum"): the half-up
  installment makes the last one absorb a positive residue, so a short plan's TAEG can come out
  above the tariff's (3 x CB, 300 €: 103,24 / 103,24 / 103,25 € is 21,17 % for 21,15 % published).
  When the TAEG so rounded exceeds ``max_taeg``, the plan is rebuilt in the borrower's favour
  (``first_absorbs``): every installment but the first is the annuity rounded DOWN, and the first
  is the smallest amount that repays the loan at the debit rate; the flows' monthly rate then
  never exceeds the debit rate / 12, so the TAEG never exceeds (1 + debit / 12)^12 − 1, which is
  the published maximum (the catalogue checks each published pair; L312-6 / R314-1 for the TAEG).
The arithmetic is integer on minor units with exact rational half-up rounding (no Decimal in
the loop), which is both exact and fast; see ``amortize_minor``. ``amortization_schedule``
returns a ``Schedule`` whose ``Money`` rows are built only when first read: its totals, TAEG and
installment come straight from the integer balances.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property

from .apr import Flow, Run, annual_percentage_rate, solve_monthly_runs, year_fraction
from .dates import add_months, monthly_dates
from .integer_core import (  # noqa: F401 (re-exported: they lived here)
    _annuity_ratio,
    _balances,
    _Core,
    _core,
    _monthly_fraction,
    amortize_minor,
    annuity_minor,
    broken_period_interest,
    first_absorbs,
    half_up,
    monthly_rate_fraction,
)
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
_TWELVE = Decimal(12)  # a Decimal operand: mixing in an int converts it at each operation


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
    insurance premium plus the fees (the residual value is not included). A schedule made by
    ``amortization_schedule`` builds its ``rows`` on first read; every figure below is the same
    whether they are built or not.
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
    def _core(self) -> _Core | None:
        core: _Core | None = self.__dict__.get("_lazy")
        return core

    @property
    def currency(self) -> Currency:
        return self.principal.currency

    @property
    def term_months(self) -> int:
        core = self._core
        return core.months if core is not None else len(self.rows)

    @property
    def first_due_on(self) -> date:
        core = self._core
        return core.first_due_on if core is not None else self.rows[0].due_on

    @property
    def last_due_on(self) -> date:
        core = self._core
        if core is not None:
            return add_months(core.first_due_on, core.months - 1, day=core.first_due_on.day)
        return self.rows[-1].due_on

    @property
    def total_interest(self) -> Money:
        core = self._core
        if core is not None:  # the principal parts add up to the principal
            return Money(core.paid() - core.principal, core.currency)
        return total((r.interest for r in self.rows), self.currency)

    @property
    def total_insurance(self) -> Money:
        core = self._core
        if core is not None:
            return total(core.premiums or (), core.currency)
        return total((r.insurance for r in self.rows), self.currency)

    @property
    def total_cost(self) -> Money:
        """Coût total du crédit: interest + insurance + fees."""
        return self.total_interest + self.total_insurance + self.fees

    @property
    def total_due(self) -> Money:
        """Montant total dû: installments + insurance + fees."""
        core = self._core
        if core is not None:
            insurance = sum(p.minor for p in core.premiums) if core.premiums else 0
            return Money(core.paid() + insurance + self.fees.minor, core.currency)
        return total((r.total_due for r in self.rows), self.currency) + self.fees

    def outstanding_after(self, paid_through: int) -> Money:
        """Principal still owed once rows 1..paid_through are paid (the principal if 0)."""
        if not 0 <= paid_through <= self.term_months:
            raise ValueError(f"paid_through must be between 0 and {self.term_months}, not {paid_through}.")
        core = self._core
        if core is not None:
            if paid_through == 0:
                return self.principal
            left = core.balances[paid_through - 1] if paid_through < core.months else 0
            return Money(left, core.currency)
        return self.rows[paid_through - 1].balance_after if paid_through else self.principal

    def taeg_flows(self) -> tuple[list[Flow], list[Flow]]:
        """(drawdowns, repayments) for the TAEG: compulsory insurance and fees included."""
        repayments: list[Flow] = []
        if self.fees:
            repayments.append((0, self.fees))
        core = self._core
        if core is not None:
            cur, amounts = core.currency, core.installments()
            if self.insurance_in_taeg and core.premiums:
                amounts = [a + p.minor for a, p in zip(amounts, core.premiums, strict=True)]
            if self.drawdown_on is None:
                times: Sequence[Fraction] = [Fraction(k, 12) for k in range(1, core.months + 1)]
            else:
                start = self.drawdown_on
                times = [year_fraction(start, on) for on in monthly_dates(core.first_due_on, core.months)]
            same: dict[int, Money] = {}
            for t, a in zip(times, amounts, strict=True):
                money = same.get(a) or same.setdefault(a, Money(a, cur))
                repayments.append((t, money))
            return [(0, self.principal)], repayments
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
        runs = self._monthly_runs()
        if runs is not None:  # due dates whole months after the drawdown: the same root, found faster
            found = solve_monthly_runs(runs, monthly=Decimal(self.debit_rate) / _TWELVE)
            if found is not None:
                return found
        # Exact for a regular monthly schedule without fees or rounding: Newton starts next to the root.
        guess = (1 + Decimal(self.debit_rate) / 12) ** 12 - 1
        drawdowns, repayments = self.taeg_flows()
        return annual_percentage_rate(drawdowns=drawdowns, repayments=repayments, guess=guess)

    def _monthly_runs(self) -> list[Run] | None:
        """The TAEG flows of a lazily built schedule as runs of equal amounts (apr.monthly_runs)."""
        core, start = self._core, self.drawdown_on
        if core is None or self.residual_value:
            return None
        first = core.first_due_on
        if start is not None and (  # the first due date one whole month after the drawdown
            start.day != first.day or first.year * 12 + first.month - start.year * 12 - start.month != 1
        ):
            return None
        # Amounts in minor units: the rate does not depend on the unit the flows are counted in.
        runs: list[Run] = [(0, 0, Decimal(-core.principal))]
        if self.fees.minor:
            runs.append((0, 0, Decimal(self.fees.minor)))
        premiums = core.premiums if self.insurance_in_taeg else None
        n = core.months
        extra = premiums[0].minor if premiums else 0
        if premiums and premiums[-1] is not premiums[0]:  # a monthly premium is one Money, repeated
            minors = [p.minor for p in premiums]
            if minors.count(extra) != n:  # premiums that change (a split total): row by row
                amounts = [a + p for a, p in zip(core.installments(), minors, strict=True)]
                spans = [(k + 1, k + 1, a) for k, a in enumerate(amounts)]
                return _merged(runs, spans)
        if n == 1:
            return _merged(runs, [(1, 1, core.last + extra)])
        # the first row, the regular ones, the last row: three runs at most, whatever the term
        middle = (2, n - 1, core.installment + extra)
        return _merged(runs, [(1, 1, core.first + extra), middle, (n, n, core.last + extra)])


def _merged(runs: list[Run], spans: list[tuple[int, int, int]]) -> list[Run]:
    """``runs`` followed by ``spans`` (months, amount in minor units) with equal neighbours made one
    run, as ``apr.monthly_runs`` makes them; empty spans are skipped."""
    s0, e0, a0 = spans[0]
    for s, e, a in spans[1:]:
        if s > e:
            continue
        if a == a0:
            e0 = e
        else:
            runs.append((s0, e0, Decimal(a0)))
            s0, e0, a0 = s, e, a
    runs.append((s0, e0, Decimal(a0)))
    return runs


class _LazyRows:
    """``Schedule.rows`` of a schedule made by ``amortization_schedule``: built on first read, kept."""

    def __get__(self, schedule: Schedule | None, owner: type | None = None) -> object:
        if schedule is None:
            return self
        core: _Core = schedule.__dict__["_lazy"]
        rows = _money_rows(core)
        schedule.__dict__["rows"] = rows
        return rows


# After the dataclass is made, so that ``rows`` stays a required field; an instance that has its
# rows (every ``Schedule(rows=...)``) never reaches the descriptor.
setattr(Schedule, "rows", _LazyRows())  # noqa: B010


def _money_rows(core: _Core) -> tuple[ScheduleRow, ...]:
    cur, n = core.currency, core.months
    zero = Money(0, cur)
    premiums = core.premiums or [zero] * n
    amounts = core.installments()
    balances = [*core.balances, 0]
    regular = Money(core.installment, cur)
    rows = []
    before = core.principal
    for k, (due, amount, after, premium) in enumerate(
        zip(monthly_dates(core.first_due_on, n), amounts, balances, premiums, strict=True)
    ):
        repaid = before - after
        inst = regular if amount == core.installment else Money(amount, cur)
        rows.append(
            ScheduleRow(
                k + 1, due, inst, Money(amount - repaid, cur), Money(repaid, cur), premium, Money(after, cur)
            )
        )
        before = after
    return tuple(rows)


def apr_of_schedule(schedule: Schedule) -> Decimal:
    """The TAEG of a schedule (same as ``schedule.taeg``)."""
    return schedule.taeg


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
    max_taeg: Decimal | None = None,
) -> Schedule:
    """A constant-installment schedule (see the module docstring for every rounding rule).

    ``max_taeg`` (a fraction, the tariff's "TAEG fixe maximum"): when the TAEG rounded to two
    decimals of a percent would exceed it, the installments are rounded in the borrower's favour
    (``first_absorbs``). Rows are built when first read.
    """
    schedule = _schedule(
        principal, debit_rate, term_months, first_due_on, drawdown_on, fees, insurance, False
    )
    if max_taeg is not None and term_months > 1 and _shown(schedule.taeg) > max_taeg:
        return _schedule(principal, debit_rate, term_months, first_due_on, drawdown_on, fees, insurance, True)
    return schedule


def _shown(taeg: Decimal) -> Decimal:
    return taeg.quantize(Decimal("0.0001"), ROUND_HALF_UP)  # rates.round_taeg, without the import cycle


def _schedule(
    principal: Money,
    debit_rate: Decimal,
    term_months: int,
    first_due_on: date,
    drawdown_on: date | None,
    fees: Money | None,
    insurance: Insurance | None,
    favour: bool,
) -> Schedule:
    if principal.minor <= 0:
        raise ValueError(f"The principal must be positive, got {principal}.")
    if term_months <= 0:
        raise ValueError(f"The term must be at least one month, got {term_months}.")
    cur = principal.currency
    monthly = monthly_rate_fraction(debit_rate)
    first = _first_interest(principal, debit_rate, drawdown_on, first_due_on) if drawdown_on else None
    premiums = insurance.premiums(principal, term_months) if insurance else None
    core = _core(principal, monthly, term_months, first_due_on, first, favour, premiums)
    installment = core.installment if core else annuity_minor(principal.minor, monthly, term_months)
    schedule: Schedule = object.__new__(Schedule)
    fields: dict[str, object] = {
        "principal": principal,
        "debit_rate": debit_rate,
        "installment": Money(installment, cur),
        "fees": fees if fees is not None else Money(0, cur),
        "drawdown_on": drawdown_on,
        "insurance_in_taeg": bool(insurance and insurance.compulsory),
        "residual_value": None,
    }
    schedule.__dict__.update(fields)  # a frozen dataclass: its instance dict, written once here
    if core is not None:
        schedule.__dict__["_lazy"] = core
        return schedule
    # A row would repay more than the balance: the general loop caps it (rows built now).
    raw = amortize_minor(principal.minor, monthly, term_months, installment, first)
    zero = [Money(0, cur)] * term_months
    rows = tuple(
        ScheduleRow(k + 1, due, Money(inst, cur), Money(i, cur), Money(p, cur), premium, Money(b, cur))
        for k, (due, (inst, i, p, b), premium) in enumerate(
            zip(monthly_dates(first_due_on, term_months), raw, premiums or zero, strict=True)
        )
    )
    object.__setattr__(schedule, "rows", rows)
    return schedule
