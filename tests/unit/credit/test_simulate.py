"""Simulations: the representative example (L312-6/L312-8, D312-21) and an honest consolidation."""

from datetime import date
from decimal import Decimal

from guichet.credit import (
    EUR,
    ExternalDebt,
    InsuranceMonthlyOnBorrowed,
    Money,
    simulate_consolidation,
    simulate_new_credit,
)

D = Decimal
E = lambda s: Money.of(s, EUR)  # noqa: E731


def test_representative_example_names_amount_term_rates_installments_and_total_due():
    sim = simulate_new_credit(
        principal=E("10000"), debit_rate=D("0.048"), term_months=60, first_due_on=date(2027, 1, 5)
    )
    text = sim.representative_example
    assert text.startswith("Exemple représentatif : pour un crédit de 10\u202f000\u00a0€ sur 60 mois")
    assert "taux débiteur fixe de 4,80\u00a0%" in text
    assert "TAEG fixe de 4,91\u00a0%" in text
    assert "187,80\u00a0€" in text
    assert "Montant total dû : 11\u202f267,84\u00a0€" in text
    assert sim.taeg == D("0.0491")
    assert sim.taea is None


def test_optional_insurance_is_shown_with_its_monthly_cost_total_and_taea():
    sim = simulate_new_credit(
        principal=E("10000"),
        debit_rate=D("0.048"),
        term_months=60,
        first_due_on=date(2027, 1, 5),
        insurance=InsuranceMonthlyOnBorrowed(D("0.0018")),
    )
    assert sim.insurance_monthly == E("18.00")
    assert sim.insurance_total == E("1080.00")
    assert sim.taea is not None and sim.taea > 0
    assert "TAEA" in sim.representative_example
    assert sim.taeg == D("0.0491")  # optional insurance stays out of the TAEG


def test_consolidation_that_lowers_the_monthly_payment_but_costs_more_says_so():
    sim = simulate_consolidation(
        debts=[ExternalDebt(E("5000"), E("250"), 22), ExternalDebt(E("8000"), E("300"), 30)],
        principal=E("13000"),
        debit_rate=D("0.048"),
        term_months=84,
        first_due_on=date(2027, 1, 5),
    )
    assert sim.old_monthly == E("550")
    assert sim.old_total == E("14500")
    assert sim.new_monthly < sim.old_monthly
    assert sim.costs_more
    assert sim.new_total == sim.schedule.total_due
    assert "Attention" in sim.sentence and "de plus" in sim.sentence


def test_consolidation_that_saves_money_says_so():
    sim = simulate_consolidation(
        debts=[ExternalDebt(E("5000"), E("500"), 12)],
        principal=E("5000"),
        debit_rate=D("0.0480"),
        term_months=11,
        first_due_on=date(2027, 1, 5),
    )
    assert not sim.costs_more
    assert "de moins" in sim.sentence
