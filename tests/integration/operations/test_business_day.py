"""The business day run in order, chunk by chunk, on the ledger (issue 14); inline, without a queue."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from guichet.loans.models import Contract, JournalEntry
from guichet.loans.services import post_installment_due, post_payment
from guichet.loans.services.positions import refresh_positions
from guichet.operations import engine, steps
from guichet.operations.metrics import prometheus_text
from guichet.operations.models import BusinessDay, Chunk, StepRun
from guichet.payments.models import DirectDebit
from guichet.payments.services import create_mandate
from tests.factories import make_contract

IBAN = "FR7630006000011234567890189"
START = date(2026, 1, 10)
FIRST_DUE = date(2026, 2, 10)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_chunks")]


def _book(borrower, n: int) -> list[Contract]:
    contracts = [make_contract(borrower, start_on=START) for _ in range(n)]
    for c in contracts:
        create_mandate(contract=c, holder_name="Camille Martin", iban=IBAN)
    return contracts


def test_business_day_posts_each_installment_once_and_debits_exactly_what_fell_due(borrower) -> None:
    contracts = _book(borrower, 5)

    day = engine.run_inline(on=FIRST_DUE)

    assert day.status == "done", list(Chunk.objects.exclude(error="").values_list("error", flat=True))
    dues = JournalEntry.objects.filter(kind="installment_due", effective_on=FIRST_DUE)
    assert sorted(dues.values_list("contract_id", flat=True)) == sorted(c.pk for c in contracts)
    for c in contracts:
        line = c.current_schedule.lines.get(due_on=FIRST_DUE)
        assert DirectDebit.objects.get(contract=c).amount_minor == line.total_due_minor
    assert StepRun.objects.get(day=day, name="installments").chunks_total == 3  # 5 contracts by 2
    # The same date again: nothing more is posted or collected.
    BusinessDay.objects.all().delete()
    assert engine.run_inline(on=FIRST_DUE).status == "done"
    assert dues.count() == 5 and DirectDebit.objects.count() == 5


def test_bulk_installments_are_the_same_entries_post_installment_due_writes(borrower) -> None:
    """One key and fingerprint per installment whichever writer posted it: a mixed re-run is a no-op."""
    one, other = _book(borrower, 2)
    post_installment_due(contract=one, line=one.current_schedule.lines.get(due_on=FIRST_DUE))
    engine.run_inline(on=FIRST_DUE)
    keys = set(JournalEntry.objects.filter(kind="installment_due").values_list("idempotency_key", flat=True))
    assert keys == {f"due:{c.number}:1:1" for c in (one, other)}
    single = JournalEntry.objects.get(contract=one, kind="installment_due")
    bulk = JournalEntry.objects.get(contract=other, kind="installment_due")
    assert {p.account.kind for p in single.postings.all()} == {p.account.kind for p in bulk.postings.all()}


def test_each_step_starts_after_the_previous_one_is_done(borrower) -> None:
    _book(borrower, 3)
    day = engine.run_inline(on=FIRST_DUE)
    runs = list(StepRun.objects.filter(day=day).order_by("position"))
    assert [r.name for r in runs] == [s.name for s in steps.STEPS]
    assert all(r.status == "done" for r in runs)
    finished = [r.finished_at for r in runs]
    assert finished == sorted(finished)
    for before, after in pairwise(runs):
        if after.started_at:
            assert after.started_at >= before.finished_at


def test_a_contract_with_nothing_due_that_day_is_not_in_any_chunk(borrower) -> None:
    _due, other = _book(borrower, 2)
    other_line = other.current_schedule.lines.get(number=1)
    assert other_line.due_on == FIRST_DUE
    later = make_contract(borrower, start_on=date(2026, 1, 20))  # first due on the 20th
    day = engine.run_inline(on=FIRST_DUE)
    step = StepRun.objects.get(day=day, name="installments")
    assert step.contracts_total == 2
    assert not Chunk.objects.filter(step=step, first_id__lte=later.pk, last_id__gte=later.pk).exists()


def test_unpaid_installment_makes_the_contract_delinquent_the_next_day_and_payment_cures_it(borrower) -> None:
    (loan,) = _book(borrower, 1)
    engine.run_inline(on=FIRST_DUE)
    DirectDebit.objects.all().delete()  # as if the debit had been rejected and its entry reversed
    JournalEntry.objects.filter(kind="payment").delete()
    refresh_positions([loan.pk])  # the deletion went round the ledger writers that keep positions
    engine.run_inline(on=date(2026, 2, 11))
    loan.refresh_from_db()
    assert loan.status == Contract.Status.DELINQUENT
    line = loan.current_schedule.lines.get(due_on=FIRST_DUE)
    post_payment(contract=loan, amount=loan.money(line.total_due_minor), on=date(2026, 2, 12), key="t:cure")
    engine.run_inline(on=date(2026, 2, 12))
    loan.refresh_from_db()
    assert loan.status == Contract.Status.OPEN


def test_a_failing_chunk_is_retried_then_reported_and_the_day_stops_there(borrower, monkeypatch) -> None:
    _book(borrower, 3)
    calls = []

    def broken(on, first_id, last_id):
        calls.append((first_id, last_id))
        raise RuntimeError("statement service unavailable")

    step = steps.BY_NAME["installments"]
    monkeypatch.setitem(steps.BY_NAME, "installments", steps.Step(step.name, step.label, step.plan, broken))

    day = engine.run_inline(on=FIRST_DUE)

    assert day.status == "failed" and "Échéances exigibles" in day.error
    failed = Chunk.objects.filter(step__day=day, status="failed")
    assert failed.count() == 2 and all(c.attempts == 3 for c in failed)  # 3 contracts by 2: two chunks
    assert "statement service unavailable" in failed.first().error
    assert len(calls) == 6
    assert not JournalEntry.objects.filter(kind="installment_due").exists()
    assert StepRun.objects.get(day=day, name="debits").status == "pending"  # never started
    assert 'guichet_business_day_chunks_failed{date="2026-02-10",step="installments"} 2' in prometheus_text()

    monkeypatch.setitem(steps.BY_NAME, "installments", step)  # fixed: retry the failed chunks
    assert engine.retry_failed(on=FIRST_DUE) == 2
    assert engine.run_inline(on=FIRST_DUE).status == "done"
    assert JournalEntry.objects.filter(kind="installment_due").count() == 3


def test_a_repaid_contract_is_closed_on_its_last_due_date(borrower) -> None:
    loan = make_contract(borrower, amount="1200.00", term_months=2, start_on=START)
    lines = list(loan.current_schedule.lines.order_by("number"))
    for line in lines:
        post_installment_due(contract=loan, line=line)
        post_payment(
            contract=loan, amount=loan.money(line.total_due_minor), on=line.due_on, key=f"t:{line.pk}"
        )
    engine.run_inline(on=lines[0].due_on)
    loan.refresh_from_db()
    assert loan.status == Contract.Status.OPEN  # a line is still ahead
    engine.run_inline(on=lines[-1].due_on)
    loan.refresh_from_db()
    assert loan.status == Contract.Status.CLOSED and loan.closed_at is not None


def test_metrics_are_in_the_prometheus_text_format(borrower) -> None:
    _book(borrower, 2)
    engine.run_inline(on=FIRST_DUE)
    text = prometheus_text()
    assert "# TYPE guichet_business_day_status gauge" in text
    assert 'guichet_business_day_status{date="2026-02-10"} 2' in text
    assert 'guichet_business_day_chunks_done{date="2026-02-10",step="installments"} 1' in text
    assert text.endswith("\n")


def test_a_revolving_statement_falls_due_once_on_the_debit_day_and_reaches_the_documents(borrower) -> None:
    from decimal import Decimal

    from guichet.credit import Money, currency
    from guichet.documents.models import Document
    from guichet.loans.services import draw_revolving, open_revolving

    eur = currency("EUR")
    line = open_revolving(
        product_code="accessio-confort",
        limit=Money.of("5000.00", eur),
        start_on=date(2026, 1, 2),
        customers=[borrower],
        debit_day=5,
        debit_rate=Decimal("0.0938"),
    )
    draw_revolving(contract=line, amount=Money.of("3500.00", eur), on=date(2026, 1, 3), key="d")
    on = date(2026, 2, 5)
    engine.run_inline(on=on)
    BusinessDay.objects.all().delete()
    engine.run_inline(on=on)
    statement = JournalEntry.objects.get(contract=line, kind="installment_due")
    assert statement.idempotency_key == f"statement:{line.number}:{on.isoformat()}"
    assert Document.objects.filter(contract=line, kind=Document.Kind.STATEMENT).count() == 1
