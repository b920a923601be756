"""Split-payment plans stay within the tariff's "TAEG fixe maximum" (seed 004, 3 x CB / 4 x CB).

Seed 004: "3 x CB : 3 mensualités : TAEG fixe maximum de 21,15% (Taux débiteur : 19,34%)" and
"4 x CB : 4 mensualités : TAEG fixe maximum de 21,15% (Taux débiteur : 19,34%)". With the
installment rounded half-up and the last one absorbing the residue, 300 € in 3 payments is
103,24 / 103,24 / 103,25 € and its TAEG 21,17 %: the cent paid last costs the borrower 0,02 point.
Given the maximum, the plan is rounded in the borrower's favour instead: every payment but the
first is the annuity rounded down, the first the largest amount that does not lend above the
debit rate (schedule.first_absorbs), so the TAEG never exceeds (1 + 19,34 % / 12)^12 − 1.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.credit import EUR, XPF, Money, amortization_schedule, round_taeg, simulate_new_credit
from guichet.credit.schedule import first_absorbs, monthly_rate_fraction

DEBIT = Decimal("0.1934")
MAX_TAEG = Decimal("0.2115")
FIRST_DUE = date(2027, 1, 5)


def _plan(amount: Money, months: int, max_taeg: Decimal | None = MAX_TAEG):
    return amortization_schedule(
        principal=amount, debit_rate=DEBIT, term_months=months, first_due_on=FIRST_DUE, max_taeg=max_taeg
    )


def _installments(schedule) -> list[str]:
    return [str(r.installment.amount) for r in schedule.rows]


def test_half_up_rounding_put_3_x_cb_of_300_euros_above_the_published_maximum():
    old = _plan(Money.of("300.00", EUR), 3, max_taeg=None)
    assert _installments(old) == ["103.24", "103.24", "103.25"]
    assert round_taeg(old.taeg) == Decimal("0.2117")


def test_3_x_cb_of_300_euros_shows_the_published_21_15_percent():
    plan = _plan(Money.of("300.00", EUR), 3)
    assert _installments(plan) == ["103.24", "103.24", "103.24"]
    assert round_taeg(plan.taeg) == Decimal("0.2115")
    assert plan.total_cost == Money.of("9.72", EUR)  # one cent less than the half-up plan


def test_3_x_cb_of_30_000_xpf_shows_the_published_21_15_percent():
    plan = _plan(Money.of(30000, XPF), 3)
    assert _installments(plan) == ["10324", "10324", "10324"]
    assert round_taeg(plan.taeg) == Decimal("0.2115")


def test_4_x_cb_of_300_euros_puts_the_residue_on_the_first_payment():
    assert round_taeg(_plan(Money.of("300.00", EUR), 4, max_taeg=None).taeg) == Decimal("0.2118")
    plan = _plan(Money.of("300.00", EUR), 4)
    assert _installments(plan) == ["78.06", "78.04", "78.04", "78.04"]
    assert round_taeg(plan.taeg) == Decimal("0.2114")


def test_a_plan_already_within_the_maximum_keeps_the_usual_rounding():
    usual = _plan(Money.of("1000.00", EUR), 3, max_taeg=None)
    assert round_taeg(usual.taeg) <= MAX_TAEG
    assert _plan(Money.of("1000.00", EUR), 3) == usual


def test_the_first_payment_is_the_largest_that_does_not_lend_above_the_debit_rate():
    monthly = monthly_rate_fraction(DEBIT)
    first, others = first_absorbs(30000, monthly, 3, 30000 * monthly)
    v = 1 / (1 + monthly)
    worth = lambda x: x * v + others * (v**2 + v**3)  # noqa: E731
    assert worth(first) <= 30000 < worth(first + 1)
    assert others == 10324  # 103,2433… € rounded down


@settings(max_examples=300, deadline=None)
@given(
    euros=st.integers(min_value=20_000, max_value=300_000),
    months=st.sampled_from([3, 4]),
    xpf=st.booleans(),
)
def test_every_3_and_4_x_cb_plan_stays_within_the_sheet_and_repays_the_principal_exactly(euros, months, xpf):
    # 200 € to 3 000 € (the product's range), or the same range in XPF at the legal parity.
    amount = Money(euros * 11933 // 10000, XPF) if xpf else Money(euros, EUR)
    plan = _plan(amount, months)
    rows = plan.rows
    assert round_taeg(plan.taeg) <= MAX_TAEG
    assert sum(r.principal.minor for r in rows) == amount.minor and rows[-1].balance_after.is_zero()
    assert all(r.interest.minor >= 0 for r in rows)
    assert plan.total_interest.minor == sum(r.interest.minor for r in rows)
    usual = _plan(amount, months, None)
    if round_taeg(usual.taeg) > MAX_TAEG:  # rebuilt: the first payment absorbs the residue
        assert rows[0].installment >= rows[1].installment and len({r.installment for r in rows[1:]}) == 1
        assert plan.total_cost <= usual.total_cost
    else:
        assert plan == usual


def test_the_core_s_representative_example_names_the_larger_first_payment():
    sim = simulate_new_credit(
        principal=Money.of("300.00", EUR),
        debit_rate=DEBIT,
        term_months=4,
        first_due_on=FIRST_DUE,
        max_taeg=MAX_TAEG,
    )
    assert "une première mensualité de 78,06" in sim.representative_example
    assert "puis 3 mensualités de 78,04" in sim.representative_example
    assert "TAEG fixe de 21,14" in sim.representative_example
