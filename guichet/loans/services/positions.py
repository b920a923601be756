"""Keep ``ContractPosition`` rows equal to the ledger: refresh, compare and rebuild.

``refresh_positions`` is called by both ledger writers (``ledger.post_entry``,
``bulk.post_entries``) inside the transaction that writes the postings, so a reader never sees
an entry without its position. The figures come from ``guichet.loans.positions`` (the
reference computation from postings), so stored and computed positions cannot disagree on a
rule; ``differences`` is what ``manage.py check_positions`` reports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from guichet.customers.page_cache import touch_contracts
from guichet.loans.models import Account, Contract, ContractPosition, JournalEntry, Posting, ScheduleLine
from guichet.loans.positions import (
    _RANK,
    DUE_KINDS,
    INSTALLMENT_KINDS,
    JE,
    PAYMENT_KINDS,
    Position,
    positions_for,
)

K = Account.Kind
CHUNK = 2000
COMPARED = (
    "principal_minor",
    "principal_due_minor",
    "interest_due_minor",
    "insurance_due_minor",
    "fees_due_minor",
    "suspense_minor",
    "lent_minor",
    "paid_minor",
    "installments_covered_minor",
    "unpaid",
    "oldest_unpaid_on",
    "schedule_version_id",
    "next_line_number",
    "next_due_on",
    "next_amount_minor",
)


def _next_lines(versions: dict[int, int | None], covered: dict[int, int]) -> dict[int, tuple]:
    """Contract id → (line number, due on, amount) of the first line its payments do not cover.

    The rule of ``selectors._next_installment`` without the date: lines are covered oldest first,
    so a line is covered when the payments reach the running total up to it.
    """
    wanted = {v: cid for cid, v in versions.items() if v}
    found: dict[int, tuple] = {}
    running: dict[int, int] = {}
    rows = (
        ScheduleLine.objects.filter(version_id__in=list(wanted))
        .order_by("version_id", "number")
        .values_list("version_id", "number", "due_on", "installment_minor", "insurance_minor")
    )
    for version_id, number, due_on, installment, insurance in rows.iterator(chunk_size=5000):
        cid = wanted[version_id]
        if cid in found:
            continue
        total = installment + insurance
        running[cid] = running.get(cid, 0) + total
        if total > 0 and running[cid] > covered[cid]:
            found[cid] = (number, due_on, total)
    return found


def _row(cid: int, position: Position, version: int | None, nxt: tuple | None) -> ContractPosition:
    unpaid = [[i.due_on.isoformat(), i.kind, i.amount_minor] for i in position.unpaid_items()]
    return ContractPosition(
        contract_id=cid,
        principal_minor=position.balance(K.PRINCIPAL),
        principal_due_minor=position.balance(K.PRINCIPAL_DUE),
        interest_due_minor=position.balance(K.INTEREST_DUE),
        insurance_due_minor=position.balance(K.INSURANCE_DUE),
        fees_due_minor=position.balance(K.FEES_DUE),
        suspense_minor=position.balance(K.SUSPENSE),
        lent_minor=position.lent_minor,
        paid_minor=position.paid_minor,
        installments_covered_minor=position.installments_covered_minor,
        unpaid=unpaid,
        oldest_unpaid_on=min((i.due_on for i in position.unpaid_items()), default=None),
        schedule_version_id=version,
        next_line_number=nxt[0] if nxt else None,
        next_due_on=nxt[1] if nxt else None,
        next_amount_minor=nxt[2] if nxt else None,
        updated_at=timezone.now(),
    )


def computed_positions(contract_ids: Iterable[int]) -> dict[int, ContractPosition]:
    """What the rows of these contracts must hold, from the ledger and the current schedules (unsaved)."""
    ids = list(dict.fromkeys(contract_ids))
    if not ids:
        return {}
    versions = dict(Contract.objects.filter(pk__in=ids).values_list("pk", "current_schedule_id"))
    positions = positions_for(ids)
    covered = {cid: p.installments_covered_minor for cid, p in positions.items()}
    nexts = _next_lines(versions, covered)
    return {
        cid: _row(cid, positions[cid], versions.get(cid), nexts.get(cid)) for cid in ids if cid in versions
    }


def _lock(ids: list[int]) -> None:
    """Hold these contracts' position rows until the transaction ends (creating missing ones first).

    Two transactions posting to one contract at once would each compute the position from a
    snapshot without the other's postings, and the last to commit would store a position that
    misses the first one's entry. With the row locked, the second waits for the first to commit,
    and (read committed) its computation then sees the first one's postings.
    """

    def locked(wanted: list[int]) -> set[int]:
        rows = (
            ContractPosition.objects.select_for_update()
            .filter(contract_id__in=wanted)
            .order_by("contract_id")
        )
        return set(rows.values_list("contract_id", flat=True))

    found = locked(ids)
    missing = [i for i in ids if i not in found]
    if missing:  # a contract's first posting: create its row, then lock it like the others
        ContractPosition.objects.bulk_create(
            [ContractPosition(contract_id=i) for i in missing], ignore_conflicts=True
        )
        locked(missing)


def refresh_positions(contract_ids: Iterable[int]) -> int:
    """Rewrite the positions of these contracts from the ledger (one upsert per chunk), locking them first."""
    ids = sorted({i for i in contract_ids if i is not None})
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            _lock(chunk)
            rows = list(computed_positions(chunk).values())
            _upsert(rows)
        written += len(rows)
    ContractPosition.generation += 1  # positions cached on Contract instances are stale now
    return written


def _upsert(rows: list[ContractPosition]) -> None:
    if rows:
        # Every ledger writer ends here, in its transaction: the customers' pages change at commit.
        touch_contracts(r.contract_id for r in rows)
        ContractPosition.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["contract"],
            update_fields=[f for f in (*COMPARED, "updated_at") if f != "schedule_version_id"]
            + ["schedule_version"],
        )


def _stored(ids: list[int]) -> dict[int, ContractPosition]:
    return {p.contract_id: p for p in ContractPosition.objects.filter(contract_id__in=ids)}


def differences(contract_ids: Iterable[int] | None = None) -> Iterator[tuple[str, str, Any, Any]]:
    """Every (contract number, field, stored, from the ledger) that disagree (a missing row too)."""
    if contract_ids is None:
        contract_ids = Contract.objects.order_by("pk").values_list("pk", flat=True).iterator()
    ids = list(contract_ids)
    numbers = dict(Contract.objects.filter(pk__in=ids).values_list("pk", "number"))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        stored, expected = _stored(chunk), computed_positions(chunk)
        for cid in chunk:
            want = expected.get(cid)
            have = stored.get(cid)
            if want is None:
                continue
            if have is None:
                empty = ContractPosition(contract_id=cid)
                if any(getattr(want, f) != getattr(empty, f) for f in COMPARED):
                    yield numbers[cid], "(no row)", None, "a position"
                continue
            for f in COMPARED:
                if getattr(have, f) != getattr(want, f):
                    yield numbers[cid], f, getattr(have, f), getattr(want, f)


def rebuild_all() -> int:
    """Rewrite every contract's position from the ledger; returns how many rows were written."""
    ids = list(Contract.objects.order_by("pk").values_list("pk", flat=True))
    return refresh_positions(ids)


