"""The business day's debits: posted by chunks into one open batch, then written as one file (issue 14).

Several workers post the day's debits side by side, each chunk in its own transaction; the bank still
gets one pain.008 per date, written by the ``file`` step once every chunk is in. Run inline here (the
same code path as the workers); chunks of 2 contracts so a handful of contracts makes several.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from guichet.loans.models import JournalEntry
from guichet.operations import engine, steps
from guichet.operations.models import Chunk, StepRun
from guichet.payments.errors import PaymentsError
from guichet.payments.models import DebitBatch, DebitFilePart, DirectDebit, Mandate
from guichet.payments.services import open_day_batch, post_debit_part, write_day_file

from .test_business_day import FIRST_DUE, _book

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_chunks")]

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def _files() -> set[Path]:
    return set((Path(settings.VAR_DIR) / "debits").glob("*"))


def _file_ids(path: Path) -> list[str]:
    tree = etree.parse(str(path))
    return tree.xpath("//p:DrctDbtTxInf/p:PmtId/p:EndToEndId/text()", namespaces=NS)


def test_the_day_s_debits_from_several_chunks_go_in_one_file(borrower) -> None:
    contracts = _book(borrower, 5)

    day = engine.run_inline(on=FIRST_DUE)

    assert day.status == "done", list(Chunk.objects.exclude(error="").values_list("error", flat=True))
    assert StepRun.objects.get(day=day, name="debits").chunks_total == 3  # 5 contracts by 2
    assert StepRun.objects.get(day=day, name="file").chunks_total == 1
    batch = DebitBatch.objects.get()
    debits = DirectDebit.objects.filter(batch=batch)
    assert batch.status == "sent" and batch.count == 5 == debits.count() == len(contracts)
    assert batch.total_minor == sum(d.amount_minor for d in debits)
    path = Path(settings.VAR_DIR) / "debits" / batch.file_name
    # One transaction per debit, chunk after chunk (each chunk's in contract-number order), and the
    # control sum of the file is the batch's.
    chunks = Chunk.objects.filter(step__day=day, step__name="debits").order_by("first_id")
    expected = [
        e2e
        for chunk in chunks
        for e2e in debits.filter(contract_id__gte=chunk.first_id, contract_id__lte=chunk.last_id)
        .order_by("contract__number")
        .values_list("end_to_end_id", flat=True)
    ]
    assert len(expected) == 5
    assert _file_ids(path) == expected
    control = etree.parse(str(path)).xpath("//p:GrpHdr/p:CtrlSum/text()", namespaces=NS)
    assert control == [f"{batch.total_minor / 100:.2f}"]
    # Each payment entry names the file its debit went out in; the chunks' shares of it are gone.
    entry = JournalEntry.objects.get(idempotency_key=debits.first().entry_key)
    assert batch.file_name in entry.memo
    assert not DebitFilePart.objects.exists()


def test_a_part_the_bank_would_refuse_fails_its_chunk_and_no_file_goes_out(borrower) -> None:
    contracts = _book(borrower, 3)
    bad = contracts[1]
    Mandate.objects.filter(contract=bad).update(iban="FR76-3000-6000")  # refused by the pain.008 XSD
    before = _files()

    day = engine.run_inline(on=FIRST_DUE)

    assert day.status == "failed" and "Prélèvements" in day.error
    failed = Chunk.objects.get(step__day=day, step__name="debits", status="failed")
    assert "does not validate" in failed.error and failed.attempts == 3
    assert StepRun.objects.get(day=day, name="file").status == "pending"  # never started
    assert not DirectDebit.objects.filter(contract=bad).exists()  # its chunk posted nothing
    batch = DebitBatch.objects.get()
    assert batch.status == "open" and batch.count == 0 and _files() == before

    Mandate.objects.filter(contract=bad).update(iban="FR7630006000011234567890189")  # fixed
    assert engine.retry_failed(on=FIRST_DUE) == 1
    assert engine.run_inline(on=FIRST_DUE).status == "done"
    batch.refresh_from_db()
    assert batch.status == "sent" and batch.count == 3 == DirectDebit.objects.filter(batch=batch).count()
    assert len(_file_ids(Path(settings.VAR_DIR) / "debits" / batch.file_name)) == 3


def test_writing_the_day_file_twice_writes_it_once(borrower) -> None:
    _book(borrower, 2)
    engine.run_inline(on=FIRST_DUE)
    files = _files()
    again = write_day_file(on=FIRST_DUE)
    assert again.count == 0 and again.batch is None and _files() == files
    assert DebitBatch.objects.get().status == "sent"


def test_an_open_batch_that_collected_nothing_is_dropped_not_sent_empty(borrower) -> None:
    open_day_batch(on=FIRST_DUE)
    files = _files()
    assert write_day_file(on=FIRST_DUE).count == 0
    assert not DebitBatch.objects.exists() and _files() == files


def test_opening_the_day_batch_twice_gives_the_same_batch() -> None:
    assert open_day_batch(on=FIRST_DUE).pk == open_day_batch(on=FIRST_DUE).pk
    assert DebitBatch.objects.count() == 1


def test_a_part_without_an_open_batch_is_refused_and_posts_nothing(borrower) -> None:
    from guichet.loans.services import post_installment_due

    (loan,) = _book(borrower, 1)
    post_installment_due(contract=loan, line=loan.current_schedule.lines.get(due_on=FIRST_DUE))
    entries = JournalEntry.objects.count()
    with pytest.raises(PaymentsError, match="Aucun lot de prélèvements ouvert"):
        post_debit_part(on=FIRST_DUE, first_id=loan.pk, last_id=loan.pk)
    assert not DirectDebit.objects.exists() and JournalEntry.objects.count() == entries


def test_shares_that_do_not_cover_the_batch_s_debits_write_no_file(borrower, monkeypatch) -> None:
    """The file is written only from shares that add up to the debits posted: one lost, nothing sent."""
    _book(borrower, 3)
    file_step = steps.BY_NAME["file"]
    monkeypatch.setitem(steps.BY_NAME, "file", steps.Step("file", file_step.label, file_step.plan, _nothing))
    engine.run_inline(on=FIRST_DUE)  # every debit posted; the file step did nothing
    batch = DebitBatch.objects.get(status="open")
    assert DebitFilePart.objects.filter(batch=batch).count() == 2  # 3 contracts by 2: two chunks
    DebitFilePart.objects.filter(batch=batch).order_by("first_contract_id").last().delete()
    files = _files()
    with pytest.raises(PaymentsError, match="ses parts comptent 2 débits"):
        write_day_file(on=FIRST_DUE)
    batch.refresh_from_db()
    assert batch.status == "open" and _files() == files


def _nothing(_on, _first, _last) -> int:
    return 0


def test_a_local_channel_day_file_is_one_csv_of_every_chunk_s_lines(borrower, settings) -> None:
    from guichet.lenders.profile import _profile_for

    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()
    _book(borrower, 3)
    day = engine.run_inline(on=FIRST_DUE)
    assert day.status == "done", list(Chunk.objects.exclude(error="").values_list("error", flat=True))
    batch = DebitBatch.objects.get()
    lines = (Path(settings.VAR_DIR) / "debits" / batch.file_name).read_text().splitlines()
    assert lines[0].startswith("reference_mandat;") and len(lines) == 4  # the header once, three debits
    ids = sorted(DirectDebit.objects.values_list("end_to_end_id", flat=True))
    assert sorted(line.split(";")[1] for line in lines[1:]) == ids
