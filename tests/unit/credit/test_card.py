"""Card rules of seed 004: rolling caps at their boundaries, fee-free withdrawals across month ends,
FX conversion at the ECB rate plus the network margin, one currency notice per card, currency, month."""

from datetime import date
from decimal import Decimal

from guichet.credit import EUR, Money
from guichet.credit.card import (
    CardUse,
    annual_fee,
    authorize,
    convert_to_euros,
    notice_due,
    withdrawal_fee,
    withdrawal_fees,
)

E = lambda s: Money.of(s, EUR)  # noqa: E731
BIG = E("5000")


def test_a_500_euro_withdrawal_still_counts_on_the_7th_day_and_no_longer_on_the_8th():
    uses = [CardUse(date(2027, 1, 1), E("500"), "atm")]
    refused = authorize(uses, kind="atm", amount=E("20"), on=date(2027, 1, 7), available=BIG)
    assert not refused.ok and "7 derniers jours" in refused.reason and refused.window_left == E("0")
    assert authorize(uses, kind="atm", amount=E("500"), on=date(2027, 1, 8), available=BIG).ok


def test_payments_count_on_the_30th_day_and_no_longer_on_the_31st():
    uses = [CardUse(date(2027, 1, 1), E("1400"), "payment")]
    assert authorize(uses, kind="payment", amount=E("100"), on=date(2027, 1, 30), available=BIG).ok
    refused = authorize(uses, kind="payment", amount=E("100.01"), on=date(2027, 1, 30), available=BIG)
    assert not refused.ok and "30 derniers jours" in refused.reason
    assert authorize(uses, kind="payment", amount=E("1500"), on=date(2027, 1, 31), available=BIG).ok


def test_withdrawals_and_payments_have_separate_caps():
    uses = [CardUse(date(2027, 1, 1), E("500"), "atm")]
    assert authorize(uses, kind="payment", amount=E("1500"), on=date(2027, 1, 2), available=BIG).ok


def test_a_payment_is_capped_by_the_amount_available_on_the_line():
    refused = authorize([], kind="payment", amount=E("300"), on=date(2027, 1, 2), available=E("299.99"))
    assert not refused.ok and "disponible" in refused.reason


def test_two_withdrawals_a_month_are_free_on_old_cards_and_the_count_restarts_each_month():
    old = date(2012, 5, 1)
    assert withdrawal_fee(card_requested_on=old, earlier_this_month=0) == E("0")
    assert withdrawal_fee(card_requested_on=old, earlier_this_month=1) == E("0")
    assert withdrawal_fee(card_requested_on=old, earlier_this_month=2) == E("2")
    # Across a month end: the third of January pays, the first two of February are free again.
    dates = [date(2027, 1, 30), date(2027, 1, 31), date(2027, 1, 31), date(2027, 2, 1), date(2027, 2, 1)]
    assert withdrawal_fees(dates, card_requested_on=old) == [E("0"), E("0"), E("2"), E("0"), E("0")]


def test_cards_requested_after_9_september_2013_pay_1_euro_a_withdrawal_and_no_annual_fee():
    new = date(2013, 9, 10)
    assert withdrawal_fee(card_requested_on=new, earlier_this_month=0) == E("1")
    assert annual_fee(card_requested_on=new) == E("0")
    assert annual_fee(card_requested_on=date(2013, 9, 9)) == E("24")


def test_a_foreign_amount_is_converted_at_the_ecb_rate_plus_the_network_margin():
    # 100 CHF at 0.9350 CHF per euro, Visa margin 0.34055 %: 100 / 0.935 × 1.0034055 = 107.3161 €.
    assert convert_to_euros(
        10000, exponent=2, ecb_rate=Decimal("0.9350"), margin_percent=Decimal("0.34055")
    ) == E("107.32")
    # HUF has 2 decimals in ISO 4217 too; BGN has a 0 % margin.
    assert convert_to_euros(19558, exponent=2, ecb_rate=Decimal("1.95583"), margin_percent=Decimal("0")) == E(
        "100"
    )


def test_one_currency_notice_per_card_currency_and_month_not_for_professional_cards_or_opted_out():
    sent = [(1, "CHF", 2027, 1)]
    assert not notice_due(sent=sent, card_id=1, currency="CHF", on=date(2027, 1, 31))
    assert notice_due(sent=sent, card_id=1, currency="CHF", on=date(2027, 2, 1))
    assert notice_due(sent=sent, card_id=1, currency="SEK", on=date(2027, 1, 15))
    assert notice_due(sent=sent, card_id=2, currency="CHF", on=date(2027, 1, 15))
    assert not notice_due(sent=[], card_id=1, currency="CHF", on=date(2027, 1, 1), professional=True)
    assert not notice_due(sent=[], card_id=1, currency="CHF", on=date(2027, 1, 1), opted_out=True)