# --- Incremental refresh: positions moved by the postings of new entries (the bulk writer's path) ---

_NEW_POSTINGS_SQL = """
SELECT a.contract_id, a.kind, e.contract_id, e.id, e.effective_on, e.kind, r.kind, p.amount_minor
  FROM {posting} p
  JOIN {entry} e ON e.id = p.entry_id
  JOIN {account} a ON a.id = p.account_id
  LEFT JOIN {entry} r ON r.id = e.reverses_id
 WHERE p.entry_id = ANY(%s::bigint[])
"""

# Contracts with a due item (a debit on a due account) of an older entry that sorts after the first
# new item (by date, then entry): the new items do not simply follow the stored ones there.
_LATER_ITEMS_SQL = """
SELECT DISTINCT e.contract_id
  FROM unnest(%s::bigint[], %s::date[], %s::bigint[]) AS t(cid, d, first_id)
  JOIN {entry} e ON e.contract_id = t.cid AND e.effective_on >= t.d
 WHERE (e.effective_on, e.id) > (t.d, t.first_id)
   AND NOT (e.id = ANY(%s::bigint[]))
   AND EXISTS (SELECT 1 FROM {posting} p JOIN {account} a ON a.id = p.account_id
                WHERE p.entry_id = e.id AND p.amount_minor > 0 AND a.kind IN ({kinds}))
"""

