"""Early repayment: quote, SMS confirmation bound to amount and contract, posting that agrees with the
quote to the minor unit, and the refusals a customer can understand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guichet.credit import EUR, Money
from guichet.customers.exceptions import CodeInvalid
from guichet.documents.models import Document
from guichet.loans.models import Contract, JournalEntry
from guichet.loans.selectors import balance_of
from guichet.payments.errors import EarlyRepaymentRefused, PostingRefused
from guichet.payments.models import PaymentInstruction
from guichet.payments.services import (
    confirm_early_repayment,
    post_received_payment,
    quote_early_repayment,
    request_early_repayment_code,
)


def _code(sms_outbox, customer) -> str:
    text = sms_outbox.last_to(customer.phone)["text"]
    return next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) >= 4)


def test_total_quote_adds_principal_accrued_interest_and_capped_indemnity(loan, today) -> None:
    q = quote_early_repayment(contract=loan, on=today + timedelta(days=3))
    assert q.total == q.principal + q.interest + q.indemnity.amount + q.arrears + q.falling_due
    # 10 000 € repaid in full: under the D312-15 threshold of 10 000 € over 12 months, no indemnity.
    assert q.indemnity.amount.is_zero() and "D312-15" in q.indemnity.cap_reason
    assert q.interest.minor > 0


def test_total_repayment_posted_closes_contract_and_agrees_with_quote(
    loan, borrower, today, sms_outbox, mailbox, django_capture_on_commit_callbacks
) -> None:
    on = today + timedelta(days=2)
    q = quote_early_repayment(contract=loan, on=on)
    request_early_repayment_code(customer=borrower, quote=q)
    instr = confirm_early_repayment(customer=borrower, quote=q, code=_code(sms_outbox, borrower))
    assert instr.amount == q.total and instr.reference.startswith("RA")
    with django_capture_on_commit_callbacks(execute=True):
        posted = post_received_payment(reference=instr.reference, amount=q.total)
    entry = JournalEntry.objects.get(idempotency_key=f"early:{instr.reference}")
    clearing = entry.postings.get(account__code="clearing:EUR").amount_minor
    assert clearing == q.total.minor  # quote and posting agree to the cent
    loan.refresh_from_db()
    assert loan.status == Contract.Status.CLOSED and posted.status == "posted"
    assert balance_of(loan).outstanding_principal.is_zero()
    assert Document.objects.filter(contract=loan, kind="balance_attestation").exists()
    # Replaying the bank's notice posts nothing more.
    post_received_payment(reference=instr.reference, amount=q.total)
    assert JournalEntry.objects.filter(kind="early_repayment").count() == 1


def test_partial_repayment_shows_both_modes_and_replaces_schedule(
    loan, borrower, today, sms_outbox, mailbox, django_capture_on_commit_callbacks
) -> None:
    on = today + timedelta(days=1)
    q = quote_early_repayment(contract=loan, on=on, amount=Money.of("2000.00", EUR), mode="reduce_term")
    term, inst = q.outcomes["reduce_term"], q.outcomes["reduce_installment"]
    assert term.new_end_on < inst.new_end_on and inst.new_installment < term.new_installment
    assert term.interest_saved > inst.interest_saved
    old_version = loan.current_schedule_id
    request_early_repayment_code(customer=borrower, quote=q)
    instr = confirm_early_repayment(customer=borrower, quote=q, code=_code(sms_outbox, borrower))
    with django_capture_on_commit_callbacks(execute=True):
        post_received_payment(reference=instr.reference, amount=q.total)
    loan.refresh_from_db()
    assert loan.current_schedule_id != old_version
    last = loan.current_schedule.lines.order_by("-number").first()
    assert last.due_on == term.new_end_on and last.balance_after_minor == 0
    entry = JournalEntry.objects.get(idempotency_key=f"early:{instr.reference}")
    assert entry.postings.get(account__code="clearing:EUR").amount_minor == q.total.minor
    assert Document.objects.filter(contract=loan, kind="amortization_table").exists()


def test_code_sent_for_one_amount_cannot_confirm_another(loan, borrower, today, sms_outbox) -> None:
    on = today + timedelta(days=1)
    q1 = quote_early_repayment(contract=loan, on=on, amount=Money.of("1000.00", EUR), mode="reduce_term")
    q2 = quote_early_repayment(contract=loan, on=on, amount=Money.of("3000.00", EUR), mode="reduce_term")
    request_early_repayment_code(customer=borrower, quote=q1)
    with pytest.raises(CodeInvalid):
        confirm_early_repayment(customer=borrower, quote=q2, code=_code(sms_outbox, borrower))
    assert not PaymentInstruction.objects.exists()


@pytest.mark.parametrize(
    ("amount", "days", "fragment"),
    [("999999.00", 1, "dépasse"), ("100.00", -1, "passé"), ("-5.00", 1, "positif")],
)
def test_refusals_are_explained(loan, today, amount, days, fragment) -> None:
    with pytest.raises(EarlyRepaymentRefused, match=fragment):
        quote_early_repayment(contract=loan, on=today + timedelta(days=days), amount=Money.of(amount, EUR))


def test_closed_contract_and_revolving_line_are_refused(loan, today) -> None:
    loan.status = Contract.Status.CLOSED
    with pytest.raises(EarlyRepaymentRefused, match="soldé"):
        quote_early_repayment(contract=loan, on=today)
    loan.status, loan.kind = Contract.Status.OPEN, Contract.Kind.REVOLVING
    with pytest.raises(EarlyRepaymentRefused, match="renouvelable"):
        quote_early_repayment(contract=loan, on=today)


def test_received_amount_different_from_instruction_posts_nothing(loan, borrower, today) -> None:
    from guichet.payments.services import create_instruction

    q = quote_early_repayment(contract=loan, on=today + timedelta(days=1))
    instr = create_instruction(customer=borrower, quote=q)
    with pytest.raises(PostingRefused):
        post_received_payment(reference=instr.reference, amount=q.total - Money(1, EUR))
    assert not JournalEntry.objects.filter(kind="early_repayment").exists()
    instr.refresh_from_db()
    assert instr.status == "awaiting"
