"""Property-based invariants (hypothesis), after numpy-financial's tests (STYLE.md)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.credit import EUR, XPF, Money, amortization_schedule, annual_percentage_rate, apr_from_nominal

rates = st.integers(min_value=0, max_value=2500).map(lambda bp: Decimal(bp) / 10000)
terms = st.integers(min_value=1, max_value=120)
currencies = st.sampled_from([EUR, XPF])
amounts = st.integers(min_value=1, max_value=10**8)


@settings(max_examples=150, deadline=None)
@given(amounts, rates, terms, currencies)
def test_principal_repaid_equals_principal_lent_and_balances_stay_non_negative(minor, rate, term, cur):
    s = amortization_schedule(
        principal=Money(minor, cur), debit_rate=rate, term_months=term, first_due_on=date(2027, 3, 31)
    )
    assert sum(r.principal.minor for r in s.rows) == minor
    assert all(r.balance_after.minor >= 0 for r in s.rows)
    assert s.rows[-1].balance_after.is_zero()
    assert all(r.installment == r.interest + r.principal for r in s.rows)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=10**6), terms)
def test_apr_of_a_zero_cost_loan_is_zero(minor, term):
    parts = Money(minor, EUR).split(term)
    apr = annual_percentage_rate(
        drawdowns=[(0, Money(minor, EUR))], repayments=[(Fraction(k + 1, 12), p) for k, p in enumerate(parts)]
    )
    assert apr == 0


@settings(max_examples=40, deadline=None)
@given(rates, st.integers(min_value=2, max_value=84), st.integers(min_value=1, max_value=500))
def test_apr_rises_with_fees(rate, term, fee_euros):
    kwargs = dict(
        principal=Money.of(5000, EUR), debit_rate=rate, term_months=term, first_due_on=date(2027, 1, 5)
    )
    assert (
        amortization_schedule(**kwargs, fees=Money.of(fee_euros, EUR)).taeg
        > amortization_schedule(**kwargs).taeg
    )


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=100_000, max_value=10_000_000), rates, st.integers(min_value=6, max_value=120))
def test_schedule_apr_round_trips_to_the_monthly_compounded_debit_rate(minor, rate, term):
    # The APR of a schedule without fees equals (1 + r/12)^12 − 1 up to the rounding of the
    # installments to the cent: a difference of at most a few 1e-5 on 1 000 € and more.
    s = amortization_schedule(
        principal=Money(minor, EUR), debit_rate=rate, term_months=term, first_due_on=date(2027, 1, 5)
    )
    assert abs(s.taeg - apr_from_nominal(rate)) < Decimal("0.0001")


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=100_000, max_value=10_000_000), rates, st.integers(min_value=6, max_value=120))
def test_schedule_to_apr_to_monthly_rate_to_schedule_gives_back_the_installment(minor, rate, term):
    from guichet.credit import nominal_from_apr

    kwargs = dict(principal=Money(minor, EUR), term_months=term, first_due_on=date(2027, 1, 5))
    s = amortization_schedule(debit_rate=rate, **kwargs)
    again = amortization_schedule(debit_rate=nominal_from_apr(s.taeg).quantize(Decimal("1e-12")), **kwargs)
    assert abs(again.installment.minor - s.installment.minor) <= 1
