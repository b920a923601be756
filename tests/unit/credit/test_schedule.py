"""Amortization schedules: rounding rules, residue on the last row, dates, insurance, broken period."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.credit import (
    EUR,
    XPF,
    InsuranceMonthlyOnBorrowed,
    InsuranceOnBorrowed,
    Money,
    amortization_schedule,
    apr_from_nominal,
    round_taeg,
)

D = Decimal


def test_installment_is_pmt_rounded_half_up_and_last_row_absorbs_the_residue():
    s = amortization_schedule(
        principal=Money.of("10000", EUR), debit_rate=D("0.048"), term_months=60, first_due_on=date(2027, 1, 5)
    )
    # pmt(0.004, 60, 10000) = 187.7974… → 187.80
    assert s.installment == Money.of("187.80", EUR)
    assert all(r.installment == s.installment for r in s.rows[:-1])
    assert s.rows[-1].installment == Money.of("187.64", EUR)
    assert sum(r.principal.minor for r in s.rows) == 1_000_000
    assert s.rows[0].interest == Money.of("40.00", EUR)  # 10 000 × 0.048 / 12
    assert s.rows[-1].balance_after.is_zero()
    assert s.total_interest == Money.of("1267.84", EUR)
    assert s.total_due == Money.of("11267.84", EUR)


def test_tariff_example_taeg_of_prêt_sur_mesure_4_80_is_4_91():
    # Seed 004: Prêt Sur Mesure > 6 000 €: taux débiteur 4,80 %, TAEG 4,91 %.
    s = amortization_schedule(
        principal=Money.of("10000", EUR), debit_rate=D("0.048"), term_months=60, first_due_on=date(2027, 1, 5)
    )
    assert round_taeg(s.taeg) == D("0.0491")


def test_xpf_schedule_is_exact_to_the_franc():
    s = amortization_schedule(
        principal=Money.of(1_000_000, XPF),
        debit_rate=D("0.1934"),
        term_months=12,
        first_due_on=date(2027, 1, 15),
    )
    assert all(r.installment.currency == XPF for r in s.rows)
    assert sum(r.principal.minor for r in s.rows) == 1_000_000
    assert round_taeg(s.taeg) == D("0.2115")


def test_zero_rate_splits_the_principal():
    s = amortization_schedule(
        principal=Money.of("100.00", EUR), debit_rate=D(0), term_months=3, first_due_on=date(2027, 1, 5)
    )
    assert [r.installment for r in s.rows] == [Money.of("33.33", EUR)] * 2 + [Money.of("33.34", EUR)]
    assert s.taeg == 0


def test_due_dates_keep_the_31st_when_the_month_has_it():
    s = amortization_schedule(
        principal=Money.of("1000", EUR), debit_rate=D("0.05"), term_months=4, first_due_on=date(2027, 1, 31)
    )
    assert [r.due_on for r in s.rows] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_a_tiny_loan_over_many_months_never_goes_negative():
    s = amortization_schedule(
        principal=Money.of(100, XPF), debit_rate=D(0), term_months=60, first_due_on=date(2027, 1, 5)
    )
    assert all(r.balance_after.minor >= 0 and r.principal.minor >= 0 for r in s.rows)
    assert sum(r.principal.minor for r in s.rows) == 100


def test_broken_first_period_charges_daily_interest_on_365_days():
    s = amortization_schedule(
        principal=Money.of("3000", EUR),
        debit_rate=D("0.1934"),
        term_months=12,
        first_due_on=date(2027, 2, 15),
        drawdown_on=date(2027, 1, 1),
    )
    # 3 000 × 19.34 % × 45 / 365 = 71.53
    assert s.rows[0].interest == Money.of("71.53", EUR)
    assert sum(r.principal.minor for r in s.rows) == 300_000


def test_whole_first_month_after_drawdown_uses_the_monthly_rate():
    s = amortization_schedule(
        principal=Money.of("3000", EUR),
        debit_rate=D("0.1934"),
        term_months=12,
        first_due_on=date(2027, 2, 1),
        drawdown_on=date(2027, 1, 1),
    )
    assert s.rows[0].interest == Money.of("48.35", EUR)
    assert round_taeg(s.taeg) == round_taeg(apr_from_nominal(D("0.1934")))


def test_monthly_insurance_on_borrowed_amount_is_constant_and_optional_insurance_stays_out_of_the_taeg():
    # Seed 004, Prêt Sur Mesure grid: Adulte 1 tête DC/PTIA/ITT 0,18 % mensuel du montant emprunté.
    s = amortization_schedule(
        principal=Money.of("10000", EUR),
        debit_rate=D("0.048"),
        term_months=60,
        first_due_on=date(2027, 1, 5),
        insurance=InsuranceMonthlyOnBorrowed(D("0.0018")),
    )
    assert {r.insurance for r in s.rows} == {Money.of("18.00", EUR)}
    assert s.total_insurance == Money.of("1080.00", EUR)
    assert s.rows[0].total_due == Money.of("205.80", EUR)
    assert round_taeg(s.taeg) == D("0.0491")
    assert s.total_cost == s.total_interest + s.total_insurance


def test_compulsory_insurance_enters_the_taeg():
    kwargs = dict(
        principal=Money.of("10000", EUR), debit_rate=D("0.048"), term_months=60, first_due_on=date(2027, 1, 5)
    )
    optional = amortization_schedule(**kwargs, insurance=InsuranceMonthlyOnBorrowed(D("0.0018")))
    compulsory = amortization_schedule(
        **kwargs, insurance=InsuranceMonthlyOnBorrowed(D("0.0018"), compulsory=True)
    )
    assert compulsory.taeg > optional.taeg


def test_insurance_on_borrowed_amount_is_spread_without_losing_a_cent():
    # Seed 004, Option Crédit: 0,24 % du montant emprunté → 7.20 € on 3 000 €, over 7 installments.
    s = amortization_schedule(
        principal=Money.of("3000", EUR),
        debit_rate=D("0.1934"),
        term_months=7,
        first_due_on=date(2027, 1, 5),
        insurance=InsuranceOnBorrowed(D("0.0024")),
    )
    assert s.total_insurance == Money.of("7.20", EUR)
    assert max(r.insurance.minor for r in s.rows) - min(r.insurance.minor for r in s.rows) <= 1


def test_fees_raise_the_taeg_and_the_total_cost():
    kwargs = dict(
        principal=Money.of("5000", EUR), debit_rate=D("0.0938"), term_months=24, first_due_on=date(2027, 1, 5)
    )
    plain = amortization_schedule(**kwargs)
    with_fees = amortization_schedule(**kwargs, fees=Money.of("100", EUR))
    assert with_fees.taeg > plain.taeg
    assert with_fees.total_cost == plain.total_cost + Money.of("100", EUR)


@pytest.mark.parametrize(
    "bad", [dict(term_months=0), dict(principal=Money.of(0, EUR)), dict(debit_rate=D("-0.01"))]
)
def test_bad_input_is_refused(bad):
    kwargs = dict(
        principal=Money.of("5000", EUR), debit_rate=D("0.05"), term_months=12, first_due_on=date(2027, 1, 5)
    )
    kwargs.update(bad)
    with pytest.raises(ValueError):
        amortization_schedule(**kwargs)
