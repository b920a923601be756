"""Early repayment: Code de la consommation L312-34 and D312-15 (threshold 10 000 € over 12 months)."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.credit import (
    EUR,
    XPF,
    Money,
    amortization_schedule,
    indemnity_cap,
    partial_repayment,
    payoff_quote,
)

D = Decimal
E = lambda s: Money.of(s, EUR)  # noqa: E731


def _cap(**kw):
    args = dict(
        amount_repaid=E("20000"),
        on=date(2027, 1, 1),
        end_on=date(2030, 1, 1),
        remaining_interest=E("3000"),
        repaid_last_12_months=E("20000"),
    )
    args.update(kw)
    return indemnity_cap(**args)


def test_indemnity_is_at_most_1_percent_when_more_than_a_year_remains():
    cap = _cap()
    assert (cap.amount, cap.rate) == (E("200"), D("0.01"))
    assert "L312-34" in cap.cap_reason


def test_indemnity_is_at_most_half_a_percent_when_a_year_or_less_remains():
    cap = _cap(end_on=date(2028, 1, 1))
    assert (cap.amount, cap.rate) == (E("100"), D("0.005"))


def test_indemnity_never_exceeds_the_interest_still_to_run():
    cap = _cap(remaining_interest=E("57.12"))
    assert cap.amount == E("57.12")
    assert "intérêts" in cap.cap_reason


def test_no_indemnity_when_twelve_months_of_early_repayments_do_not_exceed_10000_euros():
    assert _cap(amount_repaid=E("10000"), repaid_last_12_months=E("10000")).amount.is_zero()
    assert not _cap(amount_repaid=E("10000.01"), repaid_last_12_months=E("10000.01")).amount.is_zero()


def test_xpf_threshold_is_10000_euros_at_the_legal_parity():
    # 1 000 XPF = 8.38 EUR, so 10 000 € = 1 193 317.42 XPF.
    kw = dict(
        on=date(2027, 1, 1),
        end_on=date(2030, 1, 1),
        remaining_interest=Money.of(500000, XPF),
    )
    assert indemnity_cap(
        amount_repaid=Money.of(1193317, XPF), repaid_last_12_months=Money.of(1193317, XPF), **kw
    ).amount.is_zero()
    assert indemnity_cap(
        amount_repaid=Money.of(1193318, XPF), repaid_last_12_months=Money.of(1193318, XPF), **kw
    ).amount == Money.of(11933, XPF)


def test_no_indemnity_for_revolving_credit_or_an_insurance_payout():
    assert _cap(revolving=True).amount.is_zero()
    assert _cap(insurance_payout=True).amount.is_zero()


@pytest.fixture
def schedule():
    return amortization_schedule(
        principal=E("20000"), debit_rate=D("0.048"), term_months=60, first_due_on=date(2027, 1, 31)
    )


def test_payoff_equals_outstanding_plus_daily_accrued_interest_plus_indemnity(schedule):
    quote = payoff_quote(
        schedule=schedule, on=date(2027, 6, 15), paid_through=5, repaid_earlier_12_months=E(0)
    )
    outstanding = schedule.rows[4].balance_after
    assert quote.outstanding == outstanding
    # 15 days since 31/05/2027 at 4.8 % / 365
    expected = (outstanding.amount * D("0.048") * 15 / 365).quantize(D("0.01"))
    assert quote.accrued_interest == E(expected)
    assert quote.total == outstanding + quote.accrued_interest + quote.indemnity.amount
    assert quote.indemnity.rate == D("0.01")


def test_payoff_before_the_last_paid_due_date_is_refused(schedule):
    with pytest.raises(ValueError):
        payoff_quote(schedule=schedule, on=date(2027, 5, 1), paid_through=5, repaid_earlier_12_months=E(0))


def test_partial_repayment_reducing_the_term_keeps_the_installment_and_ends_earlier(schedule):
    out = partial_repayment(
        schedule=schedule,
        on=date(2027, 6, 15),
        amount=E("5000"),
        mode="reduce_term",
        paid_through=5,
        repaid_earlier_12_months=E(0),
    )
    assert out.new_installment == schedule.installment
    assert out.new_end_on < schedule.last_due_on
    assert out.principal_repaid + out.accrued_interest == E("5000")
    assert (
        sum(r.principal.minor for r in out.schedule.rows)
        == (schedule.rows[4].balance_after - out.principal_repaid).minor
    )
    assert out.interest_saved > E("0")


def test_partial_repayment_reducing_the_installment_keeps_the_end_date(schedule):
    out = partial_repayment(
        schedule=schedule,
        on=date(2027, 6, 15),
        amount=E("5000"),
        mode="reduce_installment",
        paid_through=5,
        repaid_earlier_12_months=E(0),
    )
    assert out.new_installment < schedule.installment
    assert out.new_end_on == schedule.last_due_on
    assert out.schedule.rows[-1].balance_after.is_zero()
    assert out.interest_saved > E("0")


def test_partial_repayment_of_the_whole_balance_asks_for_a_payoff(schedule):
    with pytest.raises(ValueError, match="payoff"):
        partial_repayment(
            schedule=schedule,
            on=date(2027, 6, 15),
            amount=E("30000"),
            mode="reduce_term",
            paid_through=5,
            repaid_earlier_12_months=E(0),
        )
