"""On PostgreSQL, two transactions posting to one contract at once leave its position equal to the ledger."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from guichet.credit import EUR, Money
from guichet.loans.models import ContractPosition, JournalEntry
from guichet.loans.services import contract_account, lender_account, post_entry
from guichet.loans.services.positions import differences
from tests.factories import make_contract

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _pay(contract, key: str, minor: int) -> None:
    post_entry(
        key=key,
        kind=JournalEntry.Kind.PAYMENT,
        effective_on=date(2026, 2, 10),
        contract=contract,
        lines=[
            (lender_account("clearing", "EUR"), Money(minor, EUR)),
            (contract_account(contract, "suspense"), -Money(minor, EUR)),
        ],
    )


def test_a_second_posting_waits_for_the_first_and_the_position_keeps_both():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    contract = make_contract()
    _pay(contract, "pay-0", 500)  # the accounts exist: creating one would make the second wait anyway
    first_posted, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                _pay(contract, "pay-1", 1_000)
                first_posted.set()
                time.sleep(1.0)  # the second one posts meanwhile
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    def second():
        try:
            assert first_posted.wait(10)
            with transaction.atomic():
                _pay(contract, "pay-2", 2_000)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert ContractPosition.objects.get(contract=contract).suspense_minor == -3_500
    assert ContractPosition.objects.get(contract=contract).paid_minor == 3_500
    assert list(differences([contract.pk])) == []
