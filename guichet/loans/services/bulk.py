"""Chunked, bulk writing of many balanced ledger entries (daily direct-debit batch, returns, servicing).

``post_entry`` writes one entry in about five queries; the batch posts tens of
thousands on one day, so this module writes a chunk of entries in four statements (accounts,
entries, postings) with the same rules: every entry balanced (checked here and by the PostgreSQL
deferred trigger), the same fingerprint as ``post_entry`` and unique idempotency keys, so entries
already posted are skipped and a re-run posts nothing twice. It uses the loans chart of accounts
and fingerprint so entries from both writers are indistinguishable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from guichet.credit import Money
from guichet.loans.errors import IdempotencyConflict
from guichet.loans.models import Account, Contract, JournalEntry, Posting

from .ledger import _check_balanced, _fingerprint, _kind_of

CHUNK = 2000


@dataclass(frozen=True)
class EntrySpec:
    key: str
    kind: str
    effective_on: date
    contract: Contract
    lines: Sequence[tuple[str, Money]]
    memo: str = ""
    reverses_id: int | None = None


def _accounts(specs: Sequence[EntrySpec]) -> dict[str, Account]:
    wanted: dict[str, tuple[str, Contract | None, str]] = {}
    for s in specs:
        for code, m in s.lines:
            if code not in wanted:
                kind, number = _kind_of(code)
                wanted[code] = (kind, s.contract if number else None, m.currency.code)
    found = {a.code: a for a in Account.objects.filter(code__in=list(wanted))}
    missing = [
        Account(code=c, kind=k, contract=owner, currency=cur)
        for c, (k, owner, cur) in wanted.items()
        if c not in found
    ]
    if missing:
        Account.objects.bulk_create(missing, ignore_conflicts=True)
        found.update({a.code: a for a in Account.objects.filter(code__in=[a.code for a in missing])})
    return found


def _spec_fingerprint(s: EntrySpec) -> str:
    return _fingerprint(s.kind, s.effective_on, s.contract, [(c, m) for c, m in s.lines if m.minor])


def post_entries(specs: Sequence[EntrySpec]) -> int:
    """Post every entry whose key is new, by chunks of ``CHUNK``; returns how many were written."""
    written = 0
    for start in range(0, len(specs), CHUNK):
        written += _post_chunk(specs[start : start + CHUNK])
    return written


def _post_chunk(specs: Sequence[EntrySpec]) -> int:
    for s in specs:
        _check_balanced([(c, m) for c, m in s.lines if m.minor])
    with transaction.atomic():
        existing = dict(
            JournalEntry.objects.filter(idempotency_key__in=[s.key for s in specs]).values_list(
                "idempotency_key", "fingerprint"
            )
        )
        for s in specs:
            if s.key in existing and existing[s.key] != _spec_fingerprint(s):
                raise IdempotencyConflict(
                    f"The key {s.key!r} was already used for a different entry; nothing was posted."
                )
        todo = [s for s in specs if s.key not in existing]
        if not todo:
            return 0
        accounts = _accounts(todo)
        entries = JournalEntry.objects.bulk_create(
            JournalEntry(
                idempotency_key=s.key,
                kind=s.kind,
                contract=s.contract,
                effective_on=s.effective_on,
                memo=s.memo[:300],
                reverses_id=s.reverses_id,
                fingerprint=_spec_fingerprint(s),
            )
            for s in todo
        )
        if any(e.pk is None for e in entries):  # SQLite < 3.35 or a backend that returns no ids
            ids = dict(
                JournalEntry.objects.filter(idempotency_key__in=[s.key for s in todo]).values_list(
                    "idempotency_key", "pk"
                )
            )
            for e in entries:
                e.pk = ids[e.idempotency_key]
        Posting.objects.bulk_create(
            Posting(entry_id=e.pk, account=accounts[code], amount_minor=m.minor, currency=m.currency.code)
            for e, s in zip(entries, todo, strict=True)
            for code, m in s.lines
            if m.minor
        )
    return len(todo)
