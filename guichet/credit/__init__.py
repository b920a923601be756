"""Guichet's pure finance core: money, rates, schedules, TAEG, revolving, early repayment, usury.

No Django import and no float anywhere in this package (enforced by import-linter and tests).
See docs/credit.md for every rule with its legal reference.
"""

from .apr import NoConvergence, annual_percentage_rate, flows_on_dates, year_fraction
from .dates import add_months, monthly_dates
from .early_repayment import (
    Indemnity,
    PartialOutcome,
    PayoffQuote,
    indemnity_cap,
    interest_after,
    partial_repayment,
    payoff_quote,
    remaining_interest,
)
from .lease import lease_schedule
from .money import EUR, XPF, Currency, CurrencyMismatch, Money, currency, total
from .rates import (
    Inconsistency,
    apr_from_nominal,
    check_published_pair,
    daily_period_rate,
    nominal_from_apr,
    round_taeg,
)
from .renewal import RenewalCalendar, renewal_calendar
from .revolving import (
    RateTier,
    RevolvingStatement,
    assumed_limit,
    daily_interest,
    insurance_rate_for,
    legal_max_months,
    minimum_capital,
    minimum_installment,
    monthly_insurance,
    revolving_statement,
    revolving_taeg,
    tier_for,
    variable_minimum_percentage,
)
from .schedule import (
    InsuranceMonthlyOnBorrowed,
    InsuranceOnBorrowed,
    Schedule,
    ScheduleRow,
    amortization_schedule,
    apr_of_schedule,
)
from .simulate import (
    ConsolidationSimulation,
    ExternalDebt,
    NewCreditSimulation,
    simulate_consolidation,
    simulate_new_credit,
)
from .usury import (
    UsuryCeiling,
    UsuryCheck,
    UsuryDataMissing,
    UsuryTable,
    category_for,
    ceiling_for,
    check_usury,
)

__all__ = [
    "EUR",
    "XPF",
    "ConsolidationSimulation",
    "Currency",
    "CurrencyMismatch",
    "ExternalDebt",
    "Inconsistency",
    "Indemnity",
    "InsuranceMonthlyOnBorrowed",
    "InsuranceOnBorrowed",
    "Money",
    "NewCreditSimulation",
    "NoConvergence",
    "PartialOutcome",
    "PayoffQuote",
    "RateTier",
    "RenewalCalendar",
    "RevolvingStatement",
    "Schedule",
    "ScheduleRow",
    "UsuryCeiling",
    "UsuryCheck",
    "UsuryDataMissing",
    "UsuryTable",
    "add_months",
    "amortization_schedule",
    "annual_percentage_rate",
    "apr_from_nominal",
    "apr_of_schedule",
    "assumed_limit",
    "category_for",
    "ceiling_for",
    "check_published_pair",
    "check_usury",
    "currency",
    "daily_interest",
    "daily_period_rate",
    "flows_on_dates",
    "indemnity_cap",
    "insurance_rate_for",
    "interest_after",
    "lease_schedule",
    "legal_max_months",
    "minimum_capital",
    "minimum_installment",
    "monthly_dates",
    "monthly_insurance",
    "nominal_from_apr",
    "partial_repayment",
    "payoff_quote",
    "remaining_interest",
    "renewal_calendar",
    "revolving_statement",
    "revolving_taeg",
    "round_taeg",
    "simulate_consolidation",
    "simulate_new_credit",
    "tier_for",
    "total",
    "variable_minimum_percentage",
    "year_fraction",
]