# Contracts moved incrementally / recomputed from the ledger by ``apply_entries`` in this process.
STATS = {"moved": 0, "recomputed": 0}

_BALANCE_OF_KIND = {
    K.PRINCIPAL: "principal_minor",
    K.PRINCIPAL_DUE: "principal_due_minor",
    K.INTEREST_DUE: "interest_due_minor",
    K.INSURANCE_DUE: "insurance_due_minor",
    K.FEES_DUE: "fees_due_minor",
    K.SUSPENSE: "suspense_minor",
}


def _tables() -> dict[str, str]:
    return {
        "posting": Posting._meta.db_table,
        "entry": JournalEntry._meta.db_table,
        "account": Account._meta.db_table,
    }


def apply_entries(entry_ids: Iterable[int], postings: Sequence[tuple] | None = None) -> int:
    """Move the positions of the contracts these new entries touch by their postings (incremental).

    Called by the bulk writer in the transaction that wrote the entries, instead of recomputing the
    contracts' positions from their whole ledger: balances, amount lent and paid move by the new
    postings, and the unpaid items by the rule of ``guichet.loans.positions`` applied to the stored
    unpaid tail (payments cover oldest first, so what is paid stays a prefix). A few queries per
    chunk whatever the size of the ledger. A contract is recomputed from the ledger as before when
    the stored tail is not enough: no stored row yet, a stored tail capped by a balance (credits that
    were not allocated oldest first), a new item dated before an older one, or cover going down.
    ``check_positions`` proves both paths give the same rows.

    ``postings``: the writer's own rows for these entries, as ``_NEW_POSTINGS_SQL`` returns them
    (account's contract, account kind, entry's contract, entry id, date, entry kind, reversed entry's
    kind, amount), so they are not read back; read from the database when not given.
    """
    ids = sorted(set(entry_ids))
    if not ids:
        return 0
    if connection.vendor != "postgresql":  # the small path: tests on SQLite, demo
        touched = set(
            Account.objects.filter(postings__entry_id__in=ids, contract__isnull=False).values_list(
                "contract_id", flat=True
            )
        )
        touched |= set(
            JournalEntry.objects.filter(pk__in=ids, contract__isnull=False).values_list(
                "contract_id", flat=True
            )
        )
        return refresh_positions(touched)
    tables = _tables()
    if postings is not None:
        rows = postings
    else:
        with connection.cursor() as cursor:
            cursor.execute(_NEW_POSTINGS_SQL.format(**tables), [_array(ids)])
            rows = cursor.fetchall()
    delta: dict[int, dict[str, int]] = {}
    items: dict[int, list[tuple]] = {}
    lent: dict[int, int] = {}
    paid: dict[int, int] = {}
    credits: dict[int, int] = {}  # credits on installment due accounts: what the new entries cover
    touched: set[int] = set()
    for acc_cid, kind, entry_cid, entry_id, on, entry_kind, reversed_kind, amount in rows:
        if entry_cid is not None:
            touched.add(entry_cid)
        is_payment = entry_kind in PAYMENT_KINDS or (
            entry_kind == JE.REVERSAL and reversed_kind in PAYMENT_KINDS
        )
        if kind == K.CLEARING and entry_cid is not None and is_payment:
            paid[entry_cid] = paid.get(entry_cid, 0) + amount
        if acc_cid is None:
            continue
        touched.add(acc_cid)
        if kind in _BALANCE_OF_KIND:
            d = delta.setdefault(acc_cid, {})
            d[kind] = d.get(kind, 0) + amount
        if amount > 0 and kind in _RANK:
            items.setdefault(acc_cid, []).append((on, entry_id, _RANK[kind], kind, amount))
        elif amount > 0 and kind == K.PRINCIPAL and entry_kind == JE.DRAWDOWN:
            lent[acc_cid] = lent.get(acc_cid, 0) + amount
        if amount < 0 and kind in INSTALLMENT_KINDS:
            credits[acc_cid] = credits.get(acc_cid, 0) - amount
    contracts = sorted(touched)
    full: set[int] = set()
    written = 0
    for start in range(0, len(contracts), CHUNK):
        chunk = contracts[start : start + CHUNK]
        wanted = frozenset(chunk)  # not a list: Django walks a list value by value (guichet.lookups)
        with transaction.atomic():
            # Lock the stored rows (the same lock as ``_lock``); a contract without one is recomputed.
            stored = {
                p["contract_id"]: SimpleNamespace(**p)
                for p in ContractPosition.objects.select_for_update()
                .filter(contract_id__any=wanted)
                .order_by("contract_id")
                .values(*_MOVED_COLUMNS)
            }
            versions = dict(Contract.objects.filter(pk__any=wanted).values_list("pk", "current_schedule_id"))
            later = _later_items({cid: min(items[cid]) for cid in chunk if cid in items}, ids, tables)
            rows_out, redo_next = [], {}
            for cid in chunk:
                have = stored.get(cid)
                if cid not in versions:
                    continue
                if have is None or cid in later or not _tail_uncapped(have):
                    full.add(cid)
                    continue
                row = _moved(have, delta.get(cid, {}), items.get(cid, []), lent.get(cid, 0), paid.get(cid, 0))
                if row is None:
                    full.add(cid)
                    continue
                # covered = installment debits - installment balances: it moves by the credits only.
                row.installments_covered_minor = have.installments_covered_minor + credits.get(cid, 0)
                version = versions[cid]
                if row.installments_covered_minor != have.installments_covered_minor or version != (
                    have.schedule_version_id
                ):
                    redo_next[cid] = version
                row.schedule_version_id = version
                rows_out.append(row)
            if redo_next:
                nexts = _next_lines_sql(
                    redo_next, {r.contract_id: r.installments_covered_minor for r in rows_out}
                )
                for row in rows_out:
                    if row.contract_id in redo_next:
                        nxt = nexts.get(row.contract_id)
                        row.next_line_number = nxt[0] if nxt else None
                        row.next_due_on = nxt[1] if nxt else None
                        row.next_amount_minor = nxt[2] if nxt else None
            _update_rows(rows_out)
            written += len(rows_out)
    STATS["moved"] += written
    if full:
        STATS["recomputed"] += len(full)
        written += refresh_positions(full)
    ContractPosition.generation += 1
    return written


