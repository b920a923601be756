"""SEPA mandates, the daily pain.008 run and the return file, end to end on the ledger."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.loans.models import Contract, JournalEntry
from guichet.loans.selectors import balance_of
from guichet.payments.errors import MandateRefused
from guichet.payments.models import DebitBatch, DirectDebit, Mandate
from guichet.payments.returns import ReturnFileInvalid
from guichet.payments.sepa import PAIN_008_SCHEMA
from guichet.payments.services import create_mandate, import_returns, run_direct_debits

IBAN = "FR7630006000011234567890189"


def _next_due(contract) -> date:
    return contract.current_schedule.lines.filter(due_on__gt=date.today()).order_by("number").first().due_on


def _fall_due(contract) -> date:
    """Servicing makes the next installment due (the debit run collects only what the ledger shows due)."""
    from guichet.loans.services import post_installment_due

    on = _next_due(contract)
    post_installment_due(contract=contract, line=contract.current_schedule.lines.get(due_on=on))
    return on


def test_mandate_has_unique_reference_and_lender_creditor_id(loan) -> None:
    mandate = create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    assert len(mandate.reference) <= 35
    assert mandate.creditor_id == "FR72ZZZ123456"
    assert mandate.bic.startswith("AGRIFRPP")
    with pytest.raises(MandateRefused, match="déjà un mandat"):
        create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)


def test_mandate_with_wrong_iban_writes_nothing(loan) -> None:
    with pytest.raises(MandateRefused, match="clé de contrôle"):
        create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN[:-1] + "8")
    assert not Mandate.objects.exists()


def test_direct_debit_run_builds_a_valid_pain008_and_posts_pending_payments_once(loan) -> None:
    create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    on = _fall_due(loan)
    run = run_direct_debits(on=on)
    assert run.count == 1
    xml = run.path.read_bytes()
    assert PAIN_008_SCHEMA.encode() in xml  # build_pain008 validated it against the XSD
    debit = DirectDebit.objects.get()
    assert debit.status == "pending" and debit.sequence_type == "FRST"
    entry = JournalEntry.objects.get(idempotency_key=debit.entry_key)
    assert sum(p.amount_minor for p in entry.postings.all()) == 0
    # Re-running the same day collects nothing more.
    again = run_direct_debits(on=on)
    assert again.count == 0 and DebitBatch.objects.count() == 1 and DirectDebit.objects.count() == 1


def test_rejected_debit_is_reversed_and_puts_the_installment_in_arrears_idempotently(loan) -> None:
    from guichet.loans.services import post_installment_due

    create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    on = _next_due(loan)
    line = loan.current_schedule.lines.get(due_on=on)
    post_installment_due(contract=loan, line=line)
    run_direct_debits(on=on)
    debit = DirectDebit.objects.get()
    data = f"end_to_end_id;reason_code;returned_on\n{debit.end_to_end_id};AM04;{on.isoformat()}\n".encode()
    result = import_returns(data=data)
    assert result.rejected == 1
    debit.refresh_from_db()
    loan.refresh_from_db()
    assert (debit.status, debit.return_code) == ("rejected", "AM04")
    assert loan.status == Contract.Status.DELINQUENT
    assert balance_of(loan, on=on).due_unpaid.minor == line.total_due_minor
    assert JournalEntry.objects.filter(kind="payment_return").count() == 1
    replay = import_returns(data=data)
    assert (replay.rejected, replay.already) == (0, 1)
    assert JournalEntry.objects.filter(kind="payment_return").count() == 1


def test_return_file_naming_an_unknown_debit_is_refused_whole(loan) -> None:
    create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    run_direct_debits(on=_fall_due(loan))
    debit = DirectDebit.objects.get()
    data = f"end_to_end_id;reason_code\n{debit.end_to_end_id};AC04\nNOPE;MD01\n".encode()
    with pytest.raises(ReturnFileInvalid, match="NOPE"):
        import_returns(data=data)
    debit.refresh_from_db()
    assert debit.status == "pending"
    assert not JournalEntry.objects.filter(kind="payment_return").exists()


def test_xpf_lender_collects_through_local_csv_not_sepa(loan, settings) -> None:
    settings.GUICHET_LENDER = "nc"
    from guichet.lenders.profile import _profile_for

    _profile_for.cache_clear()
    xpf = loan  # the EUR contract cannot be collected in XPF: the run skips nothing but writes the local file
    create_mandate(contract=xpf, holder_name="Camille Martin", iban=IBAN)
    assert Mandate.objects.get().channel == "local"
    run = run_direct_debits(on=_fall_due(loan))
    assert run.path.suffix == ".csv"
    assert DebitBatch.objects.get().channel == "local"


def _due_accounts_total(contract) -> int:
    from guichet.loans.positions import position_of

    return position_of(contract.pk).due_unpaid_minor


def test_debit_run_collects_only_installments_the_ledger_shows_due(borrower) -> None:
    """Issue 9: servicing stopped at 4 of 5 contracts; the run must collect 4, not 5 (it took 5)."""
    from guichet.loans.services import post_installment_due
    from tests.factories import make_contract

    contracts = [make_contract(borrower, start_on=date(2026, 1, 10)) for _ in range(5)]
    on = contracts[0].current_schedule.lines.get(number=1).due_on
    for c in contracts:
        create_mandate(contract=c, holder_name="Camille Martin", iban=IBAN)
    for c in contracts[:4]:  # the fifth: servicing never reached it
        post_installment_due(contract=c, line=c.current_schedule.lines.get(due_on=on))

    run = run_direct_debits(on=on)

    assert run.count == 4
    assert not DirectDebit.objects.filter(contract=contracts[4]).exists()
    for c in contracts[:4]:
        debit = DirectDebit.objects.get(contract=c)
        assert debit.amount_minor == c.current_schedule.lines.get(due_on=on).total_due_minor
        assert _due_accounts_total(c) == 0  # settled exactly, never below zero
    # Once servicing makes the fifth due, the next run collects it, and only it.
    post_installment_due(contract=contracts[4], line=contracts[4].current_schedule.lines.get(due_on=on))
    assert run_direct_debits(on=on).count == 1


def test_debit_run_collects_only_what_is_still_unpaid_of_the_installment(borrower) -> None:
    from guichet.loans.services import post_installment_due, post_payment
    from tests.factories import make_contract

    paid_part, paid_all = (make_contract(borrower, start_on=date(2026, 1, 10)) for _ in range(2))
    on = paid_part.current_schedule.lines.get(number=1).due_on
    for c in (paid_part, paid_all):
        create_mandate(contract=c, holder_name="Camille Martin", iban=IBAN)
        post_installment_due(contract=c, line=c.current_schedule.lines.get(due_on=on))
    line = paid_part.current_schedule.lines.get(due_on=on)
    post_payment(contract=paid_part, amount=paid_part.money(5_000), on=on, key="transfer:part")
    full = paid_all.current_schedule.lines.get(due_on=on).total_due_minor
    post_payment(contract=paid_all, amount=paid_all.money(full), on=on, key="transfer:all")

    run = run_direct_debits(on=on)

    assert run.count == 1
    assert DirectDebit.objects.get().amount_minor == line.total_due_minor - 5_000
    assert _due_accounts_total(paid_part) == 0 and _due_accounts_total(paid_all) == 0


def test_debit_run_whose_file_fails_its_xsd_posts_nothing(loan) -> None:
    """The file is built beside the posting (a second thread); its failure still rolls back all."""
    from guichet.payments.sepa import CollectionFileInvalid

    create_mandate(contract=loan, holder_name="Camille Martin", iban=IBAN)
    on = _fall_due(loan)
    Mandate.objects.filter(contract=loan).update(iban="FR76-3000-6000")  # refused by the XSD
    entries = JournalEntry.objects.count()
    with pytest.raises(CollectionFileInvalid, match="does not validate"):
        run_direct_debits(on=on)
    assert not DebitBatch.objects.exists() and not DirectDebit.objects.exists()
    assert JournalEntry.objects.count() == entries
