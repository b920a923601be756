"""The bulk writer moves positions by the new postings (issue 14) and stays equal to the ledger.

``apply_entries`` updates a contract's stored position from the chunk's postings instead of
recomputing it from the whole ledger; it falls back to the full computation when the stored unpaid
tail is not enough. A seeded sequence of bulk writes (installments, partial payments allocated oldest
first or not, fees, payment returns, a backdated installment) is checked against the ledger after
every write; clean books take the incremental path, the others are recomputed.
"""

import random
from datetime import date, timedelta

import pytest
from django.db import connection

from guichet.credit import EUR, Money
from guichet.loans.models import ContractPosition, JournalEntry
from guichet.loans.services import EntrySpec, contract_account, lender_account, post_entries
from guichet.loans.services import positions as stored_positions
from guichet.loans.services.positions import differences
from tests.factories import make_contract

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

JE = JournalEntry.Kind


def _due(c, line, on):
    m = c.money
    return EntrySpec(
        key=f"due:{c.number}:{line.number}:1",
        kind=JE.INSTALLMENT_DUE,
        effective_on=on,
        contract=c,
        lines=[
            (contract_account(c, "due:principal"), m(line.principal_minor)),
            (contract_account(c, "principal"), -m(line.principal_minor)),
            (contract_account(c, "due:interest"), m(line.interest_minor)),
            (lender_account("income:interest", "EUR"), -m(line.interest_minor)),
        ],
    )


def _payment(c, key, on, parts):
    total = sum(parts.values())
    return EntrySpec(
        key=key,
        kind=JE.PAYMENT,
        effective_on=on,
        contract=c,
        lines=[(lender_account("clearing", "EUR"), Money(total, EUR))]
        + [(contract_account(c, k), -Money(v, EUR)) for k, v in parts.items() if v],
    )


def _fee(c, key, on, minor):
    return EntrySpec(
        key=key,
        kind=JE.FEE,
        effective_on=on,
        contract=c,
        lines=[
            (contract_account(c, "due:fees"), Money(minor, EUR)),
            (lender_account("income:fees", "EUR"), -Money(minor, EUR)),
        ],
    )


def _return(entry):
    c = entry.contract
    return EntrySpec(
        key=f"ret:{entry.idempotency_key}",
        kind=JE.PAYMENT_RETURN,
        effective_on=entry.effective_on + timedelta(days=3),
        contract=c,
        reverses_id=entry.pk,
        lines=[
            (p.account.code, Money(-p.amount_minor, EUR)) for p in entry.postings.select_related("account")
        ],
    )


def test_bulk_writes_move_positions_incrementally_and_equal_the_ledger():
    if connection.vendor != "postgresql":
        pytest.skip("the incremental path is PostgreSQL's")
    rng = random.Random(14)
    contracts = [make_contract(start_on=date(2026, 1, 10)) for _ in range(6)]
    lines = {
        c.pk: list(c.schedule_lines.filter(version=c.current_schedule).order_by("number")) for c in contracts
    }
    ids = [c.pk for c in contracts]
    moved_before = stored_positions.STATS["moved"]
    recomputed_before = stored_positions.STATS["recomputed"]
    payments = []
    for month in range(6):
        specs = []
        for c in contracts:
            line = lines[c.pk][month]
            specs.append(_due(c, line, line.due_on))
        assert post_entries(specs) == len(contracts)
        assert list(differences(ids)) == []
        if month == 0:  # fresh books: every contract moved by its postings, none recomputed
            assert stored_positions.STATS["moved"] - moved_before == len(contracts)
            assert stored_positions.STATS["recomputed"] == recomputed_before
        specs = []
        for i, c in enumerate(contracts):
            on = lines[c.pk][month].due_on + timedelta(days=2)
            stored = ContractPosition.objects.get(contract=c)
            if i == 1:  # pays principal only, not oldest first: the stored tail gets capped (recomputed)
                parts = {"due:principal": min(stored.principal_due_minor, rng.randint(1_000, 30_000))}
            else:  # pays part or all of what is unpaid, oldest first (the allocation rule)
                budget = rng.choice([rng.randint(500, 30_000), sum(u[2] for u in stored.unpaid)])
                parts = {}
                for _on, kind, amount in stored.unpaid:
                    take = min(budget, amount)
                    budget -= take
                    code = {"interest_due": "due:interest", "principal_due": "due:principal"}.get(
                        kind, "due:fees"
                    )
                    parts[code] = parts.get(code, 0) + take
            if sum(parts.values()):
                specs.append(_payment(c, f"pay:{c.number}:{month}", on, parts))
            if month % 2 and i % 2:
                specs.append(_fee(c, f"fee:{c.number}:{month}", on, 1_500))
        post_entries(specs)
        assert list(differences(ids)) == []
        payments += [s.key for s in specs if s.kind == JE.PAYMENT]
        returned = JournalEntry.objects.filter(
            idempotency_key__in=rng.sample(payments, k=min(2, len(payments)))
        )
        post_entries([_return(e) for e in returned.exclude(reversed_by__isnull=False)])
        assert list(differences(ids)) == []
    # an installment posted late, dated before entries already in the ledger: recomputed, still equal
    late = contracts[0]
    post_entries([_due(late, lines[late.pk][10], date(2026, 3, 1))])
    assert list(differences(ids)) == []
    moved = stored_positions.STATS["moved"] - moved_before
    recomputed = stored_positions.STATS["recomputed"] - recomputed_before
    assert moved > recomputed > 0  # returns and the capped contract are recomputed, the rest moved
