"""Revolving credit: tiers by amount used, daily interest, insurance rounded up to the décime (seed 004)."""

from datetime import date
from decimal import Decimal

from guichet.credit import (
    EUR,
    XPF,
    Money,
    RateTier,
    daily_interest,
    insurance_rate_for,
    legal_max_months,
    minimum_capital,
    monthly_insurance,
    revolving_statement,
    tier_for,
)

D = Decimal
E = lambda s: Money.of(s, EUR)  # noqa: E731

# Seed 004, Accessio Confort: ≤ 3 000 € 19,34 % / 21,15 % / 0,05299 %; 3 000–6 000 € 9,38 %; > 6 000 € 4,81 %.
TIERS = [
    RateTier(E(3000), D("0.1934"), D("0.2115"), D("0.0005299")),
    RateTier(E(6000), D("0.0938"), D("0.0979"), D("0.0002569")),
    RateTier(None, D("0.0481"), D("0.0492"), D("0.0001318")),
]


def test_tier_is_chosen_by_the_amount_used():
    assert tier_for(E("3000"), TIERS).debit_rate == D("0.1934")
    assert tier_for(E("3000.01"), TIERS).debit_rate == D("0.0938")
    assert tier_for(E("6000"), TIERS).debit_rate == D("0.0938")
    assert tier_for(E("6000.01"), TIERS).debit_rate == D("0.0481")


def test_daily_interest_is_balance_times_rate_over_365_per_day():
    assert daily_interest(E("1000"), D("0.1934"), 30) == E("15.90")  # 15.8958…


def test_insurance_is_rounded_up_to_the_decime():
    # "0,65 % du total mensuel des sommes restant dues, arrondi au décime supérieur"
    assert monthly_insurance(E("1234.56"), D("0.0065")) == E("8.10")  # 8.02464 → 8.10
    assert monthly_insurance(E("1000"), D("0.0065")) == E("6.50")  # exact: unchanged
    assert monthly_insurance(E("1000.01"), D("0.0065")) == E("6.60")


def test_xpf_insurance_is_rounded_up_to_the_franc():
    assert monthly_insurance(Money.of(123456, XPF), D("0.0065")) == Money.of(803, XPF)  # 802.464


def test_insurance_rate_depends_on_the_adhesion_date_and_product():
    assert insurance_rate_for(date(2019, 3, 11)) == D("0.0060")
    assert insurance_rate_for(date(2019, 3, 12)) == D("0.0065")
    assert insurance_rate_for(date(2025, 1, 1), "Projelia") == D("0.0040")
    assert insurance_rate_for(date(2025, 1, 1), "Libravou") == D("0.0060")


def test_lagarde_repayment_period_is_36_months_up_to_3000_euros_and_60_above():
    assert legal_max_months(E("3000")) == 36
    assert legal_max_months(E("3000.01")) == 60


def test_minimum_capital_repays_the_amount_used_within_the_legal_period():
    used, taeg = E("3000"), D("0.2115")
    capital = minimum_capital(used, E("3000"), taeg=taeg)
    # Paying R then the annuity on the rest clears the balance in at most 36 months.
    balance, rate, months = used.minor, D("0.2115") / 12, 0
    pmt = capital.minor + int(used.minor * rate)
    while balance > 0:
        balance = balance + int(balance * rate) - pmt
        months += 1
    assert months <= 36


def test_a_month_of_statement_adds_interest_and_insurance_and_repays_capital():
    st = revolving_statement(
        opening_balance=E("2000"),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 2, 1),
        tiers=TIERS,
        limit=E("3000"),
        insurance_rate=D("0.0065"),
    )
    assert st.interest == daily_interest(E("2000"), D("0.1934"), 31)
    assert st.insurance.minor % 10 == 0
    assert st.installment == st.interest + st.insurance + st.capital_repaid
    assert st.closing_balance == E("2000") - st.capital_repaid
