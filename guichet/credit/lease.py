"""Lease with purchase option (LOA, location avec option d'achat): rents split into interest and principal.

The rents are given (seed 003: 117 992 XPF on 15/06/2027, then 92 992 XPF on the 15th of each
month); the implicit annual rate X is the rate that equates the financed amount at ``start_on``
with the rents and the residual value (purchase option price, assumed exercised as the TAEG
does) at their dates, times under Directive 2008/48/EC Annex I (``year_fraction``). Each rent
is split with that rate: interest = balance × ((1+X)^Δt − 1) rounded half-up, the rest repays
principal, and the last rent's interest takes the rounding residue so the balance lands exactly
on the residual value. The TAEG of the lease is X.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from .apr import annual_percentage_rate, year_fraction
from .dates import monthly_dates
from .money import Money
from .rates import nominal_from_apr
from .schedule import Schedule, ScheduleRow


def _growth(rate: Decimal, years: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return ((1 + rate).ln() * Decimal(years.numerator) / Decimal(years.denominator)).exp() - 1


def lease_schedule(
    *,
    financed: Money,
    first_payment: Money,
    installment: Money,
    term_months: int,
    first_due_on: date,
    residual_value: Money,
    start_on: date,
) -> Schedule:
    """The LOA schedule: ``term_months`` rents (the first one ``first_payment``), balance from
    ``financed`` down to ``residual_value`` exactly. ``Schedule.debit_rate`` is the nominal
    monthly-compounded equivalent of the implicit rate; ``Schedule.taeg`` is the implicit rate."""
    if term_months <= 0:
        raise ValueError("A lease needs at least one rent.")
    if residual_value >= financed:
        raise ValueError(f"The residual value {residual_value} must be below the financed amount {financed}.")
    cur = financed.currency
    dates = monthly_dates(first_due_on, term_months)
    rents = [first_payment] + [installment] * (term_months - 1)
    times = [year_fraction(start_on, d) for d in dates]
    rate = annual_percentage_rate(
        drawdowns=[(0, financed)],
        repayments=[*zip(times, rents, strict=True), (times[-1], residual_value)],
    )
    rows, balance, previous = [], financed.minor, Fraction(0)
    for k, (due, rent, t) in enumerate(zip(dates, rents, times, strict=True)):
        if k == term_months - 1:
            repaid = balance - residual_value.minor
            interest = rent.minor - repaid
        else:
            exact = Decimal(balance) * _growth(rate, t - previous)
            interest = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            repaid = rent.minor - interest
        balance -= repaid
        previous = t
        rows.append(
            ScheduleRow(
                k + 1, due, rent, Money(interest, cur), Money(repaid, cur), Money(0, cur), Money(balance, cur)
            )
        )
    return Schedule(
        rows=tuple(rows),
        principal=financed,
        debit_rate=nominal_from_apr(rate).quantize(Decimal("1e-10")),
        installment=installment,
        fees=Money(0, cur),
        drawdown_on=start_on,
        residual_value=residual_value,
    )