def _later_items(first: dict[int, tuple], new_ids: list[int], tables: dict[str, str]) -> set[int]:
    if not first:
        return set()
    cids = list(first)
    sql = _LATER_ITEMS_SQL.format(**tables, kinds=", ".join(["%s"] * len(DUE_KINDS)))
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                _array(cids),
                "{" + ",".join(first[c][0].isoformat() for c in cids) + "}",
                _array(first[c][1] for c in cids),
                _array(new_ids),
                *DUE_KINDS,
            ],
        )
        return {cid for (cid,) in cursor.fetchall()}


def _tail_uncapped(have: SimpleNamespace) -> bool:
    """The stored unpaid items are exactly each due account's balance (no cap applied in the walk)."""
    by_kind: dict[str, int] = {}
    for _on, kind, amount in have.unpaid:
        by_kind[kind] = by_kind.get(kind, 0) + amount
    return all(by_kind.get(k, 0) == getattr(have, _BALANCE_OF_KIND[k]) for k in DUE_KINDS)


def _moved(
    have: SimpleNamespace, delta: dict[str, int], new_items: list[tuple], lent: int, paid: int
) -> SimpleNamespace | None:
    """The stored position moved by the new postings; None when the stored tail is not enough."""
    balances = {k: getattr(have, f) + delta.get(k, 0) for k, f in _BALANCE_OF_KIND.items()}
    stored_unpaid = sum(a for *_, a in have.unpaid)
    new_debits = sum(a for *_, a in new_items)
    due_unpaid = sum(balances[k] for k in DUE_KINDS)
    # What the new entries cover beyond the stored tail's start: old cover + Δ, Δ >= 0 (see docstring).
    cover = stored_unpaid + new_debits - due_unpaid
    if cover < 0:
        return None
    # Dates stay ISO text, the stored form, which sorts as dates do (issue 14: 200 000 parsed for nothing).
    sequence = [
        *have.unpaid,
        *((on.isoformat(), kind, amount) for on, _e, _r, kind, amount in sorted(new_items)),
    ]
    left = {k: balances[k] for k in DUE_KINDS}
    unpaid: list[list] = []
    for on, kind, amount in sequence:
        skipped = min(cover, amount)
        cover -= skipped
        rest = min(amount - skipped, left[kind])
        if rest > 0:
            left[kind] -= rest
            unpaid.append([on, kind, rest])
    return SimpleNamespace(
        contract_id=have.contract_id,
        principal_minor=balances[K.PRINCIPAL],
        principal_due_minor=balances[K.PRINCIPAL_DUE],
        interest_due_minor=balances[K.INTEREST_DUE],
        insurance_due_minor=balances[K.INSURANCE_DUE],
        fees_due_minor=balances[K.FEES_DUE],
        suspense_minor=balances[K.SUSPENSE],
        lent_minor=have.lent_minor + lent,
        paid_minor=have.paid_minor + paid,
        installments_covered_minor=have.installments_covered_minor,
        unpaid=unpaid,
        oldest_unpaid_on=date.fromisoformat(min(u[0] for u in unpaid)) if unpaid else None,
        schedule_version_id=have.schedule_version_id,
        next_line_number=have.next_line_number,
        next_due_on=have.next_due_on,
        next_amount_minor=have.next_amount_minor,
    )


