"""A direct-debit run in a transaction of its own on PostgreSQL (the command's case, not a test's
wrapping transaction): the deferred foreign-key checks run before the commit while a second thread
builds the collection file, and a file that fails its XSD leaves nothing behind; the business day's
file waits for a chunk still posting into its batch (issue 14)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from guichet.loans.models import JournalEntry
from guichet.payments.models import DebitBatch, DirectDebit, Mandate
from guichet.payments.sepa import CollectionFileInvalid
from guichet.payments.services import (
    create_mandate,
    open_day_batch,
    post_debit_part,
    run_direct_debits,
    write_day_file,
)

from .test_direct_debits import IBAN, _fall_due

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): the checks moved before the commit are its own")


def _files() -> set[Path]:
    return set((Path(settings.VAR_DIR) / "debits").glob("*"))


def test_a_run_of_its_own_commits_the_file_the_debit_and_its_entry(loan) -> None:
    create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    on = _fall_due(loan)
    assert not connection.in_atomic_block  # the run opens the outermost transaction itself
    run = run_direct_debits(on=on)
    assert run.count == 1 and run.path.exists()
    debit = DirectDebit.objects.get()
    assert debit.batch_id == run.batch.pk and debit.status == "pending"
    entry = JournalEntry.objects.get(idempotency_key=debit.entry_key)
    assert entry.kind == "payment" and sum(p.amount_minor for p in entry.postings.all()) == 0


def test_a_file_failing_its_xsd_posts_nothing_and_writes_no_file(loan) -> None:
    create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    on = _fall_due(loan)
    # An IBAN the pain.008 schema refuses (IBAN2007Identifier: letters and digits only).
    Mandate.objects.filter(contract=loan).update(iban="FR76-3000-6000")
    entries, files = JournalEntry.objects.count(), _files()
    with pytest.raises(CollectionFileInvalid, match="does not validate"):
        run_direct_debits(on=on)
    assert not DebitBatch.objects.exists() and not DirectDebit.objects.exists()
    assert JournalEntry.objects.count() == entries  # the payment entries were rolled back
    assert Mandate.objects.get(contract=loan).first_collected_on is None
    assert _files() == files


def test_every_deferrable_constraint_is_initially_deferred() -> None:
    """``_check_constraints_now`` checks, then sets ``ALL DEFERRED`` to give a caller's transaction its
    deferral back: right only while no constraint is deferrable and initially immediate."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE condeferrable AND NOT condeferred")
        assert cursor.fetchall() == []
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgdeferrable AND NOT tginitdeferred")
        assert cursor.fetchall() == []


def test_checking_the_constraints_keeps_a_caller_s_deferral(loan) -> None:
    """In a caller's transaction, a row written after the check may still name a row written later."""
    from guichet.payments.services.debits import _check_constraints_now

    mandate = create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    with transaction.atomic():
        _check_constraints_now()
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('payments_debitbatch', 'id'))")
            (batch_id,) = cursor.fetchone()
        DirectDebit.objects.create(  # its batch does not exist yet: checked at commit, not now
            contract=loan,
            mandate=mandate,
            batch_id=batch_id,
            due_on=loan.start_on,
            installment_number=1,
            amount_minor=100,
            currency="EUR",
            end_to_end_id="GUI-DEFERRED",
            sequence_type="FRST",
            entry_key="dd:deferred",
        )
        DebitBatch.objects.create(
            id=batch_id,
            channel="sepa",
            collection_on=loan.start_on,
            message_id="GUI-DEFERRED",
            currency="EUR",
        )
    assert DirectDebit.objects.get().batch_id == batch_id


def test_the_day_file_waits_for_a_chunk_still_posting_and_takes_its_debits(loan) -> None:
    """The file step locks the open batch FOR UPDATE; a chunk holds it FOR KEY SHARE until it commits,
    so no debit can land in a batch whose file is already written.

    No timed wait on a thread: libfaketime (the suite's other-date run) breaks them. The chunk's
    thread signals when it has posted, whatever happens; the writer is seen waiting on the lock in
    ``pg_stat_activity``, polled with plain sleeps."""
    create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    on = _fall_due(loan)
    open_day_batch(on=on)
    posted, release, outcome = threading.Event(), threading.Event(), {}

    def chunk() -> None:
        try:
            with transaction.atomic():
                outcome["posted"] = post_debit_part(on=on, first_id=loan.pk, last_id=loan.pk)
                posted.set()
                release.wait()
        finally:
            posted.set()  # also when posting failed: the test must not wait for ever
            connection.close()

    def file() -> None:
        try:
            outcome["run"] = write_day_file(on=on)
        finally:
            connection.close()

    poster = threading.Thread(target=chunk)
    poster.start()
    posted.wait()
    assert outcome.get("posted") == 1
    writer = threading.Thread(target=file)
    writer.start()
    try:
        assert _waits_on_a_lock("FOR UPDATE")  # the file step waits for the chunk's lock
        assert "run" not in outcome
    finally:
        release.set()
        poster.join()
        writer.join()
    run = outcome["run"]
    assert run.count == 1 and run.path.exists()
    assert DirectDebit.objects.get().batch_id == run.batch.pk
    assert DebitBatch.objects.get().status == "sent"


def _waits_on_a_lock(query_part: str) -> bool:
    """Whether another backend of this database waits on a lock running a query with ``query_part``."""
    for _ in range(400):  # up to about 20 s
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND query LIKE %s",
                [f"%{query_part}%"],
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False
