"""The ledger: entries balance, keys are idempotent, reversals mirror, the database guards what it can."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from guichet.credit import EUR, Money
from guichet.loans.errors import AlreadyReversed, IdempotencyConflict, UnbalancedEntry
from guichet.loans.models import JournalEntry, Posting
from guichet.loans.services import (
    contract_account,
    lender_account,
    post_entry,
    post_installment_due,
    post_payment,
    reverse_entry,
)
from tests.factories import make_contract

pytestmark = pytest.mark.django_db
ON = date(2026, 2, 1)


def _fee_lines(contract, euros="10.00"):
    amount = Money.of(euros, EUR)
    return [(contract_account(contract, "due:fees"), amount), (lender_account("income:fees", "EUR"), -amount)]


def assert_every_entry_balances():
    sums = Posting.objects.values("entry_id", "currency").annotate(total=Sum("amount_minor"))
    assert sums, "no posting at all"
    assert [s for s in sums if s["total"] != 0] == []


def test_every_entry_of_a_contract_life_sums_to_zero():
    contract = make_contract()
    lines = list(contract.schedule_lines.order_by("number")[:3])
    for line in lines:
        post_installment_due(contract=contract, line=line)
    payment = post_payment(contract=contract, amount=Money.of("400.00", EUR), on=ON, key="pay-1")
    reverse_entry(entry=payment, key="return-1", reason="rejet", kind=JournalEntry.Kind.PAYMENT_RETURN)
    post_entry(key="fee-1", kind="fee", effective_on=ON, lines=_fee_lines(contract), contract=contract)
    assert JournalEntry.objects.count() == 7
    assert_every_entry_balances()


def test_posting_the_same_key_twice_returns_the_first_entry_and_posts_nothing():
    contract = make_contract()
    first = post_entry(
        key="fee-x", kind="fee", effective_on=ON, lines=_fee_lines(contract), contract=contract
    )
    count = Posting.objects.count()
    again = post_entry(
        key="fee-x", kind="fee", effective_on=ON, lines=_fee_lines(contract), contract=contract
    )
    assert again.pk == first.pk
    assert Posting.objects.count() == count


def test_same_key_with_a_different_payload_raises_idempotency_conflict_and_writes_nothing():
    contract = make_contract()
    post_entry(key="fee-y", kind="fee", effective_on=ON, lines=_fee_lines(contract), contract=contract)
    count = Posting.objects.count()
    with pytest.raises(IdempotencyConflict):
        post_entry(
            key="fee-y", kind="fee", effective_on=ON, lines=_fee_lines(contract, "11.00"), contract=contract
        )
    assert Posting.objects.count() == count


def test_an_unbalanced_entry_is_refused_and_nothing_is_written():
    contract = make_contract()
    count = JournalEntry.objects.count()
    lines = [(contract_account(contract, "due:fees"), Money.of("10.00", EUR))]
    with pytest.raises(UnbalancedEntry):
        post_entry(key="bad", kind="fee", effective_on=ON, lines=lines, contract=contract)
    assert JournalEntry.objects.count() == count


def test_the_database_refuses_a_zero_posting():
    contract = make_contract()
    entry = JournalEntry.objects.get(contract=contract, kind="drawdown")
    account = entry.postings.first().account
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(entry=entry, account=account, amount_minor=0, currency="EUR")


def test_a_reversal_mirrors_every_posting_and_an_entry_is_reversed_only_once():
    contract = make_contract()
    fee = post_entry(key="fee-z", kind="fee", effective_on=ON, lines=_fee_lines(contract), contract=contract)
    reversal = reverse_entry(entry=fee, key="rev-z", reason="geste commercial")
    original = sorted((p.account_id, p.amount_minor) for p in fee.postings.all())
    mirrored = sorted((p.account_id, -p.amount_minor) for p in reversal.postings.all())
    assert original == mirrored and reversal.reverses_id == fee.pk
    assert reverse_entry(entry=fee, key="rev-z", reason="geste commercial").pk == reversal.pk
    with pytest.raises(AlreadyReversed):
        reverse_entry(entry=fee, key="rev-other", reason="encore")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_an_unbalanced_entry_at_commit():
    if connection.vendor != "postgresql":
        pytest.skip("the deferred balance trigger exists on PostgreSQL only")
    contract = make_contract()
    account = JournalEntry.objects.get(contract=contract, kind="drawdown").postings.first().account
    with pytest.raises(IntegrityError), transaction.atomic():
        entry = JournalEntry.objects.create(
            idempotency_key="raw", kind="fee", effective_on=ON, fingerprint="x"
        )
        Posting.objects.create(entry=entry, account=account, amount_minor=100, currency="EUR")
    assert not JournalEntry.objects.filter(idempotency_key="raw").exists()


def test_bulk_posting_shares_keys_with_post_entry_and_refuses_a_reused_key_with_other_amounts():
    from guichet.loans.services import EntrySpec, post_entries

    contract = make_contract()
    post_entry(key="fee-b", kind="fee", effective_on=ON, lines=_fee_lines(contract), contract=contract)
    same = EntrySpec(key="fee-b", kind="fee", effective_on=ON, contract=contract, lines=_fee_lines(contract))
    new = EntrySpec(key="fee-c", kind="fee", effective_on=ON, contract=contract, lines=_fee_lines(contract))
    assert post_entries([same, new]) == 1
    assert post_entries([same, new]) == 0
    other = EntrySpec(
        key="fee-c", kind="fee", effective_on=ON, contract=contract, lines=_fee_lines(contract, "11.00")
    )
    with pytest.raises(IdempotencyConflict):
        post_entries([other])
    assert JournalEntry.objects.filter(idempotency_key__in=["fee-b", "fee-c"]).count() == 2
    assert_every_entry_balances()


def _raw_entry(key):
    return JournalEntry.objects.create(idempotency_key=key, kind="fee", effective_on=ON, fingerprint="x")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_an_unbalanced_bulk_copy_at_the_end_of_the_statement():
    """The bulk writer's COPY is checked by the statement trigger (migration 0006): an unbalanced entry
    in it is refused before the transaction goes on, and nothing of it stays."""
    if connection.vendor != "postgresql":
        pytest.skip("the balance triggers exist on PostgreSQL only")
    from guichet.loans.services.bulk import _insert_postings

    contract = make_contract()
    account = JournalEntry.objects.get(contract=contract, kind="drawdown").postings.first().account
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        entry = _raw_entry("raw-copy")
        _insert_postings([(entry.pk, account.pk, 100, "EUR")])
    assert not JournalEntry.objects.filter(idempotency_key="raw-copy").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_statement_mode_moves_the_balance_check_and_never_turns_it_off():
    """With ``guichet.posting_check = statement`` each INSERT must carry whole balanced entries: an entry
    split over two statements is refused at the first one, where the row trigger would have waited for
    the commit. UPDATE keeps the row trigger whatever the setting."""
    if connection.vendor != "postgresql":
        pytest.skip("the balance triggers exist on PostgreSQL only")
    contract = make_contract()
    drawdown = JournalEntry.objects.get(contract=contract, kind="drawdown")
    account = drawdown.postings.first().account
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('guichet.posting_check', 'statement', true)")
        entry = _raw_entry("raw-split")
        Posting.objects.create(entry=entry, account=account, amount_minor=100, currency="EUR")
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('guichet.posting_check', 'statement', true)")
        Posting.objects.filter(pk=drawdown.postings.first().pk).update(amount_minor=1)
    assert not JournalEntry.objects.filter(idempotency_key="raw-split").exists()
    assert_every_entry_balances()
