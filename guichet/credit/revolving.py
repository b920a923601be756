"""Revolving credit (crédit renouvelable) maths: rate tiers, daily interest, insurance, minimum installment.

- Tiers: the tariff's debit rate depends on the amount used (seed 004: ≤ 3 000 €, 3 000–6 000 €,
  > 6 000 €); ``tier_for`` picks the tier of the used amount.
- Interest: balance × debit rate / 365 per day (the sheet's "taux de période journalier"),
  summed over the days and rounded half-up once, at the end of the period.
- Insurance: a % of the monthly total outstanding, "arrondi au décime supérieur" (seed 004):
  rounded UP to 0.10 € in euros. In XPF the décime (a tenth of the franc) is below the smallest
  unit, so we round up to the franc: the rule's intent (never round down, at the tenth of the
  unit) applied to a currency without decimals. Rates: 0.60 % for adhesions up to 11/03/2019
  included, 0.65 % after (the sheet says both "après le 11/03/2019" and "à compter de cette date";
  we read 11/03/2019 itself as the old rate); Projelia 0.40 %; Libravou 0.60 %.
- Minimum capital repayment (loi Lagarde, L312-65; D312-27 ex D311-4-1): R = α × K, K the capital
  owed after the last drawdown; for constant installments α comes from the TAEG r and a total
  repayment period T of at most 36 months when the credit limit is ≤ 3 000 €, 60 months above.
  We take α = i / ((1 + i)^T − 1) with i = r / 12: the capital share of the first installment
  of an annuity that repays K in T months (the decree's formula is published as an image; this
  is the annuity it describes, which repays the amount used within T months).
- No early-repayment indemnity on revolving credit (L312-34; see early_repayment.indemnity_cap).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .money import EUR, Money
from .schedule import broken_period_interest, half_up

ADHESION_RATE_CHANGE = date(2019, 3, 11)
SPECIAL_INSURANCE_RATES = {"projelia": Decimal("0.0040"), "libravou": Decimal("0.0060")}
LAGARDE_SMALL_LIMIT = Money.of("3000", EUR)


@dataclass(frozen=True, slots=True)
class RateTier:
    """A tier of a revolving tariff: applies while the used amount is ≤ ``up_to`` (None: no bound)."""

    up_to: Money | None
    debit_rate: Decimal
    taeg: Decimal
    daily_period_rate: Decimal


def tier_for(used: Money, tiers: Sequence[RateTier]) -> RateTier:
    """The tier whose bound is the smallest one ≥ ``used`` (the unbounded tier last)."""
    bounded = sorted((t for t in tiers if t.up_to is not None), key=lambda t: t.up_to.minor if t.up_to else 0)
    for tier in bounded:
        assert tier.up_to is not None
        if used <= tier.up_to:
            return tier
    for tier in tiers:
        if tier.up_to is None:
            return tier
    raise ValueError(f"No tier covers a used amount of {used}.")


def daily_interest(balance: Money, debit_rate: Decimal, days: int) -> Money:
    """balance × debit rate / 365 × days, rounded half-up once (not day by day)."""
    if days < 0:
        raise ValueError("A number of days cannot be negative.")
    return Money(broken_period_interest(balance.minor, debit_rate, days), balance.currency)


def decime_step(amount: Money) -> int:
    """The rounding step in minor units: a tenth of the major unit, or the minor unit if larger."""
    unit = 1
    for _ in range(amount.currency.exponent):
        unit *= 10
    return max(1, unit // 10)


def monthly_insurance(outstanding: Money, rate: Decimal) -> Money:
    """outstanding × rate rounded UP to the décime (0.10 €; 1 XPF — see the module docstring)."""
    exact = Fraction(outstanding.minor) * Fraction(rate)
    if exact < 0:
        raise ValueError("The outstanding amount cannot be negative.")
    step = decime_step(outstanding)
    steps = -((-exact) // step)  # ceiling division on an exact fraction
    return Money(int(steps) * step, outstanding.currency)


def insurance_rate_for(adhesion_on: date, product: str = "") -> Decimal:
    """Monthly insurance rate (a fraction) for an adhesion date and product (seed 004).

    Projelia 0.40 %, Libravou 0.60 % whatever the date; other products 0.60 % up to 11/03/2019
    included, 0.65 % after.
    """
    special = SPECIAL_INSURANCE_RATES.get(product.strip().lower())
    if special is not None:
        return special
    return Decimal("0.0060") if adhesion_on <= ADHESION_RATE_CHANGE else Decimal("0.0065")


def legal_max_months(limit: Money) -> int:
    """36 months for a credit limit ≤ 3 000 € (XPF converted at parity), 60 months above (D312-27)."""
    from .usury import category_for

    return 36 if category_for(limit) == "up_to_3000" else 60


def minimum_capital(used: Money, limit: Money, *, taeg: Decimal, speed_months: int | None = None) -> Money:
    """R = α × K of D312-27, rounded UP to the minor unit (so the legal period is never exceeded)."""
    months = legal_max_months(limit)
    if speed_months is not None:
        months = min(months, speed_months)
    if taeg == 0:
        return Money(-(-used.minor // months), used.currency)
    i = Fraction(taeg) / 12
    alpha = i / ((1 + i) ** months - 1)
    return Money(int(-((-used.minor * alpha) // 1)), used.currency)


def minimum_installment(
    used: Money,
    limit: Money,
    speed_months: int | None = None,
    *,
    debit_rate: Decimal,
    taeg: Decimal | None = None,
) -> Money:
    """Capital share R (D312-27) + one month of interest on ``used`` (debit/12, half-up).

    ``speed_months`` is the product's repayment speed (Confort/Rapide/Express) as a number of
    months; it can only shorten the legal period. ``taeg`` defaults to the debit rate compounded
    monthly.
    """
    from .rates import apr_from_nominal

    rate = taeg if taeg is not None else apr_from_nominal(debit_rate)
    monthly = Fraction(debit_rate) / 12
    interest = Money(half_up(used.minor * monthly.numerator, monthly.denominator), used.currency)
    return minimum_capital(used, limit, taeg=rate, speed_months=speed_months) + interest


@dataclass(frozen=True, slots=True)
class RevolvingStatement:
    """One month of a revolving account (relevé mensuel)."""

    period_start: date
    period_end: date
    opening_balance: Money
    interest: Money
    insurance: Money
    installment: Money
    capital_repaid: Money
    closing_balance: Money
    tier: RateTier


def revolving_statement(
    *,
    opening_balance: Money,
    period_start: date,
    period_end: date,
    tiers: Sequence[RateTier],
    limit: Money,
    insurance_rate: Decimal | None = None,
    speed_months: int | None = None,
) -> RevolvingStatement:
    """Simulate a month: daily interest on the balance, insurance on the total outstanding, and the
    minimum installment (interest + insurance + capital share), capped at what is owed."""
    tier = tier_for(opening_balance, tiers)
    days = (period_end - period_start).days
    interest = daily_interest(opening_balance, tier.debit_rate, days)
    owed = opening_balance + interest
    insurance = monthly_insurance(owed, insurance_rate) if insurance_rate else Money(0, owed.currency)
    capital = minimum_capital(opening_balance, limit, taeg=tier.taeg, speed_months=speed_months)
    capital = min(capital, opening_balance, key=lambda m: m.minor)
    installment = interest + insurance + capital
    return RevolvingStatement(
        period_start,
        period_end,
        opening_balance,
        interest,
        insurance,
        installment,
        capital,
        opening_balance - capital,
        tier,
    )
