"""Read paths for contracts: the customer's contracts, dashboard, balances, schedule and arrears.

``contracts_for(customer)`` is the security boundary: portal code reaches a contract only
through it, so a contract number belonging to someone else never resolves. Every selector
runs a fixed number of queries, whatever the number of contracts, lines or postings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.credit import Money
from guichet.loans.models import Account, Contract, ContractPosition, JournalEntry, Posting, ScheduleLine
from guichet.loans.positions import Position, position_of

ARREARS_BUCKETS: tuple[tuple[int, str], ...] = ((90, "90+"), (60, "60-89"), (30, "30-59"), (1, "1-29"))
LINE_STATUS_LABELS = {
    "paid": _("Payée"),
    "partial": _("Partiellement payée"),
    "unpaid": _("Impayée"),
    "due": _("À payer"),
    "upcoming": _("À venir"),
}


@dataclass(frozen=True)
class Balances:
    outstanding_principal: Money
    arrears: Money
    paid_total: Money
    percent_repaid: Decimal  # a percentage, 0–100, two decimals
    due_unpaid: Money  # everything fallen due and not paid, including today's installment
    lent: Money
    suspense: Money  # overpayment waiting to be used (positive = owed to the customer)


@dataclass(frozen=True)
class NextInstallment:
    due_on: date
    amount: Money  # installment + insurance


@dataclass(frozen=True)
class ContractSummary:
    contract: Contract
    product_name: str
    number: str
    start_on: date
    status: str
    status_label: str
    kind: str
    percent_repaid: Decimal
    outstanding_principal: Money
    next_installment: NextInstallment | None
    arrears: Money
    days_past_due: int
    available: Money | None  # revolving only
    used: Money | None  # revolving only


@dataclass(frozen=True)
class ScheduleLineView:
    number: int
    due_on: date
    installment: Money
    interest: Money
    principal: Money
    insurance: Money
    total_due: Money
    balance_after: Money
    status: str  # paid | partial | unpaid | due | upcoming
    status_label: str
    paid: Money


def contracts_for(customer: Any) -> QuerySet[Contract]:
    """The contracts where ``customer`` is borrower or co-borrower, newest first."""
    if customer is None or customer.pk is None:
        return Contract.objects.none()
    return Contract.objects.filter(participants__customer=customer).order_by("-start_on", "-pk")


def contract_for(customer: Any, number: str) -> Contract:
    """One of the customer's contracts by number; ``Contract.DoesNotExist`` for anyone else's."""
    if not isinstance(number, str) or not number.isdigit():
        raise Contract.DoesNotExist(f"No contract {number!r} for this customer.")
    generation = ContractPosition.generation
    found = contracts_for(customer).select_related("position").get(number=number)
    return _with_position([found], generation)[0]


def _percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _balances(contract: Contract, position: ContractPosition | Position, on: date) -> Balances:
    m = contract.money
    outstanding = position.outstanding_principal_minor
    return Balances(
        outstanding_principal=m(outstanding),
        arrears=m(position.arrears_minor(on)),
        paid_total=m(position.paid_minor),
        percent_repaid=_percent(position.lent_minor - outstanding, position.lent_minor),
        due_unpaid=m(position.due_unpaid_minor),
        lent=m(position.lent_minor),
        suspense=m(-position.balance("suspense")),
    )


def stored_position(contract: Contract) -> ContractPosition | Position:
    """The contract's position as the ledger writers keep it (``ContractPosition``), in one query at most.

    A row read with the contract (``_with_position``) or by an earlier call is reused only while
    no position was refreshed since in this process (``ContractPosition.generation``), so a
    service that posts and then reads never sees the position from before its entry. A contract
    without a row is computed from its ledger, so a reader never sees less than the truth.
    """
    cached = contract._state.fields_cache.get("position")
    if cached is not None and contract.__dict__.get("_position_generation") == ContractPosition.generation:
        return cached
    generation = ContractPosition.generation
    row = ContractPosition.objects.filter(contract_id=contract.pk).first()
    if row is None:
        return position_of(contract.pk)
    contract._state.fields_cache["position"] = row
    contract._position_generation = generation  # type: ignore[attr-defined]
    return row


def _with_position(contracts: Iterable[Contract], generation: int) -> list[Contract]:
    """Mark contracts fetched with ``select_related("position")`` as carrying a fresh row."""
    found = list(contracts)
    for c in found:
        c._position_generation = generation  # type: ignore[attr-defined]
    return found


def balance_of(contract: Contract, on: date | None = None) -> Balances:
    """Outstanding principal, arrears, total paid and % repaid, from the stored position (one query)."""
    return _balances(contract, stored_position(contract), on or timezone.localdate())


def days_past_due(contract: Contract, on: date | None = None) -> int:
    """Days since the oldest unpaid due date (0 when nothing is late)."""
    return stored_position(contract).days_past_due(on or timezone.localdate())


def arrears_bucket(days: int) -> str | None:
    """The delinquency bucket of a number of days past due: 1-29, 30-59, 60-89, 90+ (None if 0)."""
    for floor, label in ARREARS_BUCKETS:
        if days >= floor:
            return label
    return None


def _line_views(
    contract: Contract, lines: Iterable[ScheduleLine], position: ContractPosition | Position, on: date
) -> list:
    m, covered, cumulative, views = contract.money, position.installments_covered_minor, 0, []
    for line in lines:
        total_due = line.installment_minor + line.insurance_minor
        paid = max(0, min(total_due, covered - cumulative))
        cumulative += total_due
        if paid >= total_due and line.due_on <= on:  # money posted ahead of its date (a debit
            status = "paid"  # collected in advance) pays nothing before that date: one rule with the history
        elif line.due_on < on:
            status = "partial" if paid else "unpaid"
        else:
            status = "due" if line.due_on == on else "upcoming"
        views.append(
            ScheduleLineView(
                number=line.number,
                due_on=line.due_on,
                installment=m(line.installment_minor),
                interest=m(line.interest_minor),
                principal=m(line.principal_minor),
                insurance=m(line.insurance_minor),
                total_due=m(total_due),
                balance_after=m(line.balance_after_minor),
                status=status,
                status_label=str(LINE_STATUS_LABELS[status]),
                paid=m(paid),
            )
        )
    return views


def schedule_of(contract: Contract, which: str = "all", on: date | None = None) -> list[ScheduleLineView]:
    """The current schedule with each line's paid status; ``which``: all | upcoming | past."""
    if which not in ("all", "upcoming", "past"):
        raise ValueError(f"which must be all, upcoming or past, not {which!r}.")
    on = on or timezone.localdate()
    lines: Iterable[Any]
    if contract.kind == Contract.Kind.REVOLVING:
        from guichet.loans.revolving_line import line_state, statement_lines

        lines = statement_lines(line_state(contract), on)  # statements drawn up, then the coming ones
    else:
        lines = ScheduleLine.objects.filter(version_id=contract.current_schedule_id).order_by("number")
    views = _line_views(contract, lines, stored_position(contract), on)
    if which == "upcoming":
        return [v for v in views if v.due_on >= on]
    if which == "past":
        return [v for v in views if v.due_on < on]
    return views


