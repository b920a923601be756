"""A direct-debit run in a transaction of its own on PostgreSQL (the command's case, not a test's
wrapping transaction): the deferred foreign-key checks run before the commit while a second thread
builds the collection file, and a file that fails its XSD leaves nothing behind (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from guichet.loans.models import JournalEntry
from guichet.payments.models import DebitBatch, DirectDebit, Mandate
from guichet.payments.sepa import CollectionFileInvalid
from guichet.payments.services import create_mandate, run_direct_debits

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
