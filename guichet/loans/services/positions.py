"""Keep ``ContractPosition`` rows equal to the ledger: refresh, compare and rebuild.

``refresh_positions`` is called by both ledger writers (``ledger.post_entry``,
``bulk.post_entries``) inside the transaction that writes the postings, so a reader never sees
an entry without its position. The figures come from ``guichet.loans.positions`` (the
reference computation from postings), so stored and computed positions cannot disagree on a
rule; ``differences`` is what ``manage.py check_positions`` reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.loans.models import Account, Contract, ContractPosition, ScheduleLine
from guichet.loans.positions import Position, positions_for

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