def _next_installment(
    contract: Contract, lines: Iterable[tuple[date, int]], covered: int, on: date
) -> NextInstallment | None:
    """The first line due on or after ``on`` that payments do not cover (lines in number order).

    The same rule as the ``paid`` status of ``_line_views`` — payments cover the lines oldest
    first, so a line is paid when the payments reach the running total up to it — without
    building a view of every line (the dashboard's hot path, tests/bench/bench_dashboard.py).
    """
    running = 0
    for due_on, total_due in lines:
        running += total_due
        if total_due > 0 and running > covered and due_on >= on:
            return NextInstallment(due_on, contract.money(total_due))
    return None


def dashboard_for(customer: Any, on: date | None = None) -> list[ContractSummary]:
    """One summary per contract of the customer, from their stored positions: one query for the
    contracts and their positions, plus one for the schedules of contracts whose stored next
    installment is already past (arrears) and two for revolving lines, whatever their number."""
    on = on or timezone.localdate()
    contracts = _with_position(
        contracts_for(customer).select_related("position"), ContractPosition.generation
    )
    positions = {c.pk: stored_position(c) for c in contracts}
    active = [c for c in contracts if c.is_active]
    nexts = _revolving_nexts(active, positions, on)
    from_schedule = []
    for c in active:
        if c.pk in nexts:
            continue
        found = _stored_next(c, positions[c.pk], on)
        if found is _READ_SCHEDULE:
            from_schedule.append(c)
        else:
            nexts[c.pk] = found
    nexts.update(_next_from_schedules(from_schedule, positions, on))
    return [_summary(c, positions[c.pk], nexts.get(c.pk), on) for c in contracts]


_READ_SCHEDULE = object()


def _stored_next(contract: Contract, position: ContractPosition | Position, on: date) -> Any:
    """The next installment the writers stored, or ``_READ_SCHEDULE`` when it must be read from the
    schedule: the stored line is past (the contract is in arrears) or belongs to another schedule."""
    if (
        not isinstance(position, ContractPosition)
        or position.schedule_version_id != contract.current_schedule_id
    ):
        return _READ_SCHEDULE
    if position.next_due_on is None:
        return None  # every line is covered
    if position.next_due_on < on:
        return _READ_SCHEDULE
    return NextInstallment(position.next_due_on, contract.money(position.next_amount_minor))


