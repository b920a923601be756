"""3 x CB and 4 x CB simulated from the shipped tariff show the sheet's TAEG (seed 004: "TAEG fixe
maximum de 21,15%"), not the 21,17 % that half-up installments gave (issue 9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from guichet.credit import EUR, Money
from guichet.payments.simulations import simulate_credit


@pytest.fixture(autouse=True)
def _today(time_machine):
    # The shipped tariff is the 1 Jan 2022 sheet; simulate while it is the tariff in force.
    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)


@pytest.mark.parametrize(("code", "months"), [("3xcb", 3), ("4xcb", 4)])
def test_split_payment_simulation_never_shows_more_than_the_published_taeg(tariff, code, months) -> None:
    for euros in ("300.00", "200.00", "1234.56", "2999.99"):
        result = simulate_credit(
            product_code=code, amount=Money.of(euros, EUR), term_months=months, on=date(2022, 3, 15)
        )
        assert result.taeg <= Decimal("0.2115"), (euros, result.taeg)
        assert "21,15" in result.representative_example or result.taeg < Decimal("0.2115")


def test_3_x_cb_of_300_euros_is_three_payments_of_103_24(tariff) -> None:
    result = simulate_credit(
        product_code="3xcb", amount=Money.of("300.00", EUR), term_months=3, on=date(2022, 3, 15)
    )
    assert result.taeg == Decimal("0.2115")
    assert result.installment == Money.of("103.24", EUR) and result.total_cost == Money.of("9.72", EUR)


def test_the_representative_example_names_the_larger_first_payment_of_4_x_cb(tariff) -> None:
    result = simulate_credit(
        product_code="4xcb", amount=Money.of("300.00", EUR), term_months=4, on=date(2022, 3, 15)
    )
    text = result.representative_example
    assert "première mensualité de 78,06" in text and "3 mensualités de 78,04" in text, text


def test_a_3_x_cb_contract_opened_at_the_tariff_rate_keeps_the_published_taeg(tariff, db) -> None:
    # The plan the customer was shown is the one the contract stores: the opening path rounds the
    # same way as the simulation (issue 9: it passed no maximum and stored 21,17 %).
    from tests.factories import make_contract

    contract = make_contract(
        amount="300.00", term_months=3, product_code="3xcb", debit_rate=None, start_on=date(2022, 3, 15)
    )
    lines = list(contract.current_schedule.lines.order_by("number"))
    assert contract.taeg == Decimal("0.2115")
    assert [ln.installment_minor for ln in lines] == [10324, 10324, 10324]
