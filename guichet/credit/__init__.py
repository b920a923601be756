"""Guichet's pure finance core: money, rates, schedules, TAEG, revolving, early repayment, usury.

No Django import and no float anywhere in this package (enforced by import-linter and tests).
See docs/credit.md for every rule with its legal reference.
"""

from .apr import NoConvergence, annual_percentage_rate, flows_on_dates, year_fraction
from .dates import add_months, monthly_dates
from .money import EUR, XPF, Currency, CurrencyMismatch, Money, currency, total
from .rates import (
    Inconsistency,
    apr_from_nominal,
    check_published_pair,
    daily_period_rate,
    nominal_from_apr,
    round_taeg,
)
from .schedule import (
    InsuranceMonthlyOnBorrowed,
    InsuranceOnBorrowed,
    Schedule,
    ScheduleRow,
    amortization_schedule,
    apr_of_schedule,
)

__all__ = [
    "EUR",
    "XPF",
    "Currency",
    "CurrencyMismatch",
    "Inconsistency",
    "InsuranceMonthlyOnBorrowed",
    "InsuranceOnBorrowed",
    "Money",
    "NoConvergence",
    "Schedule",
    "ScheduleRow",
    "add_months",
    "amortization_schedule",
    "annual_percentage_rate",
    "apr_from_nominal",
    "apr_of_schedule",
    "check_published_pair",
    "currency",
    "daily_period_rate",
    "flows_on_dates",
    "monthly_dates",
    "nominal_from_apr",
    "round_taeg",
    "total",
    "year_fraction",
]
