"""The import of rejected direct debits (R-transactions, ``import_returns``).

Each rejected debit is marked with its R-code, its payment entry is reversed (kind
``payment_return``) so the installment is owed again, i.e. in arrears, and the contract becomes
delinquent. Replaying a file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from guichet.loans.invariants import check_balances
from guichet.loans.models import Contract, JournalEntry, Posting
from guichet.loans.services import EntrySpec, post_entries
from guichet.memory import cyclic_gc_paused

from ..models import DirectDebit
from ..returns import R_CODES, ReturnFileInvalid, ReturnLine, parse_returns


@dataclass(frozen=True)
class ReturnImport:
    rejected: int
    already: int


@cyclic_gc_paused()
def import_returns(*, data: bytes, default_on: date | None = None) -> ReturnImport:
    """Mark the debits listed in a return file as rejected and reverse their payments (idempotent).

    The whole file is refused (nothing written) when it names a debit Guichet never sent.
    """
    lines = parse_returns(data, default_on=default_on or timezone.localdate())
    by_e2e = {ln.end_to_end_id: ln for ln in lines}
    with transaction.atomic():
        debits = {
            d.end_to_end_id: d
            for d in DirectDebit.objects.select_for_update(of=("self",))
            .filter(end_to_end_id__in=list(by_e2e))
            .select_related("contract")
        }
        unknown = sorted(set(by_e2e) - set(debits))
        if unknown:
            raise ReturnFileInvalid(
                f"Unknown debits in the return file (nothing imported): {', '.join(unknown[:10])}."
            )
        todo = [d for d in debits.values() if d.status != DirectDebit.Status.REJECTED]
        postings = _payment_postings([d.entry_key for d in todo])
        specs = []
        for d in todo:
            ret = by_e2e[d.end_to_end_id]
            entry_id, lines = postings[d.entry_key]
            specs.append(
                EntrySpec(
                    f"return:{d.end_to_end_id}",
                    JournalEntry.Kind.PAYMENT_RETURN,
                    ret.returned_on,
                    d.contract,
                    [(code, d.contract.money(-amount)) for code, amount in lines],
                    memo=f"Rejet {ret.reason_code} {R_CODES[ret.reason_code]}",
                    reverses_id=entry_id,
                )
            )
        post_entries(specs)
        check_balances({d.contract_id for d in todo})
        _mark_rejected(todo, by_e2e)
        Contract.objects.filter(pk__in={d.contract_id for d in todo}, status=Contract.Status.OPEN).update(
            status=Contract.Status.DELINQUENT
        )
    return ReturnImport(len(todo), len(debits) - len(todo))


def _payment_postings(keys: list[str]) -> dict[str, tuple[int, list[tuple[str, int]]]]:
    """entry key → (entry id, [(account code, amount)]) in one query, without model instances."""
    found: dict[str, tuple[int, list[tuple[str, int]]]] = {}
    rows = Posting.objects.filter(entry__idempotency_key__in=keys).values_list(
        "entry__idempotency_key", "entry_id", "account__code", "amount_minor"
    )
    for key, entry_id, code, amount in rows.order_by("pk"):
        found.setdefault(key, (entry_id, []))[1].append((code, amount))
    return found


def _mark_rejected(debits: list[DirectDebit], by_e2e: dict[str, ReturnLine]) -> None:
    """One UPDATE per (reason, date) and chunk: a return file carries few distinct ones, and
    ``bulk_update``'s CASE per row was half of the import's time (tests/bench/bench_direct_debit.py)."""
    groups: dict[tuple[str, date], list[int]] = {}
    for d in debits:
        ret = by_e2e[d.end_to_end_id]
        groups.setdefault((ret.reason_code, ret.returned_on), []).append(d.pk)
    for (code, on), ids in groups.items():
        for start in range(0, len(ids), 10_000):
            DirectDebit.objects.filter(pk__in=ids[start : start + 10_000]).update(
                status=DirectDebit.Status.REJECTED, return_code=code, returned_on=on
            )
