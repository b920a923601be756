"""Chunked, bulk writing of many balanced ledger entries (daily direct-debit batch, returns, servicing).

``post_entry`` writes one entry in about five queries; the batch posts tens of
thousands on one day, so this module writes a chunk of entries in four statements (accounts,
entries, postings) with the same rules: every entry balanced (checked here and by a PostgreSQL
trigger at the end of the COPY, migration 0006), the same fingerprint as ``post_entry`` and unique
idempotency keys, so entries already posted are skipped and a re-run posts nothing twice. It uses
the loans chart of accounts and fingerprint so entries from both writers are indistinguishable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from guichet.credit import Money
from guichet.loans.errors import IdempotencyConflict
from guichet.loans.models import Account, Contract, JournalEntry, Posting

from .ledger import _check_balanced, _fingerprint, _kind_of
from .positions import apply_entries

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


AccountRef = tuple[int, str, int | None]  # (id, kind, contract id)


def _account_ids(specs: Sequence[EntrySpec]) -> dict[str, AccountRef]:
    """Account code → (id, kind, contract id) for every line, creating the missing accounts (no
    instances)."""
    wanted: dict[str, tuple[Contract, str]] = {}
    for s in specs:
        for code, m in s.lines:
            if code not in wanted:
                wanted[code] = (s.contract, m.currency.code)
    found = _by_owner({s.contract.pk for s in specs}, [c for c in wanted if not c.startswith("contract:")])
    missing = []
    for code, (contract, cur) in wanted.items():
        if code not in found:  # the chart is read only for accounts to create (most exist already)
            kind, number = _kind_of(code)
            missing.append(Account(code=code, kind=kind, contract=contract if number else None, currency=cur))
    if missing:
        # ignore_conflicts: another run may create the same account; its id is read back below.
        Account.objects.bulk_create(missing, ignore_conflicts=True, batch_size=CHUNK)
        found.update(_by_owner(set(), [a.code for a in missing]))
    return found


def _fingerprints(keys: list[str]) -> dict[str, str]:
    """Idempotency key → fingerprint of the entries already posted under these keys.

    On PostgreSQL the keys go as one array parameter (an ``IN`` of 2 000 keys cost more to build and
    parse than to run), joined key by key to the unique index: with ``key = ANY(array)`` the planner
    read the whole table in parallel once it held a few hundred thousand entries (52 ms a chunk, 2.6 s
    of a 100 000-debit run; a probe per key is 8 ms, issue 14)."""
    if connection.vendor != "postgresql":
        return dict(
            JournalEntry.objects.filter(idempotency_key__in=keys).values_list(
                "idempotency_key", "fingerprint"
            )
        )
    table = JournalEntry._meta.db_table
    with connection.cursor() as cursor:
        sql = (
            "SELECT e.idempotency_key, e.fingerprint FROM unnest(%s::text[]) AS k(key)"  # noqa: S608
            f" JOIN {table} e ON e.idempotency_key = k.key"
        )
        cursor.execute(sql, [keys])
        return dict(cursor.fetchall())


def _by_owner(contract_ids: set[int], codes: list[str]) -> dict[str, AccountRef]:
    """The accounts of these contracts, and these accounts by code, keyed by code. Contract accounts are
    looked up by contract id (``__any``: one integer array, a few index probes per contract) rather
    than by their 8 000 codes of text (0.1 s per 2 000-contract chunk of a long debit run, issue 14)."""
    rows = Account.objects.filter(Q(contract_id__any=contract_ids) | Q(code__in=codes)).values_list(
        "code", "pk", "kind", "contract_id"
    )
    return {code: (pk, kind, contract_id) for code, pk, kind, contract_id in rows}


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
        existing = _fingerprints([s.key for s in specs])
        for s in specs:
            if s.key in existing and existing[s.key] != _spec_fingerprint(s):
                raise IdempotencyConflict(
                    f"The key {s.key!r} was already used for a different entry; nothing was posted."
                )
        todo = [s for s in specs if s.key not in existing]
        if not todo:
            return 0
        accounts = _account_ids(todo)
        entry_ids = _insert_entries(todo)
        reversed_kinds = _kinds([s.reverses_id for s in todo if s.reverses_id])
        postings, moved = [], []
        for entry_id, s in zip(entry_ids, todo, strict=True):
            reversed_kind = reversed_kinds.get(s.reverses_id) if s.reverses_id else None
            for code, m in s.lines:
                if m.minor:
                    account_id, kind, account_contract = accounts[code]
                    postings.append((entry_id, account_id, m.minor, m.currency.code))
                    moved.append(
                        (
                            account_contract,
                            kind,
                            s.contract.pk,
                            entry_id,
                            s.effective_on,
                            s.kind,
                            reversed_kind,
                            m.minor,
                        )
                    )
        _insert_postings(postings)
        # Positions move with their entries, in the same transaction (ContractPosition): by the new
        # postings, not recomputed from each contract's whole ledger (issue 14). The postings are
        # handed over as written, not read back.
        apply_entries(entry_ids, postings=moved)
        for s in todo:  # a position read before these entries is stale now
            cached = s.contract._state.__dict__.get("fields_cache")  # not created where none is
            if cached:
                cached.pop("position", None)
    return len(todo)


def _kinds(entry_ids: list[int]) -> dict[int, str]:
    """Entry id → kind, for the entries these new ones reverse (a payment return reverses a payment)."""
    if not entry_ids:
        return {}
    return dict(JournalEntry.objects.filter(pk__any=entry_ids).values_list("pk", "kind"))


def _insert_entries(todo: Sequence[EntrySpec]) -> list[int]:
    """Write the entries and return their ids in order: COPY with ids drawn from the sequence on
    PostgreSQL (no model instance, no bound parameter per value), ``bulk_create`` elsewhere."""
    if connection.vendor != "postgresql":
        entries = JournalEntry.objects.bulk_create(_entry(s) for s in todo)
        if any(e.pk is None for e in entries):  # SQLite < 3.35 or a backend that returns no ids
            ids = dict(
                JournalEntry.objects.filter(idempotency_key__in=[s.key for s in todo]).values_list(
                    "idempotency_key", "pk"
                )
            )
            return [ids[s.key] for s in todo]
        return [e.pk for e in entries]
    meta = JournalEntry._meta
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [meta.db_table, len(todo)],
        )
        ids = [i for (i,) in cursor.fetchall()]
        fields = ("id", "idempotency_key", "kind", "contract", "effective_on", "created_at", "memo")
        columns = ", ".join(meta.get_field(f).column for f in (*fields, "reverses", "fingerprint"))
        with cursor.cursor.copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as copy:
            for entry_id, s in zip(ids, todo, strict=True):
                copy.write_row(
                    (
                        entry_id,
                        s.key,
                        s.kind,
                        s.contract.pk,
                        s.effective_on,
                        now,
                        s.memo[:300],
                        s.reverses_id,
                        _spec_fingerprint(s),
                    )
                )
    return ids


def _entry(s: EntrySpec) -> JournalEntry:
    return JournalEntry(
        idempotency_key=s.key,
        kind=s.kind,
        contract=s.contract,
        effective_on=s.effective_on,
        memo=s.memo[:300],
        reverses_id=s.reverses_id,
        fingerprint=_spec_fingerprint(s),
    )


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
    """Write ``rows`` (values in the order of ``fields``) into ``model``'s table: COPY on PostgreSQL,
    with database errors raised as Django's (``IntegrityError``), ``bulk_create`` elsewhere.

    COPY skips a model instance and a bound parameter per value: the largest cost of writing a
    business-day chunk's postings and debits once its figures are known (issue 14). Model defaults
    are not applied: give every column the table requires.
    """
    meta = model._meta
    if connection.vendor != "postgresql":
        names = [meta.get_field(f).attname for f in fields]
        model._default_manager.bulk_create(model(**dict(zip(names, row, strict=True))) for row in rows)
        return
    columns = ", ".join(meta.get_field(f).column for f in fields)
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _insert_postings(rows: Iterable[tuple[int, int, int, str]]) -> None:
    """(entry id, account id, amount, currency) rows, every posting of their entries in one statement
    (``insert_rows``), so the database checks each entry balances once, at the end of that statement
    (loans_posting_balanced_statement, migration 0006), instead of one aggregate per row at commit."""
    if connection.vendor != "postgresql":
        insert_rows(Posting, _POSTING_FIELDS, rows)
        return
    with connection.cursor() as cursor:  # the setting is local to the transaction and reset right after
        cursor.execute("SELECT set_config('guichet.posting_check', 'statement', true)")
        insert_rows(Posting, _POSTING_FIELDS, rows)
        cursor.execute("SELECT set_config('guichet.posting_check', 'row', true)")


_POSTING_FIELDS = ("entry", "account", "amount_minor", "currency")
