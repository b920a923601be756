"""Read paths of the payments area: a contract's schedule as a ``credit.Schedule``, payment history
from the ledger, the active mandate, the calendar of coming debits and transfers.

Every customer-facing read starts from a contract already fetched through ``contracts_for``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum

from guichet.credit import Money
from guichet.credit.dates import add_months
from guichet.credit.schedule import Schedule, ScheduleRow
from guichet.loans.models import Contract, JournalEntry, Posting, ScheduleLine
from guichet.loans.selectors import lines_not_made_due

from .models import DirectDebit, Mandate, ScheduledTransfer

HISTORY_MONTHS = 24

# What the customer sees as a "payment" in the history, from the ledger's entry kinds.
HISTORY_KINDS = {
    JournalEntry.Kind.PAYMENT: "installment",
    JournalEntry.Kind.EARLY_REPAYMENT: "early_repayment",
    JournalEntry.Kind.FEE: "fee",
    JournalEntry.Kind.PAYMENT_RETURN: "return",
}


def schedule_lines(contract: Contract) -> list[ScheduleLine]:
    """The lines of the contract's current schedule version, in order."""
    return list(ScheduleLine.objects.filter(version_id=contract.current_schedule_id).order_by("number"))


def credit_schedule(contract: Contract) -> Schedule:
    """The current schedule as the finance core's ``Schedule`` (what quotes are computed on).

    The balance after each row is the principal of the rows after it plus the residual value, not
    the stored ``balance_after``: a line carried over a partial early repayment keeps the balance
    it had when it was written, which no longer counts the principal repaid early since.
    """
    lines = schedule_lines(contract)
    if not lines:
        raise LookupError(f"Contract {contract.number} has no schedule.")
    m = contract.money
    residual = contract.residual_value_minor or 0
    after = residual + sum(ln.principal_minor for ln in lines)
    principal = m(after)
    rows = []
    for ln in lines:
        after -= ln.principal_minor
        rows.append(
            ScheduleRow(
                ln.number,
                ln.due_on,
                m(ln.installment_minor),
                m(ln.interest_minor),
                m(ln.principal_minor),
                m(ln.insurance_minor),
                m(after),
            )
        )
    return Schedule(
        rows=tuple(rows),
        principal=principal,
        debit_rate=contract.debit_rate,
        installment=rows[0].installment if len(rows) == 1 else rows[1].installment,
        fees=m(0),
        drawdown_on=contract.start_on,
        residual_value=m(residual) if residual else None,
    )


def rows_due_by(contract: Contract, on: date) -> int:
    """How many installments of the current schedule fall due on or before ``on``."""
    return ScheduleLine.objects.filter(version_id=contract.current_schedule_id, due_on__lte=on).count()


def next_line(contract: Contract, after: date) -> ScheduleLine | None:
    return (
        ScheduleLine.objects.filter(version_id=contract.current_schedule_id, due_on__gt=after)
        .order_by("due_on")
        .first()
    )


def due_unpaid(contract: Contract) -> Money:
    """Installments fallen due and not paid (arrears), summed over the contract's due accounts."""
    total = (
        Posting.objects.filter(account__contract=contract, account__code__contains=":due:")
        .aggregate(s=Sum("amount_minor"))
        .get("s")
    )
    return contract.money(total or 0)


def due_not_yet_posted(contract: Contract, on: date) -> Money:
    """Installments (with insurance) due on or before ``on`` that the ledger has not made due yet
    (``loans.selectors.lines_not_made_due``): what a payoff dated ``on`` adds to the arrears."""
    total = lines_not_made_due(contract, on).aggregate(s=Sum("installment_minor") + Sum("insurance_minor"))
    return contract.money(total.get("s") or 0)


def active_mandate(contract: Contract) -> Mandate | None:
    return Mandate.objects.filter(contract=contract, status=Mandate.Status.ACTIVE).first()


def active_mandates(contracts: Iterable[Contract]) -> dict[int, Mandate]:
    """The active mandate of each of ``contracts`` that has one, by contract id, in one query."""
    mandates = Mandate.objects.filter(contract__in=list(contracts), status=Mandate.Status.ACTIVE)
    return {m.contract_id: m for m in mandates}


@dataclass(frozen=True)
class HistoryLine:
    on: date
    contract_number: str
    amount: Money
    kind: str
    label: str
    status: str
    reference: str


