"""Early repayment: payoff quote, partial repayment, and the indemnity the law allows.

Code de la consommation L312-34: the borrower may repay early, in full or in part, at any time;
the lender may claim an indemnity only for a fixed-rate period, of at most 1 % of the amount
repaid early when more than one year remains between the repayment and the agreed end of the
contract, at most 0.5 % otherwise, and never more than the interest the borrower would have paid
over that remaining period; none for an overdraft or a revolving credit (crédit renouvelable),
none when the repayment comes from an insurance payout, and none when the amounts repaid early
over twelve months do not exceed the threshold set by decree. D312-15: "Le seuil mentionné à
l'article L. 312-34 est fixé à 10 000 euros au cours d'une période de douze mois" (in force
since 1 July 2016, Légifrance LEGISCTA000048655145 as consolidated).
Interest accrued since the last due date is counted day by day: balance × debit rate × days/365.

The interest cap is the interest that would still have run **after the repayment date**: the
interest of the remaining rows less the part of the next row's interest already run by that day
(which the borrower pays as accrued interest). For a partial repayment we take the stricter
reading of L312-34: the share of that interest borne by the principal repaid early
(interest after the date × principal repaid / outstanding, rounded down). The amounts repaid early
over the twelve months **before** this repayment are a required argument: the caller reads them
from the ledger, so the D312-15 threshold cannot be forgotten.

A lease (LOA) amortizes down to its residual value (the purchase option price), not to zero: both
modes of a partial repayment rebuild the remaining rents towards that value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from .dates import add_months
from .fmt import money_fr, rate_fr
from .integer_core import amortize_minor, annuity_minor, broken_period_interest, monthly_rate_fraction
from .money import EUR, XPF, Currency, Money, total
from .parity import EARLY_REPAYMENT_THRESHOLD, in_currency
from .schedule import Schedule, ScheduleRow

#: D312-15 threshold (10 000 €, ``parity``) in each currency, rounded DOWN: an amount is within it
#: exactly when its euro value is (1 193 317 XPF = 9 999,996 €; 1 193 318 XPF = 10 000,004 €).
THRESHOLD_EUR = in_currency(EARLY_REPAYMENT_THRESHOLD, EUR, rounding="down")
THRESHOLD_XPF = in_currency(EARLY_REPAYMENT_THRESHOLD, XPF, rounding="down")


IndemnityBasis = Literal["revolving", "insurance", "threshold", "interest", "rate"]


@dataclass(frozen=True, slots=True)
class Indemnity:
    """The most the lender may claim: ``amount`` (rounded down), ``rate`` applied, ``cap_reason`` (French).

    ``basis`` names the rule that set the amount, so the interface can word ``cap_reason`` in
    another language from the structured fields: ``revolving``, ``insurance``, ``threshold``,
    ``interest`` (capped at the remaining interest) or ``rate`` (1 % or 0.5 % of the amount repaid).
    """

    amount: Money
    rate: Decimal
    cap_reason: str
    basis: IndemnityBasis = "rate"


def indemnity_free_threshold(cur: Currency) -> Money:
    """The D312-15 threshold in ``cur``: early repayments up to it over twelve months owe no indemnity."""
    return _threshold(Money(0, cur))


def _threshold(amount: Money) -> Money:
    if amount.currency == EUR:
        return THRESHOLD_EUR
    if amount.currency == XPF:
        return THRESHOLD_XPF
    raise ValueError(f"No D312-15 threshold known for {amount.currency.code}.")


def indemnity_cap(
    *,
    amount_repaid: Money,
    on: date,
    end_on: date,
    remaining_interest: Money,
    repaid_last_12_months: Money,
    revolving: bool = False,
    insurance_payout: bool = False,
) -> Indemnity:
    """The early-repayment indemnity ceiling of L312-34 / D312-15 (see the module docstring).

    ``repaid_last_12_months`` is the total repaid early over the twelve months ending on ``on``,
    this repayment included. ``remaining_interest`` is the interest the schedule would still
    have charged after ``on``. The amount is rounded down so it never exceeds the legal cap.
    """
    zero = Money(0, amount_repaid.currency)
    if revolving:
        return Indemnity(zero, Decimal(0), "Aucune indemnité : crédit renouvelable (L312-34).", "revolving")
    if insurance_payout:
        return Indemnity(
            zero, Decimal(0), "Aucune indemnité : remboursement par une assurance (L312-34).", "insurance"
        )
    threshold = _threshold(amount_repaid)
    if repaid_last_12_months <= threshold:
        return Indemnity(
            zero,
            Decimal(0),
            f"Aucune indemnité : remboursements anticipés sur douze mois ≤ {money_fr(threshold)} (D312-15).",
            "threshold",
        )
    more_than_a_year = add_months(on, 12) < end_on
    rate = Decimal("0.01") if more_than_a_year else Decimal("0.005")
    by_rate = Money((amount_repaid.minor * int(rate * 1000)) // 1000, amount_repaid.currency)
    period = "plus d'un an" if more_than_a_year else "un an au plus"
    if remaining_interest < by_rate:
        return Indemnity(
            remaining_interest,
            rate,
            f"Plafonnée aux intérêts restant à courir ({money_fr(remaining_interest)}),"
            f" inférieurs à {rate_fr(rate, 1)} du montant remboursé (L312-34).",
            "interest",
        )
    return Indemnity(
        by_rate,
        rate,
        f"{rate_fr(rate, 1)} du montant remboursé par anticipation : durée restante de {period} (L312-34).",
    )


@dataclass(frozen=True, slots=True)
class PayoffQuote:
    """Amount to close the contract on ``on`` (valid for that day; ``per_diem`` for each day later)."""

    on: date
    outstanding: Money
    accrued_interest: Money
    indemnity: Indemnity
    total: Money
    per_diem: Money
    valid_until: date


def _last_paid(schedule: Schedule, paid_through: int) -> tuple[Money, date]:
    outstanding = schedule.outstanding_after(paid_through)
    if paid_through:
        return outstanding, schedule.rows[paid_through - 1].due_on
    start = schedule.drawdown_on or add_months(schedule.first_due_on, -1)
    return outstanding, start


def _accrued(balance: Money, schedule: Schedule, since: date, on: date) -> Money:
    if on < since:
        raise ValueError(f"The date {on} is before the last installment paid ({since}).")
    return Money(
        broken_period_interest(balance.minor, schedule.debit_rate, (on - since).days), balance.currency
    )


def _residual(schedule: Schedule) -> Money:
    return schedule.residual_value or Money(0, schedule.currency)


def remaining_interest(schedule: Schedule, paid_through: int) -> Money:
    """Interest of the rows after ``paid_through``: what the borrower would still have paid."""
    return total((r.interest for r in schedule.rows[paid_through:]), schedule.currency)


def interest_after(schedule: Schedule, paid_through: int, on: date) -> Money:
    """Interest the schedule would still charge **after** ``on`` (L312-34's cap for a full payoff).

    The remaining rows' interest less what has already run from the last paid due date to ``on``
    (the accrued interest the borrower pays on that day), never below zero.
    """
    outstanding, since = _last_paid(schedule, paid_through)
    after = remaining_interest(schedule, paid_through) - _accrued(outstanding, schedule, since, on)
    return after if after.minor > 0 else Money(0, schedule.currency)


def _cap_share(interest: Money, repaid: Money, outstanding: Money) -> Money:
    """The part of ``interest`` borne by ``repaid`` out of ``outstanding`` (rounded down)."""
    if repaid >= outstanding:
        return interest
    return Money(interest.minor * repaid.minor // outstanding.minor, interest.currency)


def payoff_quote(
    *, schedule: Schedule, on: date, paid_through: int, repaid_earlier_12_months: Money
) -> PayoffQuote:
    """Outstanding principal after ``paid_through`` rows + interest accrued since the last paid due
    date to ``on`` (daily, /365) + the indemnity ceiling.

    ``repaid_earlier_12_months``: the principal repaid early over the twelve months before ``on``
    (from the ledger); this payoff is added to it for the D312-15 threshold.
    """
    outstanding, since = _last_paid(schedule, paid_through)
    accrued = _accrued(outstanding, schedule, since, on)
    indemnity = indemnity_cap(
        amount_repaid=outstanding,
        on=on,
        end_on=schedule.last_due_on,
        remaining_interest=interest_after(schedule, paid_through, on),
        repaid_last_12_months=repaid_earlier_12_months + outstanding,
    )
    per_diem = Money(broken_period_interest(outstanding.minor, schedule.debit_rate, 1), outstanding.currency)
    return PayoffQuote(
        on, outstanding, accrued, indemnity, outstanding + accrued + indemnity.amount, per_diem, on
    )


@dataclass(frozen=True, slots=True)
class PartialOutcome:
    """Result of a partial early repayment made on ``on``.

    ``principal_repaid`` + ``accrued_interest`` = the amount paid: the repaid principal carries
    its interest from the last due date to ``on``; the rest of the balance keeps running at the
    contract rate. ``schedule`` covers the remaining installments; ``interest_saved`` compares
    its interest (plus the accrued interest) with the old schedule's remaining interest. The
    ``indemnity`` ceiling is shown separately, payable on top if the lender claims it.
    """

    schedule: Schedule
    principal_repaid: Money
    accrued_interest: Money
    new_installment: Money
    new_end_on: date
    interest_saved: Money
    indemnity: Indemnity


def _split_payment(amount: Money, repayable: Money, schedule: Schedule, days: int) -> tuple[Money, Money]:
    """amount = p + p × debit × days/365: the principal p it repays and the interest it carries."""
    rate = Fraction(schedule.debit_rate) * days / 365
    principal_minor = int(Fraction(amount.minor) / (1 + rate))
    if principal_minor >= repayable.minor:
        raise ValueError(f"{amount} repays the whole balance ({repayable}): ask for a payoff quote instead.")
    return Money(principal_minor, amount.currency), amount - Money(principal_minor, amount.currency)


def _interest(balance: int, monthly: Fraction) -> int:
    return (2 * balance * monthly.numerator + monthly.denominator) // (2 * monthly.denominator)


def _annuity_to(balance: int, monthly: Fraction, months: int, residual: int) -> int:
    """The constant installment that brings ``balance`` down to ``residual`` in ``months`` (pmt with fv)."""
    if not residual:
        return annuity_minor(balance, monthly, months)
    a, b = monthly.numerator, monthly.denominator
    if not a:
        return (2 * (balance - residual) + months) // (2 * months)
    grown, base = (a + b) ** months, b**months
    top, bottom = (balance * grown - residual * base) * a, b * (grown - base)
    return int((2 * top + bottom) // (2 * bottom))


def _months_to(balance: int, monthly: Fraction, installment: int, residual: int, limit: int) -> int:
    """How many installments of ``installment`` bring ``balance`` down to ``residual`` (at most ``limit``)."""
    months = 0
    while balance > residual and months < limit:
        balance -= installment - _interest(balance, monthly)
        months += 1
    return months


def _amortize_to(
    balance: int, monthly: Fraction, months: int, installment: int, residual: int
) -> list[tuple[int, int, int, int]]:
    """Rows (installment, interest, principal, balance_after) ending exactly on ``residual``."""
    if not residual:
        return amortize_minor(balance, monthly, months, installment)
    rows = []
    for k in range(months):
        interest = _interest(balance, monthly)
        repaid = installment - interest
        if repaid > balance - residual or k == months - 1:
            repaid = balance - residual
        balance -= repaid
        rows.append((interest + repaid, interest, repaid, balance))
    return rows


def _remaining_rows(
    schedule: Schedule, paid_through: int, balance: Money, mode: str
) -> tuple[tuple[ScheduleRow, ...], Money]:
    monthly = monthly_rate_fraction(schedule.debit_rate)
    residual = _residual(schedule).minor
    left = schedule.term_months - paid_through
    if mode == "reduce_installment":
        installment = _annuity_to(balance.minor, monthly, left, residual)
        months = left
    elif mode == "reduce_term":
        # The installment in force: the second row left (the next one may be a first rent or carry a
        # broken period; after an earlier partial repayment ``schedule.installment`` may be outdated).
        left_rows = schedule.rows[paid_through:]
        installment = (left_rows[1] if len(left_rows) > 1 else left_rows[0]).installment.minor
        months = _months_to(balance.minor, monthly, installment, residual, left)
    else:
        raise ValueError(f"Unknown mode {mode!r}: use 'reduce_term' or 'reduce_installment'.")
    raw = _amortize_to(balance.minor, monthly, months, installment, residual)
    old = schedule.rows[paid_through:]
    cur = balance.currency
    rows = tuple(
        ScheduleRow(
            o.number, o.due_on, Money(i, cur), Money(n, cur), Money(p, cur), o.insurance, Money(b, cur)
        )
        for o, (i, n, p, b) in zip(old, raw, strict=False)
    )
    return rows, Money(installment, cur)


def partial_repayment(
    *,
    schedule: Schedule,
    on: date,
    amount: Money,
    mode: Literal["reduce_term", "reduce_installment"],
    paid_through: int,
    repaid_earlier_12_months: Money,
) -> PartialOutcome:
    """Apply ``amount`` on ``on`` after ``paid_through`` rows were paid, then rebuild the rest.

    ``reduce_term`` keeps the installment and drops the last rows; ``reduce_installment`` keeps
    the end date and lowers the installment. Due dates and insurance premiums of the remaining
    rows are unchanged (insurance priced on the borrowed amount does not fall with the balance).
    A lease's rows end on its residual value. ``repaid_earlier_12_months`` is the principal
    repaid early over the twelve months before ``on`` (D312-15), read from the ledger.
    """
    if paid_through >= schedule.term_months:
        raise ValueError("Every installment is already paid: nothing left to repay.")
    outstanding, since = _last_paid(schedule, paid_through)
    if on < since or on > schedule.rows[paid_through].due_on:
        raise ValueError(f"{on} must fall between the last paid due date {since} and the next one.")
    repayable = outstanding - _residual(schedule)
    principal_repaid, accrued = _split_payment(amount, repayable, schedule, (on - since).days)
    rows, installment = _remaining_rows(schedule, paid_through, outstanding - principal_repaid, mode)
    new = Schedule(
        rows=rows,
        principal=outstanding - principal_repaid,
        debit_rate=schedule.debit_rate,
        installment=installment,
        fees=Money(0, amount.currency),
        drawdown_on=since,
        insurance_in_taeg=schedule.insurance_in_taeg,
        residual_value=schedule.residual_value,
    )
    old_interest = remaining_interest(schedule, paid_through)
    indemnity = indemnity_cap(
        amount_repaid=principal_repaid,
        on=on,
        end_on=schedule.last_due_on,
        remaining_interest=_cap_share(
            interest_after(schedule, paid_through, on), principal_repaid, outstanding
        ),
        repaid_last_12_months=repaid_earlier_12_months + principal_repaid,
    )
    return PartialOutcome(
        schedule=new,
        principal_repaid=principal_repaid,
        accrued_interest=accrued,
        new_installment=installment,
        new_end_on=new.last_due_on,
        interest_saved=old_interest - new.total_interest - accrued,
        indemnity=indemnity,
    )
