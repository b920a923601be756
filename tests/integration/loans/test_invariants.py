"""The contract invariants (guichet.loans.invariants) catch each way a contract can stop being exact."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.credit import EUR, Money
from guichet.loans.errors import InvariantBroken
from guichet.loans.invariants import check_balances, check_contract
from guichet.loans.models import ScheduleLine
from guichet.loans.services import contract_account, lender_account, post_entry, post_installment_due
from tests.factories import make_contract

pytestmark = pytest.mark.django_db


def test_a_freshly_opened_contract_keeps_every_invariant():
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    check_contract(contract)
    check_balances([contract.pk])


def test_principal_taken_off_the_ledger_without_a_new_schedule_is_caught():
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    post_entry(
        key="stray-early",
        kind="early_repayment",
        effective_on=date(2026, 3, 1),
        contract=contract,
        lines=[
            (lender_account("clearing", "EUR"), Money.of("100.00", EUR)),
            (contract_account(contract, "principal"), -Money.of("100.00", EUR)),
        ],
    )
    with pytest.raises(InvariantBroken, match="capital prêté"):
        check_contract(contract)


def test_an_installment_posted_with_other_amounts_than_the_schedule_is_caught():
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    line = ScheduleLine.objects.get(version=contract.current_schedule, number=1)
    post_installment_due(contract=contract, line=line)
    ScheduleLine.objects.filter(pk=line.pk).update(due_on=date(2026, 2, 11))  # the ledger no longer matches
    with pytest.raises(InvariantBroken, match="capital non échu"):
        check_contract(contract)


def test_two_installments_in_one_month_are_caught():
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    ScheduleLine.objects.filter(version=contract.current_schedule, number=2).update(due_on=date(2026, 2, 20))
    with pytest.raises(InvariantBroken, match="deux échéances en 02/2026"):
        check_contract(contract)


def _pay(contract, key: str, part: str, amount: str) -> None:
    """A payment of ``amount`` from clearing to the contract's ``part`` account (a credit there)."""
    post_entry(
        key=key,
        kind="payment",
        effective_on=date(2026, 3, 1),
        contract=contract,
        lines=[
            (lender_account("clearing", "EUR"), Money.of(amount, EUR)),
            (contract_account(contract, part), -Money.of(amount, EUR)),
        ],
    )


def test_a_due_account_paid_beyond_its_balance_is_caught_in_bulk():
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    _pay(contract, "overpaid-interest", "due:interest", "5.00")
    with pytest.raises(InvariantBroken, match=f"{contract.number}.*solde négatif"):
        check_balances([contract.pk])


def test_check_balances_limited_to_some_kinds_looks_at_those_accounts_only():
    """A debit run checks only the due accounts it credits; another account's problem is not its
    finding, and an overpaid due account is found with the restriction too."""
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    _pay(contract, "suspense-owed-by-customer", "suspense", "-5.00")  # the customer owes the suspense
    due = ("interest_due", "principal_due", "insurance_due")
    check_balances([contract.pk], kinds=due)  # the suspense account is not among them
    with pytest.raises(InvariantBroken, match=contract.number):
        check_balances([contract.pk])
    _pay(contract, "overpaid-interest", "due:interest", "5.00")
    with pytest.raises(InvariantBroken, match=f"{contract.number}.*solde négatif"):
        check_balances([contract.pk], kinds=due)
