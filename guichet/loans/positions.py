"""Positions of contracts computed from their ledger postings, in bulk and with a fixed number of queries.

Unpaid amounts are found without per-line bookkeeping: every amount falling due (installment
components, fees) is a debit on a ``due`` account, and payments are always allocated oldest
first in the same order (date, entry, then interest → insurance → principal → fees). So what
has been paid is a prefix of that sequence, of length (debits − balance); what follows is unpaid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Sum

from guichet.loans.models import Account, JournalEntry, Posting

K = Account.Kind
JE = JournalEntry.Kind
PAYMENT_KINDS = (JE.PAYMENT, JE.EARLY_REPAYMENT, JE.PAYMENT_RETURN)
# Allocation order within one entry: interest, insurance, principal, then fees.
DUE_KINDS: tuple[str, ...] = (K.INTEREST_DUE, K.INSURANCE_DUE, K.PRINCIPAL_DUE, K.FEES_DUE)
INSTALLMENT_KINDS = (K.INTEREST_DUE, K.INSURANCE_DUE, K.PRINCIPAL_DUE)
_RANK = {kind: i for i, kind in enumerate(DUE_KINDS)}


@dataclass(frozen=True)
class DueItem:
    due_on: date
    kind: str
    amount_minor: int


@dataclass
class Position:
    """A contract's ledger position in minor units (its currency is the contract's)."""

    balances: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lent_minor: int = 0
    paid_minor: int = 0
    items: list[tuple[date, int, int, str, int]] = field(
        default_factory=list
    )  # (date, entry, rank, kind, amount)

    def balance(self, kind: str) -> int:
        return self.balances.get(kind, 0)

    @property
    def outstanding_principal_minor(self) -> int:
        return self.balance(K.PRINCIPAL) + self.balance(K.PRINCIPAL_DUE)

    @property
    def due_unpaid_minor(self) -> int:
        return sum(self.balance(k) for k in DUE_KINDS)

    @property
    def installments_covered_minor(self) -> int:
        """How much of the installment amounts fallen due has been paid (fees excluded)."""
        debits = sum(a for _, _, _, kind, a in self.items if kind in INSTALLMENT_KINDS)
        return debits - sum(self.balance(k) for k in INSTALLMENT_KINDS)

    def unpaid_items(self) -> list[DueItem]:
        """Amounts fallen due and not yet paid, oldest first, each capped by its account's balance."""
        covered = sum(a for *_, a in self.items) - self.due_unpaid_minor
        left = {k: self.balance(k) for k in DUE_KINDS}
        unpaid: list[DueItem] = []
        for due_on, _, _, kind, amount in sorted(self.items):
            skipped = min(covered, amount)
            covered -= skipped
            rest = min(amount - skipped, left[kind])
            if rest > 0:
                left[kind] -= rest
                unpaid.append(DueItem(due_on, kind, rest))
        return unpaid

    def arrears_minor(self, on: date) -> int:
        """Unpaid amounts that fell due strictly before ``on``."""
        return sum(i.amount_minor for i in self.unpaid_items() if i.due_on < on)

    def days_past_due(self, on: date) -> int:
        late = [i.due_on for i in self.unpaid_items() if i.due_on < on]
        return (on - min(late)).days if late else 0


def positions_for(contract_ids: Iterable[int]) -> dict[int, Position]:
    """Positions of many contracts in three queries, whatever the number of contracts or postings."""
    ids = list(contract_ids)
    result: dict[int, Position] = {cid: Position() for cid in ids}
    if not ids:
        return result
    totals = (
        Posting.objects.filter(account__contract_id__in=ids)
        .values_list("account__contract_id", "account__kind")
        .annotate(total=Sum("amount_minor"))
    )
    for cid, kind, total in totals:
        result[cid].balances[kind] = total or 0
    debits = Posting.objects.filter(
        account__contract_id__in=ids, amount_minor__gt=0, account__kind__in=(*DUE_KINDS, K.PRINCIPAL)
    ).values_list(
        "account__contract_id",
        "account__kind",
        "entry_id",
        "entry__effective_on",
        "entry__kind",
        "amount_minor",
    )
    for cid, kind, entry_id, on, entry_kind, amount in debits:
        if kind == K.PRINCIPAL:
            if entry_kind == JournalEntry.Kind.DRAWDOWN:
                result[cid].lent_minor += amount
        else:
            result[cid].items.append((on, entry_id, _RANK[kind], kind, amount))
    paid = (
        Posting.objects.filter(entry__contract_id__in=ids, account__kind=K.CLEARING)
        .filter(
            Q(entry__kind__in=PAYMENT_KINDS)
            | Q(entry__kind=JE.REVERSAL, entry__reverses__kind__in=PAYMENT_KINDS)
        )
        .values_list("entry__contract_id")
        .annotate(total=Sum("amount_minor"))
    )
    for cid, total in paid:
        result[cid].paid_minor = total or 0
    return result


def position_of(contract_id: int) -> Position:
    return positions_for([contract_id])[contract_id]
