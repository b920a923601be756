"""TAEG solver: Directive 2008/48/EC Annex I actuarial equation, time conventions and errors."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from guichet.credit import (
    EUR,
    XPF,
    Money,
    NoConvergence,
    annual_percentage_rate,
    apr_from_nominal,
    year_fraction,
)

D = Decimal


def test_one_year_single_repayment_gives_the_simple_rate():
    assert annual_percentage_rate(drawdowns=[(0, D(1000))], repayments=[(1, D(1100))]) == D("0.1")


def test_negative_rate_is_a_valid_answer_for_a_subsidised_loan():
    assert annual_percentage_rate(drawdowns=[(0, D(100))], repayments=[(1, D(90))]) == D("-0.1")


def test_monthly_flows_of_an_exact_annuity_give_the_monthly_compounded_rate():
    # Unrounded installments: the TAEG is exactly (1 + r/12)^12 − 1 (to 1e-12).
    r = D("0.1934") / 12
    pmt = D(3000) * r / (1 - (1 + r) ** -24)
    x = annual_percentage_rate(
        drawdowns=[(0, D(3000))], repayments=[(Fraction(k, 12), pmt) for k in range(1, 25)]
    )
    assert abs(x - apr_from_nominal(D("0.1934"))) < D("1e-12")


def test_money_amounts_are_accepted_and_must_share_one_currency():
    assert annual_percentage_rate(
        drawdowns=[(0, Money.of(100, XPF))], repayments=[(1, Money.of(110, XPF))]
    ) == D("0.1")
    with pytest.raises(ValueError, match="currencies"):
        annual_percentage_rate(drawdowns=[(0, Money.of(100, XPF))], repayments=[(1, Money.of(110, EUR))])


@pytest.mark.parametrize(
    ("drawdowns", "repayments", "message"),
    [
        ([], [(1, D(1))], "No drawdown"),
        ([(0, D(1))], [], "No repayment"),
        ([(0, D(0))], [(1, D(0))], "zero"),
        ([(0, D(-1))], [(1, D(2))], "positive"),
        ([(0, D(100))], [(0, D(110))], "no rate"),
    ],
)
def test_flows_without_a_rate_raise_a_clear_value_error(drawdowns, repayments, message):
    with pytest.raises(ValueError, match=message):
        annual_percentage_rate(drawdowns=drawdowns, repayments=repayments)


def test_float_times_are_refused():
    with pytest.raises(TypeError):
        annual_percentage_rate(drawdowns=[(0, D(100))], repayments=[(0.5, D(110))])


def test_no_convergence_is_an_arithmetic_error_never_a_number():
    assert issubclass(NoConvergence, ArithmeticError)


def test_year_fraction_counts_whole_months_as_twelfths():
    # Annex I (as amended by 2011/90/EU) I (d)-(e): 12 equal months.
    assert year_fraction(date(2027, 1, 15), date(2027, 4, 15)) == Fraction(3, 12)
    assert year_fraction(date(2027, 1, 31), date(2027, 2, 28)) == Fraction(1, 12)


def test_year_fraction_divides_the_leftover_days_by_the_length_of_the_year_counted_back():
    # Seed 003 LOA: funds on 04/06/2027, first rent on 15/06/2027: 11 days / 365.
    assert year_fraction(date(2027, 6, 4), date(2027, 6, 15)) == Fraction(11, 365)
    assert year_fraction(date(2027, 6, 4), date(2027, 7, 15)) == Fraction(1, 12) + Fraction(11, 365)
    # A year ending 1 March 2024 contains 29 February: 366 days.
    assert year_fraction(date(2024, 2, 1), date(2024, 3, 1)) == Fraction(1, 12)
    assert year_fraction(date(2024, 2, 20), date(2024, 3, 1)) == Fraction(10, 366)


def test_year_fraction_refuses_an_end_before_the_start():
    with pytest.raises(ValueError):
        year_fraction(date(2027, 2, 1), date(2027, 1, 1))