_NEXT_LINES_SQL = """
SELECT DISTINCT ON (l.version_id) l.version_id, l.number, l.due_on, l.total
  FROM (SELECT version_id, number, due_on, installment_minor + insurance_minor AS total,
               SUM(installment_minor + insurance_minor)
                   OVER (PARTITION BY version_id ORDER BY number) AS running
          FROM {line} WHERE version_id = ANY(%s::bigint[])) l
  JOIN unnest(%s::bigint[], %s::bigint[]) AS t(version_id, covered) ON t.version_id = l.version_id
 WHERE l.total > 0 AND l.running > t.covered
 ORDER BY l.version_id, l.number
"""


def _next_lines_sql(versions: dict[int, int | None], covered: dict[int, int]) -> dict[int, tuple]:
    """``_next_lines`` in one query (a running sum per schedule version) instead of every line read
    into Python: same rule, the first line the payments do not cover."""
    wanted = {v: cid for cid, v in versions.items() if v}
    if not wanted:
        return {}
    vs = list(wanted)
    with connection.cursor() as cursor:
        cursor.execute(
            _NEXT_LINES_SQL.format(line=ScheduleLine._meta.db_table),
            [_array(vs), _array(vs), _array(covered[wanted[v]] for v in vs)],
        )
        return {wanted[v]: (number, due_on, total) for v, number, due_on, total in cursor.fetchall()}


def _array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers (psycopg adapts a list element by element: slow)."""
    return "{" + ",".join(str(int(v)) for v in values) + "}"


_MOVED_COLUMNS = ("contract_id", *COMPARED)  # what the bulk writer moves: every compared field


def _update_rows(rows: list[SimpleNamespace]) -> None:
    """Write the moved positions: COPY into a temporary table, then one UPDATE … FROM (rows locked)."""
    if not rows:
        return
    table = ContractPosition._meta.db_table
    columns = ", ".join(_MOVED_COLUMNS)
    sets = ", ".join(f"{c} = m.{c}" for c in _MOVED_COLUMNS if c != "contract_id")
    create = f"CREATE TEMPORARY TABLE IF NOT EXISTS guichet_moved_position ON COMMIT DELETE ROWS AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608, E501 (names from the model)
    # With the ids as an array, not the whole positions table hashed per chunk (93 → 29 ms, issue 14).
    update = f"UPDATE {table} p SET {sets}, updated_at = now() FROM guichet_moved_position m WHERE p.contract_id = m.contract_id AND p.contract_id = ANY(%s::bigint[])"  # noqa: S608, E501 (names from the model)
    with connection.cursor() as cursor:
        cursor.execute(create)
        with cursor.cursor.copy(f"COPY guichet_moved_position ({columns}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(
                    tuple(json.dumps(r.unpaid) if c == "unpaid" else getattr(r, c) for c in _MOVED_COLUMNS)
                )
        cursor.execute(update, [_array(r.contract_id for r in rows)])
        # TRUNCATE, not DELETE: in one long transaction the deleted rows stayed and were scanned again.
        cursor.execute("TRUNCATE guichet_moved_position")
    # Raw SQL sends no ORM signal: these customers' cached pages must be renewed at the commit, as
    # ``_upsert`` does for the other path (issue 15), or the business day's postings would show late.
    touch_contracts(r.contract_id for r in rows)