def _next_from_schedules(
    contracts: list[Contract], positions: dict[int, Any], on: date
) -> dict[int, NextInstallment | None]:
    """``_next_installment`` over the schedule lines of these contracts, in one query (none if empty)."""
    if not contracts:
        return {}
    lines_by_version: dict[int, list[tuple[date, int]]] = {}
    rows = (
        ScheduleLine.objects.filter(version_id__in=[c.current_schedule_id for c in contracts])
        .order_by("version_id", "number")
        .values_list("version_id", "due_on", "installment_minor", "insurance_minor")
    )
    for version_id, due_on, installment, insurance in rows:
        lines_by_version.setdefault(version_id, []).append((due_on, installment + insurance))
    return {
        c.pk: _next_installment(
            c,
            lines_by_version.get(c.current_schedule_id or 0, []),
            positions[c.pk].installments_covered_minor,
            on,
        )
        for c in contracts
    }


def _revolving_nexts(
    contracts: list[Contract], positions: dict[int, Any], on: date
) -> dict[int, NextInstallment | None]:
    """A revolving line's next installment from its statements, drawn up and coming (two queries).

    Projecting a line's statements to its end costs tens of statements; the next installment is
    nearly always a drawn-up one or the first coming one, so only that one is projected, and the
    whole projection only when it does not answer (the result is the same either way).
    """
    from guichet.loans.revolving_line import line_states, statement_lines

    found: dict[int, NextInstallment | None] = {}
    for pk, state in line_states(contracts).items():
        covered = positions[pk].installments_covered_minor
        lines = statement_lines(state, on, projected=1)
        if not lines:
            continue  # as before: no statement, the schedule (if any) answers
        nxt = _next_installment(
            state.contract, [(ln.due_on, ln.total_due_minor) for ln in lines], covered, on
        )
        if nxt is None and len(lines) > len(state.statements):
            every = statement_lines(state, on)
            nxt = _next_installment(
                state.contract, [(ln.due_on, ln.total_due_minor) for ln in every], covered, on
            )
        found[pk] = nxt
    return found


def _summary(
    contract: Contract,
    position: ContractPosition | Position,
    next_installment: NextInstallment | None,
    on: date,
) -> ContractSummary:
    balances = _balances(contract, position, on)
    revolving = contract.kind == Contract.Kind.REVOLVING
    active = contract.is_active
    used = balances.outstanding_principal if revolving else None
    return ContractSummary(
        contract=contract,
        product_name=contract.product_name,
        number=contract.number,
        start_on=contract.start_on,
        status=contract.status,
        status_label=str(contract.get_status_display()),
        kind=contract.kind,
        percent_repaid=balances.percent_repaid,
        outstanding_principal=balances.outstanding_principal,
        next_installment=next_installment if active else None,
        arrears=balances.arrears,
        days_past_due=position.days_past_due(on),
        available=(contract.money(contract.credit_limit_minor) - used)
        if revolving and used is not None
        else None,
        used=used,
    )


def principal_repaid_early(
    contract: Contract, *, after: date | None = None, through: date | None = None
) -> Money:
    """Principal repaid early on ``contract`` with an effective date in (``after``, ``through``] (all
    time by default), read from the ledger: early-repayment entries less their reversals. The
    D312-15 threshold counts it over twelve months; the invariants over the contract's life."""
    early, reversal = JournalEntry.Kind.EARLY_REPAYMENT, JournalEntry.Kind.REVERSAL
    postings = Posting.objects.filter(
        account__contract=contract, account__kind=Account.Kind.PRINCIPAL
    ).filter(Q(entry__kind=early) | Q(entry__kind=reversal, entry__reverses__kind=early))
    if after is not None:
        postings = postings.filter(entry__effective_on__gt=after)
    if through is not None:
        postings = postings.filter(entry__effective_on__lte=through)
    return contract.money(-(postings.aggregate(s=Sum("amount_minor"))["s"] or 0))


def lines_not_made_due(contract: Contract, on: date) -> QuerySet[ScheduleLine]:
    """Lines of the current schedule due on or before ``on`` that the ledger has not made due yet.

    The ledger makes one installment due per due date (``post_installment_due``), so a line whose
    date already has an installment-due entry is not one of them. A payoff dated ``on`` adds these
    lines to the arrears, and makes them due before it posts.
    """
    posted = JournalEntry.objects.filter(
        contract=contract, kind=JournalEntry.Kind.INSTALLMENT_DUE, effective_on__lte=on
    ).values("effective_on")
    return ScheduleLine.objects.filter(version_id=contract.current_schedule_id, due_on__lte=on).exclude(
        due_on__in=posted
    )
