"""The invariants of an amortizable loan or a lease, checked by every service that changes one.

A service that changes a contract's schedule or posts money to it calls ``check_contract`` inside
its transaction, after its writes and before the commit; a broken invariant raises
``InvariantBroken``, the transaction rolls back and nothing stays written. The invariants:

1. **One installment per period.** The current schedule's rows are numbered 1..n without a gap,
   their due dates strictly increase, at most one per calendar month.
2. **Each row adds up.** installment = interest + principal; no amount is negative; no balance
   falls below the residual value (0, or a lease's purchase-option price); the last row ends on it.
3. **Principal is conserved.** principal lent (the ledger's drawdowns) = principal of every row
   + principal repaid early (the ledger's early-repayment entries) + residual value.
4. **The schedule's outstanding is the ledger's.** The ledger's principal not yet due equals the
   principal of the rows the ledger has not made due yet, plus the residual value.
5. **Balances never negative.** No due account below zero, and the suspense account never owes
   the lender (an overpayment is a debt to the customer, never the other way round).

Revolving lines have no schedule (their own rules live in ``guichet.credit.revolving``) and a
closed contract owes nothing (``close_contract`` checks that): both are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum

from guichet.loans.errors import InvariantBroken
from guichet.loans.models import Account, Contract, JournalEntry, Posting, ScheduleLine
from guichet.loans.selectors import principal_repaid_early

K = Account.Kind
_NEVER_NEGATIVE = (K.PRINCIPAL, K.PRINCIPAL_DUE, K.INTEREST_DUE, K.INSURANCE_DUE, K.FEES_DUE)


@dataclass(frozen=True)
class Row:
    """The figures of one schedule line the invariants look at, in minor units."""

    number: int
    due_on: date
    installment: int
    interest: int
    principal: int
    insurance: int
    balance_after: int


def _refuse(contract: Contract, what: str) -> InvariantBroken:
    return InvariantBroken(
        f"Opération refusée sur le contrat {contract.number} : elle le rendrait incohérent ({what})."
        " Rien n'a été enregistré."
    )


def check_rows(contract: Contract, rows: Sequence[Row], residual: int) -> None:
    """Invariants 1 and 2 on ``rows`` (the whole current schedule, in number order)."""
    if not rows:
        raise _refuse(contract, "échéancier vide")
    months: set[tuple[int, int]] = set()
    previous: date | None = None
    for expected, row in enumerate(rows, start=1):
        if row.number != expected:
            raise _refuse(contract, f"échéance n° {row.number} à la place du n° {expected}")
        if previous is not None and row.due_on <= previous:
            raise _refuse(contract, f"échéance du {row.due_on:%d/%m/%Y} avant la précédente")
        if (row.due_on.year, row.due_on.month) in months:
            raise _refuse(contract, f"deux échéances en {row.due_on:%m/%Y}")
        months.add((row.due_on.year, row.due_on.month))
        previous = row.due_on
        if row.installment != row.interest + row.principal:
            raise _refuse(contract, f"échéance n° {row.number} différente de intérêts + capital")
        if min(row.interest, row.principal, row.insurance) < 0 or row.balance_after < residual:
            raise _refuse(contract, f"montant négatif à l'échéance n° {row.number}")
    if rows[-1].balance_after != residual:
        raise _refuse(contract, "la dernière échéance ne solde pas le capital")


_ROW_FIELDS = ("number", "due_on", "installment_minor", "interest_minor", "principal_minor")


def _rows(contract: Contract) -> list[Row]:
    lines = ScheduleLine.objects.filter(version_id=contract.current_schedule_id).order_by("number")
    return [Row(*v) for v in lines.values_list(*_ROW_FIELDS, "insurance_minor", "balance_after_minor")]


def _balance_problem(kind: str, total: int) -> str:
    """Invariant 5 for one account balance: what is wrong with it, or "" when nothing is."""
    if kind in _NEVER_NEGATIVE and total < 0:
        return f"solde négatif du compte {Account.Kind(kind).label}"
    if kind == K.SUSPENSE and total > 0:
        return "trop-perçu négatif"
    return ""


def check_balances(contract_ids: Iterable[int], kinds: Iterable[str] | None = None) -> None:
    """Invariant 5 for many contracts in one query: the check a bulk writer (debit run, returns) runs
    before it commits, where loading each schedule would cost too much.

    ``kinds``: only the accounts of these kinds, for a writer that credits no other (a debit credits
    the due accounts only: the principal account's long history is not summed again, issue 14).
    """
    # Grouped by contract id, not number: grouping by the joined number made PostgreSQL walk every
    # contract of the book by its number index for each chunk (80 M join-filter rows for 2 000 debits
    # of a 10 000-contract book; the business-day benchmark, tests/bench/bench_business_day.py).
    postings = Posting.objects.filter(account__contract_id__any=set(contract_ids))
    if kinds is not None:
        postings = postings.filter(account__kind__in=list(kinds))
    totals = (
        postings.values_list("account__contract_id", "account__kind")
        .annotate(total=Sum("amount_minor"))
        .filter(Q(account__kind__in=_NEVER_NEGATIVE, total__lt=0) | Q(account__kind=K.SUSPENSE, total__gt=0))
    )
    for contract_id, kind, total in totals[:1]:
        number = Contract.objects.filter(pk=contract_id).values_list("number", flat=True).first()
        raise InvariantBroken(
            f"Opération refusée sur le contrat {number} : elle le rendrait incohérent"
            f" ({_balance_problem(kind, total)}). Rien n'a été enregistré."
        )


def _balances(contract: Contract) -> dict[str, int]:
    totals = (
        Posting.objects.filter(account__contract=contract)
        .values_list("account__kind")
        .annotate(total=Sum("amount_minor"))
    )
    return {kind: total or 0 for kind, total in totals}


def check_contract(contract: Contract) -> None:
    """Check invariants 1 to 5 of ``contract`` as the current transaction sees it (a few queries).

    Raises ``InvariantBroken`` with a message a person can read; the caller's transaction then
    rolls back, so the operation that broke the invariant leaves nothing written.
    """
    if contract.kind == Contract.Kind.REVOLVING or not contract.is_active:
        return
    residual = contract.residual_value_minor or 0
    rows = _rows(contract)
    check_rows(contract, rows, residual)
    balances = _balances(contract)
    for kind, total in balances.items():
        if problem := _balance_problem(kind, total):
            raise _refuse(contract, problem)
    lent = (
        Posting.objects.filter(
            account__contract=contract, account__kind=K.PRINCIPAL, entry__kind=JournalEntry.Kind.DRAWDOWN
        ).aggregate(s=Sum("amount_minor"))["s"]
        or 0
    )
    early = principal_repaid_early(contract).minor
    scheduled = sum(r.principal for r in rows)
    if lent != scheduled + early + residual:
        raise _refuse(
            contract,
            f"capital prêté {contract.money(lent)} ≠ capital de l'échéancier {contract.money(scheduled)}"
            f" + remboursé par anticipation {contract.money(early)}",
        )
    posted = set(
        JournalEntry.objects.filter(contract=contract, kind=JournalEntry.Kind.INSTALLMENT_DUE).values_list(
            "effective_on", flat=True
        )
    )
    not_due = sum(r.principal for r in rows if r.due_on not in posted) + residual
    if balances.get(K.PRINCIPAL, 0) != not_due:
        raise _refuse(
            contract,
            f"capital non échu du grand livre {contract.money(balances.get(K.PRINCIPAL, 0))}"
            f" ≠ capital des échéances à venir {contract.money(not_due)}",
        )
