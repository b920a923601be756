"""Simulations shown to a customer: a new credit with its representative example, and a consolidation.

The representative example follows Code de la consommation L312-6 / L312-8 and D312-21 ff.:
amount, term, fixed debit rate, fixed TAEG, number and amount of installments, total amount due,
and — when an optional insurance is shown — its monthly cost, total cost and TAEA (taux annuel
effectif de l'assurance, R314-11: the TAEG with the insurance minus the TAEG without it).
Results are structured fields; ``*_sentence`` builders produce the French text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .fmt import money_fr, rate_fr
from .money import Money, total
from .rates import round_taeg
from .schedule import Insurance, Schedule, amortization_schedule


@dataclass(frozen=True, slots=True)
class NewCreditSimulation:
    schedule: Schedule
    installment: Money
    total_cost: Money
    total_due: Money
    taeg: Decimal
    insurance_monthly: Money
    insurance_total: Money
    taea: Decimal | None
    representative_example: str


def simulate_new_credit(
    *,
    principal: Money,
    debit_rate: Decimal,
    term_months: int,
    first_due_on: date,
    drawdown_on: date | None = None,
    insurance: Insurance | None = None,
    max_taeg: Decimal | None = None,
) -> NewCreditSimulation:
    """Schedule, costs, rounded TAEG and the representative example of a new amortizable credit.

    ``max_taeg``: the tariff's "TAEG fixe maximum"; the installments are then rounded so the TAEG
    shown never exceeds it (``amortization_schedule``).
    """
    schedule = amortization_schedule(
        principal=principal,
        debit_rate=debit_rate,
        term_months=term_months,
        first_due_on=first_due_on,
        drawdown_on=drawdown_on,
        insurance=insurance,
        max_taeg=max_taeg,
    )
    taeg = round_taeg(schedule.taeg)
    taea = None
    if insurance is not None and not insurance.compulsory:
        insured = replace(schedule, insurance_in_taeg=True)
        taea = round_taeg(insured.taeg - schedule.taeg)
    monthly = schedule.rows[0].insurance
    simulation = NewCreditSimulation(
        schedule=schedule,
        installment=schedule.installment,
        total_cost=schedule.total_cost,
        total_due=schedule.total_due,
        taeg=taeg,
        insurance_monthly=monthly,
        insurance_total=schedule.total_insurance,
        taea=taea,
        representative_example="",
    )
    return replace(simulation, representative_example=representative_example_sentence(simulation))


def representative_example_sentence(sim: NewCreditSimulation) -> str:
    """« Exemple représentatif : pour un crédit de 10 000 € sur 60 mois au taux débiteur fixe … »."""
    s = sim.schedule
    first, last = s.rows[0].installment, s.rows[-1].installment
    installments = (
        f"{s.term_months} mensualités de {money_fr(sim.installment)}"
        if last == sim.installment
        else f"{s.term_months - 1} mensualités de {money_fr(sim.installment)}"
        f" et une dernière de {money_fr(last)}"
    )
    if first != sim.installment and s.term_months > 1:  # a plan rounded in the borrower's favour
        installments = (
            f"une première mensualité de {money_fr(first)} puis {s.term_months - 1}"
            f" mensualité{'s' if s.term_months > 2 else ''} de {money_fr(sim.installment)}"
        )
    text = (
        f"Exemple représentatif : pour un crédit de {money_fr(s.principal, drop_zero_cents=True)}"
        f" sur {s.term_months} mois au taux débiteur fixe de {rate_fr(s.debit_rate)},"
        f" TAEG fixe de {rate_fr(sim.taeg)}, vous remboursez {installments} hors assurance facultative."
        f" Montant total dû : {money_fr(s.total_due - s.total_insurance)}."
        f" Coût total du crédit : {money_fr(s.total_interest + s.fees)}."
    )
    if sim.taea is not None and sim.insurance_total:
        text += (
            f" Coût de l'assurance facultative : {money_fr(sim.insurance_monthly)} par mois,"
            f" {money_fr(sim.insurance_total)} au total, TAEA de {rate_fr(sim.taea)}."
        )
    return text


@dataclass(frozen=True, slots=True)
class ExternalDebt:
    """A credit to buy back: what is still owed, its installment, and the months left.

    ``total_left``: what keeping it would still cost in all, when the installments are not all equal
    (a revolving line's minimum payments vary: issue 12); otherwise installment × months left."""

    outstanding: Money
    installment: Money
    remaining_months: int
    total_left: Money | None = None

    @property
    def still_to_pay(self) -> Money:
        return self.total_left if self.total_left is not None else self.installment * self.remaining_months


@dataclass(frozen=True, slots=True)
class ConsolidationSimulation:
    """Old vs new monthly outgoings and total still to pay; ``costs_more`` when the new total is higher."""

    schedule: Schedule
    old_monthly: Money
    new_monthly: Money
    monthly_saving: Money
    old_total: Money
    new_total: Money
    extra_cost: Money
    extra_cash: Money
    costs_more: bool
    taeg: Decimal
    sentence: str


def simulate_consolidation(
    *,
    debts: list[ExternalDebt],
    principal: Money,
    debit_rate: Decimal,
    term_months: int,
    first_due_on: date,
    drawdown_on: date | None = None,
    insurance: Insurance | None = None,
) -> ConsolidationSimulation:
    """Compare keeping the debts (Σ installment × months left) with one new loan (its total due).

    The new principal must cover what is owed on the debts; any surplus is ``extra_cash``.
    """
    if not debts:
        raise ValueError("A consolidation needs at least one credit to buy back.")
    cur = principal.currency
    owed = total((d.outstanding for d in debts), cur)
    if principal < owed:
        raise ValueError(f"The new credit ({principal}) does not cover the amounts owed ({owed}).")
    schedule = amortization_schedule(
        principal=principal,
        debit_rate=debit_rate,
        term_months=term_months,
        first_due_on=first_due_on,
        drawdown_on=drawdown_on,
        insurance=insurance,
    )
    old_monthly = total((d.installment for d in debts), cur)
    old_total = total((d.still_to_pay for d in debts), cur)
    new_monthly = schedule.rows[0].total_due
    new_total = schedule.total_due
    result = ConsolidationSimulation(
        schedule=schedule,
        old_monthly=old_monthly,
        new_monthly=new_monthly,
        monthly_saving=old_monthly - new_monthly,
        old_total=old_total,
        new_total=new_total,
        extra_cost=new_total - old_total,
        extra_cash=principal - owed,
        costs_more=new_total > old_total,
        taeg=round_taeg(schedule.taeg),
        sentence="",
    )
    return replace(result, sentence=consolidation_sentence(result))


def consolidation_sentence(sim: ConsolidationSimulation) -> str:
    """An honest French summary: the monthly change and the change of the total still to pay."""
    months = sim.schedule.term_months
    if sim.monthly_saving.minor >= 0:
        monthly = f"Vos mensualités passeraient de {money_fr(sim.old_monthly)} à {money_fr(sim.new_monthly)}"
        monthly += f" (−{money_fr(sim.monthly_saving)} par mois) sur {months} mois."
    else:
        monthly = f"Vos mensualités passeraient de {money_fr(sim.old_monthly)} à {money_fr(sim.new_monthly)}"
        monthly += f" (+{money_fr(-sim.monthly_saving)} par mois) sur {months} mois."
    if sim.costs_more:
        cost = (
            f" Attention : au total, vous rembourseriez {money_fr(sim.new_total)} au lieu de"
            f" {money_fr(sim.old_total)}, soit {money_fr(sim.extra_cost)} de plus."
        )
    else:
        cost = (
            f" Au total, vous rembourseriez {money_fr(sim.new_total)} au lieu de {money_fr(sim.old_total)},"
            f" soit {money_fr(-sim.extra_cost)} de moins."
        )
    if sim.extra_cash:
        cost += f" Ce montant inclut {money_fr(sim.extra_cash)} de trésorerie supplémentaire."
    return monthly + cost