def _status_of(entry: JournalEntry, debits: dict[str, DirectDebit], today: date) -> str:
    """rejected, pending (a debit whose collection date is still to come) or posted.

    The same rule as the schedule's "paid" mark (``loans.selectors``): money posted ahead of its
    date pays nothing until that date, so the calendar and the history never disagree.
    """
    debit = debits.get(entry.idempotency_key)
    if entry.kind == JournalEntry.Kind.PAYMENT_RETURN or (
        debit is not None and debit.status == DirectDebit.Status.REJECTED
    ):
        return "rejected"
    if entry.effective_on > today:
        return "pending"
    return "posted"


def payment_history(
    *, contracts: Iterable[Contract], today: date, kind: str = "", contract_number: str = ""
) -> list[HistoryLine]:
    """Payments of the last 24 months, newest first, read from the ledger (clearing-account side)."""
    since = add_months(today, -HISTORY_MONTHS)
    by_id = {c.pk: c for c in contracts}
    if contract_number:
        by_id = {k: c for k, c in by_id.items() if c.number == contract_number}
    kinds = [k for k, v in HISTORY_KINDS.items() if not kind or v == kind]
    postings = (
        Posting.objects.filter(
            entry__contract_id__in=by_id, entry__kind__in=kinds, entry__effective_on__gte=since
        )
        .filter(Q(account__code__startswith="clearing:"))
        .select_related("entry")
        .order_by("-entry__effective_on", "-entry_id")
    )
    entries = [p.entry for p in postings]
    debits = {
        d.entry_key: d for d in DirectDebit.objects.filter(entry_key__in=[e.idempotency_key for e in entries])
    }
    lines = []
    for p in postings:
        e = p.entry
        contract = by_id[e.contract_id]
        lines.append(
            HistoryLine(
                on=e.effective_on,
                contract_number=contract.number,
                amount=contract.money(p.amount_minor),
                kind=HISTORY_KINDS[e.kind],
                label=JournalEntry.Kind(e.kind).label,
                status=_status_of(e, debits, today),
                reference=e.idempotency_key,
            )
        )
    return lines


@dataclass(frozen=True)
class CalendarItem:
    on: date
    contract_number: str
    amount: Money
    what: str


def calendar_for(*, contracts: Iterable[Contract], today: date, months: int = 3) -> list[CalendarItem]:
    """Coming installments and scheduled transfers over the next ``months`` months, by date."""
    until = add_months(today, months)
    items: list[CalendarItem] = []
    contracts = list(contracts)
    by_version = {c.current_schedule_id: c for c in contracts if c.current_schedule_id}
    # One query for every contract's coming lines: the payments page must not cost a query per contract.
    lines = ScheduleLine.objects.filter(version_id__in=by_version, due_on__gt=today, due_on__lte=until)
    for ln in lines.order_by("due_on"):
        c = by_version[ln.version_id]
        items.append(CalendarItem(ln.due_on, c.number, c.money(ln.total_due_minor), "installment"))
    # Revolving lines have no stored schedule: their statements, drawn up and coming (two queries).
    from guichet.loans.revolving_line import line_states, statement_lines

    for state in line_states(c for c in contracts if c.is_active).values():
        c = state.contract
        for st in statement_lines(state, today):
            if today < st.due_on <= until:
                items.append(CalendarItem(st.due_on, c.number, c.money(st.total_due_minor), "installment"))
    transfers = ScheduledTransfer.objects.filter(
        contract__in=contracts, status=ScheduledTransfer.Status.ACTIVE
    )
    for t in transfers.select_related("contract"):
        for on in transfer_dates(t, today + timedelta(days=1), until):
            items.append(CalendarItem(on, t.contract.number, t.amount, "transfer"))
    return sorted(items, key=lambda i: (i.on, i.contract_number))


def transfer_dates(transfer: ScheduledTransfer, start: date, until: date) -> list[date]:
    """The dates a scheduled transfer is expected between ``start`` and ``until`` (inclusive)."""
    if transfer.frequency == ScheduledTransfer.Frequency.ONCE:
        return [transfer.first_on] if start <= transfer.first_on <= until else []
    dates, k = [], 0
    while (on := add_months(transfer.first_on, k, day=transfer.first_on.day)) <= until:
        if on >= start and (transfer.last_on is None or on <= transfer.last_on):
            dates.append(on)
        k += 1
    return dates
