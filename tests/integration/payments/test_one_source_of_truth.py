"""One state for one thing (issue 9): the account the contract shows is the active mandate's, and a
debit collected ahead of its date is "en cours" in the history and not "Payée" in the calendar until
its date, then paid in both."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.loans.selectors import schedule_of
from guichet.loans.services import post_installment_due
from guichet.payments.selectors import payment_history
from guichet.payments.services import create_mandate, run_direct_debits
from tests.factories import make_contract, make_customer, verify_identity

from .conftest import settle_past_installments

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
TODAY = date(2026, 12, 2)


@pytest.fixture
def loan():
    customer = verify_identity(make_customer(phone="+33612345678"))
    contract = make_contract(
        customer, "6000.00", 24, start_on=date(2026, 6, 5), bank_account_masked="FR76 **** 0000"
    )
    settle_past_installments(contract, TODAY)
    return contract


def test_the_contract_shows_the_account_of_its_active_mandate(loan) -> None:
    mandate = create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    loan.refresh_from_db()
    assert loan.bank_account_masked == mandate.iban_masked == "FR76 **** 0189"


def test_a_debit_collected_ahead_of_its_date_is_pending_everywhere_until_that_date(loan) -> None:
    create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    due_on = date(2026, 12, 5)
    post_installment_due(contract=loan, line=loan.current_schedule.lines.get(due_on=due_on))
    run_direct_debits(on=due_on)  # the file is built on 02/12 for a collection on 05/12

    def states(on: date) -> tuple[str, str]:
        line = next(v for v in schedule_of(loan, "all", on) if v.due_on == due_on)
        debit = next(h for h in payment_history(contracts=[loan], today=on) if h.on == due_on)
        return line.status, debit.status

    assert states(TODAY) == ("upcoming", "pending")
    assert states(due_on) == ("paid", "posted")
