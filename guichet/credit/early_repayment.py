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
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from .dates import add_months
from .fmt import money_fr, rate_fr
from .money import EUR, XPF, Money, total
from .schedule import (
    Schedule,
    ScheduleRow,
    amortize_minor,
    annuity_minor,
    broken_period_interest,
    monthly_rate_fraction,
)

#: Legal parity of the CFP franc: 1 000 XPF = 8.38 EUR (so 1 EUR = 119.33174… XPF).
XPF_PER_EUR = Fraction(1000) / Fraction("8.38")
#: D312-15 threshold: 10 000 EUR; in XPF 10 000 × 119.33174… = 1 193 317.42 → 1 193 317 XPF.
THRESHOLD_EUR = Money.of("10000", EUR)
THRESHOLD_XPF = Money(int(10000 * XPF_PER_EUR), XPF)


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


def remaining_interest(schedule: Schedule, paid_through: int) -> Money:
    """Interest of the rows after ``paid_through``: what the borrower would still have paid."""
    return total((r.interest for r in schedule.rows[paid_through:]), schedule.currency)


def payoff_quote(
    *, schedule: Schedule, on: date, paid_through: int, repaid_last_12_months: Money | None = None
) -> PayoffQuote:
    """Outstanding principal after ``paid_through`` rows + interest accrued since the last paid due
    date to ``on`` (daily, /365) + the indemnity ceiling (``repaid_last_12_months`` defaults to
    this repayment alone)."""
    outstanding, since = _last_paid(schedule, paid_through)
    accrued = _accrued(outstanding, schedule, since, on)
    indemnity = indemnity_cap(
        amount_repaid=outstanding,
        on=on,
        end_on=schedule.last_due_on,
        remaining_interest=remaining_interest(schedule, paid_through),
        repaid_last_12_months=repaid_last_12_months or outstanding,
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


def _split_payment(amount: Money, outstanding: Money, schedule: Schedule, days: int) -> tuple[Money, Money]:
    """amount = p + p × debit × days/365: the principal p it repays and the interest it carries."""
    rate = Fraction(schedule.debit_rate) * days / 365
    principal_minor = int(Fraction(amount.minor) / (1 + rate))
    if principal_minor >= outstanding.minor:
        raise ValueError(
            f"{amount} repays the whole balance ({outstanding}): ask for a payoff quote instead."
        )
    return Money(principal_minor, amount.currency), amount - Money(principal_minor, amount.currency)


def _remaining_rows(
    schedule: Schedule, paid_through: int, balance: Money, mode: str
) -> tuple[tuple[ScheduleRow, ...], Money]:
    monthly = monthly_rate_fraction(schedule.debit_rate)
    left = schedule.term_months - paid_through
    if mode == "reduce_installment":
        installment = annuity_minor(balance.minor, monthly, left)
        months = left
    elif mode == "reduce_term":
        installment = schedule.installment.minor
        months, rest = 0, balance.minor
        while rest > 0 and months < left:
            rest -= installment - (2 * rest * monthly.numerator + monthly.denominator) // (
                2 * monthly.denominator
            )
            months += 1
    else:
        raise ValueError(f"Unknown mode {mode!r}: use 'reduce_term' or 'reduce_installment'.")
    raw = amortize_minor(balance.minor, monthly, months, installment)
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
    repaid_last_12_months: Money | None = None,
) -> PartialOutcome:
    """Apply ``amount`` on ``on`` after ``paid_through`` rows were paid, then rebuild the rest.

    ``reduce_term`` keeps the installment and drops the last rows; ``reduce_installment`` keeps
    the end date and lowers the installment. Due dates and insurance premiums of the remaining
    rows are unchanged (insurance priced on the borrowed amount does not fall with the balance).
    """
    if paid_through >= schedule.term_months:
        raise ValueError("Every installment is already paid: nothing left to repay.")
    outstanding, since = _last_paid(schedule, paid_through)
    if on < since or on > schedule.rows[paid_through].due_on:
        raise ValueError(f"{on} must fall between the last paid due date {since} and the next one.")
    principal_repaid, accrued = _split_payment(amount, outstanding, schedule, (on - since).days)
    rows, installment = _remaining_rows(schedule, paid_through, outstanding - principal_repaid, mode)
    new = Schedule(
        rows=rows,
        principal=outstanding - principal_repaid,
        debit_rate=schedule.debit_rate,
        installment=installment,
        fees=Money(0, amount.currency),
        drawdown_on=since,
        insurance_in_taeg=schedule.insurance_in_taeg,
    )
    old_interest = remaining_interest(schedule, paid_through)
    indemnity = indemnity_cap(
        amount_repaid=principal_repaid,
        on=on,
        end_on=schedule.last_due_on,
        remaining_interest=old_interest,
        repaid_last_12_months=repaid_last_12_months or principal_repaid,
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
