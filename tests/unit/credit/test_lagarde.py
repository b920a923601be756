"""Loi Lagarde minimum repayment of a revolving credit: L312-65, D312-27 to D312-29; renewal L312-65/L312-77.

D312-27 (décret 2011-304 of 22 March 2011): R = α × K, K the capital owed after the last drawdown;
for constant installments α is the capital share of an annuity at r (TAEG + optional insurance
rate) over T ≤ 36 months (credit limit ≤ 3 000 €) or ≤ 60 months (limit > 3 000 €). D312-28: an
installment is never below 15 €, except the one that clears the balance.
"""

import math
from datetime import date
from decimal import Decimal

import pytest

from guichet.credit import (
    EUR,
    XPF,
    Money,
    RateTier,
    legal_max_months,
    minimum_capital,
    minimum_installment,
    renewal_calendar,
    revolving_statement,
    variable_minimum_percentage,
)

D = Decimal
E = lambda s: Money.of(s, EUR)  # noqa: E731
TAEG = D("0.2115")  # seed 004, Accessio Confort ≤ 3 000 €


@pytest.mark.parametrize(
    ("limit", "months"),
    [(E("3000"), 36), (E("3000.01"), 60), (E("500"), 36), (E("12000"), 60)],
)
def test_the_legal_period_is_36_months_up_to_a_3000_euro_limit_and_60_above(limit, months):
    assert legal_max_months(limit) == months


def test_the_boundary_is_judged_on_the_limit_in_xpf_at_the_legal_parity():
    # 3 000 € = 357 995.22 XPF
    assert legal_max_months(Money.of(357995, XPF)) == 36
    assert legal_max_months(Money.of(357996, XPF)) == 60


@pytest.mark.parametrize(("limit", "period"), [(E("3000"), 36), (E("3000.01"), 60)])
def test_the_minimum_share_is_the_first_capital_share_of_an_annuity_over_the_legal_period(limit, period):
    # R = K × i / ((1 + i)^T − 1), i = TAEG / 12, rounded up to the cent.
    used = E("2500")
    i = TAEG / 12
    expected = math.ceil(D(used.minor) * i / ((1 + i) ** period - 1))
    assert minimum_capital(used, limit, taeg=TAEG).minor == expected


def test_an_annuity_built_on_the_minimum_share_clears_the_balance_in_36_then_60_months():
    for limit, period in ((E("3000"), 36), (E("3000.01"), 60)):
        used = E("3000")
        r = D(minimum_capital(used, limit, taeg=TAEG).minor)
        i = TAEG / 12
        installment = r + D(used.minor) * i  # first installment: capital share + interest
        balance, months = D(used.minor), 0
        while balance > D("0.5"):
            balance = balance * (1 + i) - installment
            months += 1
        assert months == period


def test_optional_insurance_is_added_to_the_taeg_in_the_minimum_share_formula():
    # D312-27 1°: r = TAEG + the optional insurance's annual rate. A higher r means an annuity
    # whose first capital share is smaller (more of the installment is interest and premium).
    insured = minimum_capital(E("2000"), E("3000"), taeg=TAEG, optional_insurance_rate=D("0.078"))
    assert insured == minimum_capital(E("2000"), E("3000"), taeg=TAEG + D("0.078"))
    assert insured < minimum_capital(E("2000"), E("3000"), taeg=TAEG)


def test_a_product_speed_can_only_shorten_the_legal_period():
    legal = minimum_capital(E("2000"), E("3000"), taeg=TAEG)
    assert minimum_capital(E("2000"), E("3000"), taeg=TAEG, speed_months=24) > legal
    assert minimum_capital(E("2000"), E("3000"), taeg=TAEG, speed_months=48) == legal


def test_variable_installment_contracts_repay_at_least_1_or_0_5_percent():
    assert variable_minimum_percentage(E("3000")) == D("0.01")
    assert variable_minimum_percentage(E("3000.01")) == D("0.005")


def test_an_installment_is_never_below_15_euros_unless_it_clears_the_balance():
    assert minimum_installment(E("50"), E("3000"), debit_rate=D("0.1934")) == E("15")
    # 10 € used: the installment that clears it is the whole amount owed (10 € + 0.16 € interest).
    assert minimum_installment(E("10"), E("3000"), debit_rate=D("0.1934")) == E("10.16")
    assert minimum_installment(
        Money.of(5000, XPF), Money.of(300000, XPF), debit_rate=D("0.1934")
    ) == Money.of(1790, XPF)


def test_the_statement_keeps_the_installment_computed_after_the_last_drawdown():
    # D312-27 1° (constant installments): the annuity on K stays the installment, so the capital
    # share grows as the interest falls (it was frozen at R, which took 50 months for 3 000 €).
    tiers = [RateTier(None, D("0.1934"), TAEG, D("0.0005299"))]
    k = E("3000")
    first = revolving_statement(
        opening_balance=k,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 1, 31),
        tiers=tiers,
        limit=E("3000"),
        capital_after_last_drawdown=k,
    )
    later = revolving_statement(
        opening_balance=E("1500"),
        period_start=date(2028, 1, 1),
        period_end=date(2028, 1, 31),
        tiers=tiers,
        limit=E("3000"),
        capital_after_last_drawdown=k,
        statements_since_drawdown=12,
    )
    assert first.interest + first.capital_repaid == later.interest + later.capital_repaid
    assert later.capital_repaid > first.capital_repaid >= minimum_capital(k, E("3000"), taeg=TAEG)


def test_the_statement_raises_the_capital_so_the_installment_reaches_15_euros():
    tiers = [RateTier(None, D("0.1934"), TAEG, D("0.0005299"))]
    st = revolving_statement(
        opening_balance=E("100"),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 1, 31),
        tiers=tiers,
        limit=E("3000"),
    )
    assert st.interest + st.capital_repaid == E("15")


def test_renewal_notice_is_due_three_months_before_the_anniversary_and_objection_20_days_before():
    cal = renewal_calendar(date(2025, 3, 15), 2027)
    assert cal.anniversary == date(2027, 3, 15)
    assert cal.notice_by == date(2026, 12, 15)
    assert cal.objection_until == date(2027, 2, 23)
    with pytest.raises(ValueError, match="first renewed"):
        renewal_calendar(date(2025, 3, 15), 2025)
