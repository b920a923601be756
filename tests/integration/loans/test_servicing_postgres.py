"""On PostgreSQL, workers claim servicing chunks with SKIP LOCKED: a locked contract is left to its holder."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from guichet.loans.models import Contract, JournalEntry
from guichet.loans.services import run_daily_servicing
from tests.factories import make_contract

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_servicing_skips_contracts_locked_by_another_worker_and_a_rerun_completes_them():
    if connection.vendor != "postgresql":
        pytest.skip("SELECT … FOR UPDATE SKIP LOCKED needs PostgreSQL")
    busy, free = make_contract(), make_contract()
    due_on = date(2026, 2, 10)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            Contract.objects.select_for_update().get(pk=busy.pk)
            locked.set()
            release.wait(10)
        connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    assert locked.wait(10)
    try:
        report = run_daily_servicing(on=due_on, chunk_size=1)
    finally:
        release.set()
        worker.join()
    posted = set(JournalEntry.objects.filter(kind="installment_due").values_list("contract_id", flat=True))
    assert posted == {free.pk} and report.installments_posted == 1
    assert run_daily_servicing(on=due_on).installments_posted == 1  # the other contract, once free
