"""Two concurrent confirmations of the same quote produce one payment instruction, and two concurrent
postings of the same transfer one ledger entry (two real PostgreSQL connections, one per thread)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from guichet.loans.models import JournalEntry
from guichet.payments.models import PaymentInstruction
from guichet.payments.services import create_instruction, post_received_payment, quote_early_repayment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so no real race")


def _race(fn, n: int = 2) -> list[object]:
    barrier, results = threading.Barrier(n), []

    def run() -> None:
        try:
            barrier.wait()
            results.append(fn())
        except Exception as exc:  # collected and asserted by the test
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_concurrent_confirmations_of_one_quote_make_one_instruction(loan, borrower, today) -> None:
    quote = quote_early_repayment(contract=loan, on=today + timedelta(days=1))
    results = _race(lambda: create_instruction(customer=borrower, quote=quote).pk)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert PaymentInstruction.objects.count() == 1


def test_two_concurrent_postings_of_one_transfer_post_once(loan, borrower, today) -> None:
    quote = quote_early_repayment(contract=loan, on=today + timedelta(days=1))
    instr = create_instruction(customer=borrower, quote=quote)
    results = _race(lambda: post_received_payment(reference=instr.reference, amount=quote.total).status)
    assert results == ["posted", "posted"], results
    assert JournalEntry.objects.filter(kind="early_repayment").count() == 1
