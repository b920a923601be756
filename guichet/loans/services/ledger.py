"""The one writer of the ledger: balanced, atomic, idempotent journal entries, and their reversals."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.credit import Money, currency
from guichet.loans.errors import AlreadyReversed, IdempotencyConflict, LedgerError, UnbalancedEntry
from guichet.loans.models import Account, Contract, JournalEntry, Posting

from .positions import refresh_positions

# Per-contract account parts and the lender-wide accounts, by kind.
CONTRACT_PARTS: dict[str, str] = {
    "principal": Account.Kind.PRINCIPAL,
    "due:principal": Account.Kind.PRINCIPAL_DUE,
    "due:interest": Account.Kind.INTEREST_DUE,
    "due:insurance": Account.Kind.INSURANCE_DUE,
    "due:fees": Account.Kind.FEES_DUE,
    "suspense": Account.Kind.SUSPENSE,
}
LENDER_ACCOUNTS: dict[str, str] = {
    "clearing": Account.Kind.CLEARING,
    "income:interest": Account.Kind.INTEREST_INCOME,
    "income:fees": Account.Kind.FEE_INCOME,
    "payable:insurance": Account.Kind.INSURANCE_PAYABLE,
    "write_off": Account.Kind.WRITE_OFF,
}

Line = tuple[str, Money]


def contract_account(contract: Contract, part: str) -> str:
    """``contract:<number>:<part>`` for one of CONTRACT_PARTS."""
    if part not in CONTRACT_PARTS:
        raise ValueError(f"Unknown contract account part {part!r}; known: {', '.join(CONTRACT_PARTS)}.")
    return f"contract:{contract.number}:{part}"


def lender_account(name: str, currency_code: str) -> str:
    """``<name>:<currency>`` for one of LENDER_ACCOUNTS, e.g. ``clearing:EUR``."""
    if name not in LENDER_ACCOUNTS:
        raise ValueError(f"Unknown lender account {name!r}; known: {', '.join(LENDER_ACCOUNTS)}.")
    return f"{name}:{currency_code}"


def _kind_of(code: str) -> tuple[str, str | None]:
    """The account kind and, for a contract account, the contract number named by ``code``."""
    if code.startswith("contract:"):
        _, number, part = code.split(":", 2)
        if part in CONTRACT_PARTS:
            return CONTRACT_PARTS[part], number
    else:
        name = code.rsplit(":", 1)[0]
        if name in LENDER_ACCOUNTS:
            return LENDER_ACCOUNTS[name], None
    raise LedgerError(f"Account code {code!r} does not follow the chart of accounts.")


def _fingerprint(kind: str, effective_on: date, contract: Contract | None, lines: Sequence[Line]) -> str:
    canonical = sorted((code, m.minor, m.currency.code) for code, m in lines)
    payload = [kind, effective_on.isoformat(), contract.number if contract else "", canonical]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def _check_balanced(lines: Sequence[Line]) -> None:
    sums: dict[str, int] = defaultdict(int)
    for code, amount in lines:
        if not isinstance(amount, Money):
            raise TypeError(f"Line {code!r}: amounts must be Money, not {type(amount).__name__}.")
        sums[amount.currency.code] += amount.minor
    unbalanced = {cur: s for cur, s in sums.items() if s}
    if unbalanced:
        raise UnbalancedEntry(f"The postings do not sum to zero: {unbalanced} (minor units by currency).")


def _accounts_for(lines: Sequence[Line], contract: Contract | None) -> dict[str, Account]:
    codes = {code for code, _ in lines}
    found = {a.code: a for a in Account.objects.filter(code__in=codes)}
    currencies = {code: m.currency.code for code, m in lines}
    for code in codes - found.keys():
        kind, number = _kind_of(code)
        owner = None
        if number is not None:
            owner = (
                contract if contract and contract.number == number else Contract.objects.get(number=number)
            )
        account, _ = Account.objects.get_or_create(
            code=code, defaults={"kind": kind, "currency": currencies[code], "contract": owner}
        )
        found[code] = account
    for code, account in found.items():
        if account.currency != currencies[code]:
            raise LedgerError(f"Account {code} holds {account.currency}, not {currencies[code]}.")
    return found


def _existing(key: str, fingerprint: str) -> JournalEntry | None:
    entry = JournalEntry.objects.filter(idempotency_key=key).first()
    if entry is not None and entry.fingerprint != fingerprint:
        raise IdempotencyConflict(
            f"The key {key!r} was already used for a different entry (n° {entry.pk}); nothing was posted."
        )
    return entry


def post_entry(
    *,
    key: str,
    kind: str,
    effective_on: date,
    lines: Sequence[Line],
    contract: Contract | None = None,
    memo: str = "",
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced journal entry, or return the entry already posted under ``key``.

    Zero lines are dropped; the rest must sum to zero per currency (``UnbalancedEntry``). The
    same key with a different payload raises ``IdempotencyConflict`` and writes nothing. The
    positions of the contracts it touches are refreshed in the same transaction.
    """
    if not key:
        raise LedgerError("A journal entry needs an idempotency key.")
    if kind not in JournalEntry.Kind.values:
        raise LedgerError(f"Unknown journal entry kind {kind!r}.")
    lines = [(code, amount) for code, amount in lines if not (isinstance(amount, Money) and amount.is_zero())]
    if not lines:
        raise LedgerError(f"Entry {key!r} has no non-zero line: nothing to post.")
    _check_balanced(lines)
    fingerprint = _fingerprint(kind, effective_on, contract, lines)
    existing = _existing(key, fingerprint)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                idempotency_key=key,
                kind=kind,
                contract=contract,
                effective_on=effective_on,
                memo=memo[:300],
                reverses=reverses,
                fingerprint=fingerprint,
            )
            accounts = _accounts_for(lines, contract)
            Posting.objects.bulk_create(
                Posting(entry=entry, account=accounts[code], amount_minor=m.minor, currency=m.currency.code)
                for code, m in lines
            )
            # The position moves with the entry, in the same transaction (ContractPosition).
            refresh_positions(
                {contract.pk if contract else None, *(a.contract_id for a in accounts.values())}
            )
            if contract is not None:  # a position read before this entry is stale now
                contract._state.fields_cache.pop("position", None)
    except IntegrityError:
        # Another request posted the same key between our read and our write.
        existing = _existing(key, fingerprint)
        if existing is None:
            raise
        return existing
    return entry


def reverse_entry(
    *,
    entry: JournalEntry,
    key: str,
    reason: str,
    on: date | None = None,
    kind: str = JournalEntry.Kind.REVERSAL,
) -> JournalEntry:
    """Post the mirror of ``entry`` (every posting negated); an entry is reversed at most once."""
    previous = JournalEntry.objects.filter(reverses=entry).first()
    if previous is not None and previous.idempotency_key != key:
        raise AlreadyReversed(
            f"Entry {entry.idempotency_key!r} was already reversed by {previous.idempotency_key!r}."
        )
    if entry.kind == JournalEntry.Kind.REVERSAL:
        raise LedgerError("A reversal cannot itself be reversed: post a new entry instead.")
    lines = [
        (p.account.code, Money(-p.amount_minor, currency(p.currency)))
        for p in entry.postings.select_related("account")
    ]
    return post_entry(
        key=key,
        kind=kind,
        effective_on=on or timezone.localdate(),
        lines=lines,
        contract=entry.contract,
        memo=f"Contre-passation de {entry.idempotency_key} : {reason}",
        reverses=entry,
    )
