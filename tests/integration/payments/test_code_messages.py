"""SMS codes say what they confirm and for how long (issue 16): the operation and its amount, and
"10 min" for a 10-minute code (it said 9: the minutes left were rounded down a few ms after issue).
PSD2 dynamic linking (Regulation 2018/389 art. 5): the payer is told the amount it authorises."""

from __future__ import annotations

from datetime import timedelta

from guichet.customers.codes import issue_code
from guichet.lenders.formatting import format_money
from guichet.payments.services import quote_early_repayment
from guichet.payments.services.early import request_early_repayment_code
from guichet.payments.services.mandates import request_bank_details_change


def test_a_ten_minute_code_says_ten_minutes_and_names_the_sign_in(borrower, sms_outbox) -> None:
    issue_code(purpose="login", bound_to="login:x", user=borrower.user, channel="sms")
    text = sms_outbox.last_to(borrower.phone)["text"]
    assert "10 min" in text and "9 min" not in text
    assert "vous connecter" in text


def test_the_early_repayment_code_names_the_operation_and_the_amount(
    borrower, loan, today, sms_outbox
) -> None:
    quote = quote_early_repayment(contract=loan, on=today + timedelta(days=3))
    request_early_repayment_code(customer=borrower, quote=quote)
    text = sms_outbox.last_to(borrower.phone)["text"]
    assert "remboursement anticipé" in text and loan.number in text
    assert format_money(quote.total, "fr") in text


def test_the_bank_details_code_names_the_new_account(borrower, loan, sms_outbox) -> None:
    iban = "FR7630006000011234567890189"
    request_bank_details_change(customer=borrower, contract=loan, holder_name="Camille Martin", iban=iban)
    text = sms_outbox.last_to(borrower.phone)["text"]
    assert "0189" in text and loan.number in text
