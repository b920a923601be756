"""Positions as data (issue 15): every ledger writer keeps ContractPosition equal to the ledger."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from guichet.credit import EUR, Money
from guichet.loans.models import ContractPosition, JournalEntry
from guichet.loans.positions import position_of
from guichet.loans.services import (
    EntrySpec,
    contract_account,
    lender_account,
    post_entries,
    post_installment_due,
    post_payment,
    reverse_entry,
)
from guichet.loans.services.positions import differences
from tests.factories import make_contract

pytestmark = pytest.mark.django_db


def _lines(contract):
    return list(contract.schedule_lines.filter(version=contract.current_schedule).order_by("number"))


def _stored(contract) -> ContractPosition:
    return ContractPosition.objects.get(contract=contract)


def test_opening_a_contract_stores_its_position_with_the_drawdown_and_first_line_as_next():
    contract = make_contract(amount="10000.00")
    stored = _stored(contract)
    first = _lines(contract)[0]
    assert (stored.lent_minor, stored.principal_minor, stored.paid_minor) == (1_000_000, 1_000_000, 0)
    assert (stored.next_line_number, stored.next_due_on) == (1, first.due_on)
    assert stored.next_amount_minor == first.total_due_minor
    assert list(differences([contract.pk])) == []


def test_installment_due_payment_and_return_each_move_the_position_in_their_transaction():
    contract = make_contract()
    first, second = _lines(contract)[:2]
    post_installment_due(contract=contract, line=first)
    stored = _stored(contract)
    assert stored.unpaid[0][0] == first.due_on.isoformat()
    assert stored.arrears_minor(date(2026, 3, 11)) == first.total_due_minor
    assert stored.days_past_due(date(2026, 3, 20)) == (date(2026, 3, 20) - first.due_on).days
    payment = post_payment(
        contract=contract, amount=Money(first.total_due_minor, EUR), on=first.due_on, key="p1"
    )
    stored = _stored(contract)
    assert stored.unpaid == [] and stored.arrears_minor(date(2026, 6, 1)) == 0
    assert (stored.next_line_number, stored.next_due_on) == (2, second.due_on)
    assert stored.paid_minor == first.total_due_minor
    reverse_entry(
        entry=payment, key="ret1", reason="rejet", on=date(2026, 2, 15), kind=JournalEntry.Kind.PAYMENT_RETURN
    )
    stored = _stored(contract)
    assert stored.arrears_minor(date(2026, 3, 1)) == first.total_due_minor
    assert stored.installments_covered_minor == position_of(contract.pk).installments_covered_minor
    assert list(differences([contract.pk])) == []


def test_the_bulk_writer_keeps_positions_equal_to_the_ledger():
    contracts = [make_contract() for _ in range(3)]
    for c in contracts:
        post_installment_due(contract=c, line=_lines(c)[0])
    specs = [
        EntrySpec(
            key=f"bulk:{c.number}",
            kind=JournalEntry.Kind.PAYMENT,
            effective_on=date(2026, 2, 10),
            contract=c,
            lines=[
                (lender_account("clearing", "EUR"), Money(5000 * (i + 1), EUR)),
                (contract_account(c, "due:interest"), -Money(5000 * (i + 1), EUR)),
            ],
        )
        for i, c in enumerate(contracts)
    ]
    assert post_entries(specs) == 3
    for c in contracts:
        assert _stored(c).interest_due_minor == position_of(c.pk).balance("interest_due")
        assert _stored(c).paid_minor == position_of(c.pk).paid_minor
    assert list(differences([c.pk for c in contracts])) == []


def test_a_failed_entry_leaves_the_position_as_it_was():
    contract = make_contract()
    before = _stored(contract).principal_minor
    with pytest.raises(RuntimeError), transaction.atomic():
        post_installment_due(contract=contract, line=_lines(contract)[0])
        raise RuntimeError("the caller fails after posting")
    assert _stored(contract).principal_minor == before
    assert list(differences([contract.pk])) == []


def test_check_positions_fails_on_a_tampered_position_and_rebuild_positions_repairs_it(capsys):
    contract = make_contract()
    post_installment_due(contract=contract, line=_lines(contract)[0])
    call_command("check_positions")
    ContractPosition.objects.filter(contract=contract).update(principal_minor=1, unpaid=[])
    with pytest.raises(CommandError, match="1 of 1 contracts"):
        call_command("check_positions")
    assert "principal_minor: stored 1" in capsys.readouterr().out
    call_command("rebuild_positions")
    call_command("check_positions")
    assert "every position equals its ledger" in capsys.readouterr().out


def test_check_positions_reports_a_contract_whose_row_is_missing():
    contract = make_contract()
    ContractPosition.objects.filter(contract=contract).delete()
    with pytest.raises(CommandError):
        call_command("check_positions")
    call_command("rebuild_positions", contract=[contract.number])
    call_command("check_positions")
