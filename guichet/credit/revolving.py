"""Revolving credit (crédit renouvelable) maths: tiers, daily interest, insurance, Lagarde minimum, TAEG.

- Tiers: the tariff's debit rate depends on the amount used (seed 004: ≤ 3 000 €, 3 000–6 000 €,
  > 6 000 €); ``tier_for`` picks the tier of the used amount.
- Interest: balance × debit rate / 365 per day (the sheet's "taux de période journalier"),
  summed over the days and rounded half-up once, at the end of the period.
- Insurance: a % of the monthly total outstanding, "arrondi au décime supérieur" (seed 004):
  rounded UP to 0.10 € in euros. In XPF the décime (a tenth of the franc) is below the smallest
  unit, so we round up to the franc. Rates: 0.60 % for adhesions up to 11/03/2019 included,
  0.65 % after; Projelia 0.40 %; Libravou 0.60 %.
- Interest convention: one per contract, ``"daily"`` (the sheet's daily period rate, debit / 365
  per actual day) by default, ``"monthly"`` possible (debit / 12 per period); the disclosed TAEG is
  computed with the same convention (``disclosed_taeg``), so it depends on the opening date for
  the daily one (docs/credit.md §5).
- Minimum repayment: the installment of D312-27 1° (constant installments) is the annuity that
  clears K in T months; ``revolving_statement`` also never lets the capital share fall below the
  balance spread over the statements left, so the used amount is cleared within T months of the
  last drawdown at every statement, whatever the tiers and day counts.
- Minimum capital repayment (loi Lagarde; Code de la consommation L312-65, D312-27 to D312-29,
  from décret 2011-304 of 22 March 2011; verified on french-business-law.com's D312-27 text and
  the décret's notice, senat.fr r11-602, read 23/11/2026): R = α × K, K the capital owed after
  the last use of the credit. For constant installments α makes R "l'amortissement standard d'un
  crédit calculé au taux r sur une durée maximum de 36 ou 60 mois" (cbanque.com, 22/03/2011):
  r is the TAEG plus, when the borrower took the optional insurance, its annual cost as a rate
  of the outstanding capital; T ≤ 36 months when the total amount of the credit (the limit) is
  ≤ 3 000 €, ≤ 60 months above. We take α = i / ((1 + i)^T − 1), i = r / 12 (the decree's formula
  is an image; this is the annuity it describes). Variable installments: α ≥ 1 % (≤ 3 000 €) or
  0.5 % (> 3 000 €). D312-28: an installment is never below 15 €, except the one that clears the
  balance. D312-29: these figures are monthly.
- TAEG (``revolving_taeg``): Directive 2008/48/EC Annex I part II as amended by Directive
  2011/90/EU, transposed in the annex to Code de la consommation R314-3: the credit is drawn
  immediately and in full (1 500 € when no limit is agreed), for one year, the capital repaid in
  12 equal monthly installments from one month after the drawdown, interest and charges as the
  contract says. See docs/credit.md §5 for which convention reproduces the tariff's pairs.
- No early-repayment indemnity on revolving credit (L312-34; see early_repayment.indemnity_cap).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from .apr import annual_percentage_rate, year_fraction
from .dates import add_months
from .integer_core import broken_period_interest, half_up
from .money import EUR, Currency, Money
from .parity import ASSUMED_CREDIT_LIMIT, MINIMUM_INSTALLMENT, REVOLVING_SMALL_LIMIT, in_currency
from .renewal import RenewalCalendar, renewal_calendar  # noqa: F401 (re-exported: it lived here)

ADHESION_RATE_CHANGE = date(2019, 3, 11)
SPECIAL_INSURANCE_RATES = {"projelia": Decimal("0.0040"), "libravou": Decimal("0.0060")}
LAGARDE_SMALL_LIMIT = in_currency(REVOLVING_SMALL_LIMIT, EUR, rounding="half_up")
# D312-28: "Le montant de l'échéance ne peut être inférieur à 15 euros."
MINIMUM_INSTALLMENT_EUR = MINIMUM_INSTALLMENT
# Annex I part II (2011/90/EU): a ceiling not yet agreed is assumed to be EUR 1 500.
ASSUMED_LIMIT_EUR = ASSUMED_CREDIT_LIMIT


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


def euros_in(currency: Currency, euros: Fraction) -> Money:
    """A euro amount of the law in ``currency`` (``parity``: 1 000 XPF = 8,38 €), rounded half-up."""
    return in_currency(euros, currency, rounding="half_up")


def legal_max_months(limit: Money) -> int:
    """36 months for a credit limit ≤ 3 000 € (XPF converted at parity), 60 months above (D312-27)."""
    from .usury import category_for

    return 36 if category_for(limit) == "up_to_3000" else 60


def minimum_capital(
    used: Money,
    limit: Money,
    *,
    taeg: Decimal,
    speed_months: int | None = None,
    optional_insurance_rate: Decimal | None = None,
) -> Money:
    """R = α × K of D312-27 1° (constant installments), rounded UP to the minor unit.

    ``used`` is K, the capital owed after the last drawdown; ``optional_insurance_rate`` is the
    annual cost of the optional insurance as a fraction of the outstanding capital, added to the
    TAEG as the article says. Paying R plus the month's interest clears K within the legal period.
    """
    months = legal_max_months(limit)
    if speed_months is not None:
        months = min(months, speed_months)
    rate = Fraction(taeg) + Fraction(optional_insurance_rate or 0)
    if rate == 0:
        return Money(-(-used.minor // months), used.currency)
    i = rate / 12
    alpha = i / ((1 + i) ** months - 1)
    return Money(int(-((-used.minor * alpha) // 1)), used.currency)


def variable_minimum_percentage(limit: Money) -> Decimal:
    """D312-27 2° (installments varying with the contract's schedules): 1 % up to 3 000 €, 0.5 % above."""
    return Decimal("0.01") if legal_max_months(limit) == 36 else Decimal("0.005")


def minimum_installment(
    used: Money,
    limit: Money,
    speed_months: int | None = None,
    *,
    debit_rate: Decimal,
    taeg: Decimal | None = None,
    optional_insurance_rate: Decimal | None = None,
) -> Money:
    """Capital share R (D312-27) + one month of interest on ``used`` (debit/12, half-up), at least 15 €.

    ``speed_months`` is the product's repayment speed (Confort/Rapide/Express) as a number of
    months; it can only shorten the legal period. ``taeg`` defaults to the debit rate compounded
    monthly. D312-28: never below 15 € (1 790 XPF at parity), except the installment that clears
    the balance, which is then the whole amount owed.
    """
    from .rates import apr_from_nominal

    rate = taeg if taeg is not None else apr_from_nominal(debit_rate)
    monthly = Fraction(debit_rate) / 12
    interest = Money(half_up(used.minor * monthly.numerator, monthly.denominator), used.currency)
    capital = minimum_capital(
        used, limit, taeg=rate, speed_months=speed_months, optional_insurance_rate=optional_insurance_rate
    )
    floor = euros_in(used.currency, MINIMUM_INSTALLMENT_EUR)
    return min(max(capital + interest, floor, key=lambda m: m.minor), used + interest, key=lambda m: m.minor)


# Repayment speeds (seed 004: Confort / Rapide / Express) as a maximum repayment period in months.
# The sheet prices the speeds but does not give their periods: Confort is the legal period, Rapide
# 24 months and Express 12 months — lender's choice, to confirm. A speed only shortens D312-27's T.
SPEED_MONTHS: dict[str, int | None] = {"": None, "confort": None, "rapide": 24, "express": 12}

Convention = Literal["daily", "monthly"]


def repayment_months(limit: Money, speed: str = "") -> int:
    """T of D312-27: the legal period (36/60 months by the limit), shortened by the speed if any."""
    legal = legal_max_months(limit)
    try:
        by_speed = SPEED_MONTHS[speed.strip().lower()]
    except KeyError:
        raise ValueError(f"Vitesse de remboursement inconnue : « {speed} ».") from None
    return legal if by_speed is None else min(legal, by_speed)


def annuity_installment(capital: Money, *, annual_rate: Fraction, months: int) -> Money:
    """The constant installment (capital + interest at ``annual_rate``/12) clearing ``capital`` in
    ``months``, rounded UP to the minor unit so it never falls short."""
    if months < 1:
        raise ValueError("A repayment period is at least one month.")
    if annual_rate == 0:
        return Money(-(-capital.minor // months), capital.currency)
    i = annual_rate / 12
    exact = capital.minor * i / (1 - (1 + i) ** -months)
    return Money(int(-((-exact) // 1)), capital.currency)


def period_interest(
    segments: Sequence[tuple[Money, int]],
    tiers: Sequence[RateTier],
    *,
    convention: Convention = "daily",
    period_days: int | None = None,
) -> Money:
    """Interest of a statement period, each stretch of days at the tier of the amount used then.

    ``segments`` are (principal owed, number of days) in order. ``"daily"``: balance × debit rate
    / 365 per day (the sheet's "taux de période journalier"); ``"monthly"``: balance × debit rate
    / 12 for a whole period, pro rata ``days / period_days`` for a part. Summed exactly, rounded
    half-up once.
    """
    if not segments:
        raise ValueError("A statement period has at least one stretch of days.")
    cur = segments[0][0].currency
    total_days = sum(days for _, days in segments)
    base = period_days or total_days
    exact = Fraction(0)
    for balance, days in segments:
        if days < 0 or balance.minor < 0:
            raise ValueError("A balance or a number of days cannot be negative.")
        rate = Fraction(tier_for(balance, tiers).debit_rate)
        if convention == "daily":
            exact += balance.minor * rate * days / 365
        else:
            exact += balance.minor * rate / 12 * Fraction(days, base or 1)
    return Money(half_up(exact.numerator, exact.denominator), cur)


def lagarde_rate(
    capital: Money, tiers: Sequence[RateTier], optional_insurance_rate: Decimal | None
) -> Fraction:
    """r of D312-27 for a capital K: the highest TAEG of the tiers K will pass through while it is
    repaid (a used amount falls into dearer tiers as it shrinks), plus the optional insurance's
    annual cost as a rate of the capital owed (12 × its monthly rate) when the borrower took it."""
    own = tier_for(capital, tiers)
    reachable = [t for t in tiers if t is own or (t.up_to is not None and t.up_to <= capital)]
    taeg = max(Fraction(t.taeg) for t in reachable)
    return taeg + 12 * Fraction(optional_insurance_rate or 0)


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
    months_left: int = 0


def revolving_statement(
    *,
    opening_balance: Money,
    period_start: date,
    period_end: date,
    tiers: Sequence[RateTier],
    limit: Money,
    insurance_rate: Decimal | None = None,
    speed_months: int | None = None,
    capital_after_last_drawdown: Money | None = None,
    statements_since_drawdown: int = 0,
    segments: Sequence[tuple[Money, int]] | None = None,
    convention: Convention = "daily",
    optional_insurance: bool = True,
) -> RevolvingStatement:
    """A month: interest at the tier of the amount used, insurance on the total outstanding, and
    the minimum installment (L312-65, D312-27 to D312-29), capped at what is owed.

    ``opening_balance`` is the principal owed on the statement date; ``segments`` the (balance,
    days) stretches of the period (default: that balance all period). D312-27 1° (constant
    installments): K = ``capital_after_last_drawdown``, T = the legal period (36 months for a limit
    ≤ 3 000 €, 60 above, shortened by ``speed_months``), the installment is the annuity clearing K
    in T months at r (``lagarde_rate``); its capital share is never below R = α × K. So that the
    used amount is cleared in T months whatever the interest really charged (tiers, days), the
    installment is also at least the annuity clearing the balance over the statements left
    (``statements_since_drawdown`` counts those already drawn up since the last drawdown), and the
    T-th one takes the whole balance. D312-28: interest + capital ≥ 15 € unless that clears it.
    """
    if statements_since_drawdown < 0:
        raise ValueError("A number of statements cannot be negative.")
    tier = tier_for(opening_balance, tiers)
    days = (period_end - period_start).days
    interest = period_interest(
        segments or [(opening_balance, days)], tiers, convention=convention, period_days=days
    )
    owed = opening_balance + interest
    insurance = monthly_insurance(owed, insurance_rate) if insurance_rate else Money(0, owed.currency)
    k = capital_after_last_drawdown if capital_after_last_drawdown is not None else opening_balance
    k = max(k, opening_balance, key=lambda m: m.minor)
    months = legal_max_months(limit) if speed_months is None else min(legal_max_months(limit), speed_months)
    months_left = max(1, months - statements_since_drawdown)
    rate = lagarde_rate(k, tiers, insurance_rate if optional_insurance else None)
    annuity = annuity_installment(k, annual_rate=rate, months=months)
    insured = insurance_rate if optional_insurance and insurance_rate else None
    r = minimum_capital(
        k, limit, taeg=tier_for(k, tiers).taeg, speed_months=months,
        optional_insurance_rate=12 * insured if insured else None,
    )  # fmt: skip
    catch_up = annuity_installment(opening_balance, annual_rate=rate, months=months_left)
    floor = euros_in(owed.currency, MINIMUM_INSTALLMENT_EUR) - interest
    capital = max(annuity - interest, catch_up - interest, r, floor, key=lambda m: m.minor)
    if months_left == 1:
        capital = opening_balance  # the T-th statement after the last drawdown clears the balance
    capital = min(capital, opening_balance, key=lambda m: m.minor)
    return RevolvingStatement(
        period_start,
        period_end,
        opening_balance,
        interest,
        insurance,
        interest + insurance + capital,
        capital,
        opening_balance - capital,
        tier,
        months_left,
    )


def assumed_limit(currency: Currency) -> Money:
    """Annex I part II: a credit whose ceiling is not yet agreed is assumed to be 1 500 € (XPF at parity)."""
    return euros_in(currency, ASSUMED_LIMIT_EUR)


def revolving_taeg(
    *,
    debit_rate: Decimal | None = None,
    credit_limit: Money | None = None,
    interest: Convention = "monthly",
    tiers: Sequence[RateTier] | None = None,
    drawn_on: date = date(2022, 1, 1),
    compulsory_insurance_rate: Decimal | None = None,
    round_to_minor_unit: bool = True,
) -> Decimal:
    """The TAEG of a revolving credit under the additional assumptions of Annex I part II.

    The limit (1 500 € if none is agreed) is drawn in full on ``drawn_on``; the capital is repaid
    in 12 equal monthly installments (the last takes the rounding residue) from one month later;
    each installment carries the month's interest on the balance — ``"monthly"``: balance × debit
    rate / 12; ``"daily"``: balance × debit rate × actual days / 365 — and, only if the insurance is
    compulsory, its premium (rate × amount owed, rounded up to the décime). Times follow Annex I
    (whole months count 1/12 year). ``round_to_minor_unit`` rounds each interest amount half-up to
    the cent (the amounts a borrower pays); ``False`` keeps them exact. Unrounded result: show it
    with ``rates.round_taeg``. ``drawn_on`` only matters for the daily convention. With ``tiers``
    each month's interest is at the tier of the balance owed that month (seed 004: the rate
    depends on the amount used), instead of the single ``debit_rate``.
    """
    if (debit_rate is None) == (tiers is None):
        raise ValueError("Give either one debit rate or the tiers of the product.")
    limit = credit_limit if credit_limit is not None else assumed_limit(EUR)
    if limit.minor <= 0:
        raise ValueError("The credit limit must be positive to compute a TAEG.")
    balance, capital, due_prev = Fraction(limit.minor), Fraction(limit.minor // 12), drawn_on
    repayments: list[tuple[Fraction, Decimal]] = []
    for k in range(1, 13):
        due_on = add_months(drawn_on, k)
        if tiers is not None:
            rate = Fraction(tier_for(Money(int(balance), limit.currency), tiers).debit_rate)
        elif debit_rate is not None:
            rate = Fraction(debit_rate)
        else:
            raise ValueError("A revolving TAEG needs a debit rate or the tiers of the product.")
        if interest == "monthly":
            owed_interest = balance * rate / 12
        else:
            owed_interest = balance * rate * (due_on - due_prev).days / 365
        if round_to_minor_unit:
            owed_interest = Fraction(half_up(owed_interest.numerator, owed_interest.denominator))
        share = capital if k < 12 else balance
        payment = share + owed_interest
        if compulsory_insurance_rate:
            owed = Money(int(balance + owed_interest), limit.currency)
            payment += monthly_insurance(owed, compulsory_insurance_rate).minor
        repayments.append((year_fraction(drawn_on, due_on), Decimal(payment.numerator) / payment.denominator))
        balance, due_prev = balance - share, due_on
    return annual_percentage_rate(drawdowns=[(0, Decimal(limit.minor))], repayments=repayments)


def disclosed_taeg(
    *, tiers: Sequence[RateTier], limit: Money, opened_on: date, convention: Convention = "daily"
) -> Decimal:
    """The TAEG a contract discloses, computed with ITS interest convention (one per contract):
    Annex I part II assumptions on the limit drawn in full on the opening day, each month's
    interest at the tier of the balance then owed. Unrounded (``rates.round_taeg`` to show it)."""
    return revolving_taeg(tiers=tiers, credit_limit=limit, interest=convention, drawn_on=opened_on)
