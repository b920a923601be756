"""The revolving line as the borrower sees it, read from the ledger: limit, used, available, the
statements already drawn up and the coming ones (L312-65, D312-27 to D312-29).

Nothing here is stored: a line's state is rebuilt from its principal postings and its statements
(``INSTALLMENT_DUE`` entries), so the page, the PDFs, the calendar and the statement posted by the
daily run compute the same figures with the same function (``statement_for``). Coming statements
are a projection — what the borrower will pay if she draws nothing more and pays each minimum.
``line_states`` reads any number of lines in two queries (plus the catalogue's cached tiers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from guichet.catalogue.exceptions import CatalogueError
from guichet.catalogue.selectors import revolving_tiers
from guichet.credit import Money
from guichet.credit.dates import add_months
from guichet.credit.rates import daily_period_rate
from guichet.credit.revolving import (
    SPEED_MONTHS,
    Convention,
    RateTier,
    RevolvingStatement,
    revolving_statement,
    tier_for,
)
from guichet.loans.models import Account, Contract, JournalEntry, Posting

# One interest convention for every revolving contract (docs/credit.md §5): the sheet's daily
# period rate, debit rate / 365 per actual day; the disclosed TAEG is computed with it.
INTEREST_CONVENTION: Convention = "daily"
PROJECTION_LIMIT = 72  # statements; the law clears any line within 60 months of its last drawdown


@dataclass(frozen=True)
class StatementLine:
    """One statement (drawn up, or projected) in the shape of a ``ScheduleLine``."""

    number: int
    due_on: date
    interest_minor: int
    principal_minor: int
    insurance_minor: int
    balance_after_minor: int
    projected: bool

    @property
    def installment_minor(self) -> int:
        return self.interest_minor + self.principal_minor

    @property
    def total_due_minor(self) -> int:
        return self.installment_minor + self.insurance_minor


@dataclass
class _Ledger:
    """The postings of one line that matter: principal movements and statement amounts."""

    principal: list[tuple[date, int, int, str]] = field(default_factory=list)  # (on, entry, amount, kind)
    statements: dict[int, dict[str, int]] = field(default_factory=dict)  # entry -> kind -> amount
    statement_dates: dict[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class LineState:
    contract: Contract
    limit: Money
    used: Money
    tiers: tuple[RateTier, ...]
    k: Money | None  # D312-27: the principal owed right after the last drawdown
    statements_since_drawdown: int
    period_start: date  # the last statement's date (or the first drawdown's)
    history: tuple[tuple[date, int], ...]  # principal changes (date, amount), in order
    statements: tuple[StatementLine, ...]  # drawn up, in order

    @property
    def available(self) -> Money:
        return self.limit - self.used

    @property
    def tier(self) -> RateTier:
        return tier_for(self.used, self.tiers)

    @property
    def insured(self) -> bool:
        return bool(self.contract.insurance_rate)

    @property
    def speed_months(self) -> int | None:
        return SPEED_MONTHS.get(self.contract.revolving_speed or "")


def tiers_of(contract: Contract) -> tuple[RateTier, ...]:
    """The contract's rate tiers by amount used: the catalogue's when it knows the product (tariff in
    force when the contract was opened), else one tier at the contract's own debit rate."""
    if contract.product_id:
        try:
            return tuple(
                revolving_tiers(contract.product_code, contract.start_on, in_currency=contract.currency_obj)
            )
        except CatalogueError:
            pass
    rate = Decimal(contract.debit_rate)
    return (RateTier(None, rate, Decimal(contract.taeg), daily_period_rate(rate)),)


def _read_ledgers(contracts: Sequence[Contract]) -> dict[int, _Ledger]:
    ledgers: dict[int, _Ledger] = {c.pk: _Ledger() for c in contracts}
    kinds = {
        Account.Kind.PRINCIPAL: "principal",
        Account.Kind.PRINCIPAL_DUE: "principal",
        Account.Kind.INTEREST_DUE: "interest",
        Account.Kind.INSURANCE_DUE: "insurance",
    }
    rows = (
        Posting.objects.filter(entry__contract_id__in=list(ledgers), account__kind__in=list(kinds))
        .order_by("entry__effective_on", "entry_id", "pk")
        .values_list(
            "entry__contract_id",
            "entry_id",
            "entry__kind",
            "entry__effective_on",
            "account__kind",
            "amount_minor",
        )
    )
    for contract_id, entry_id, entry_kind, on, account_kind, amount in rows:
        ledger = ledgers[contract_id]
        if account_kind == Account.Kind.PRINCIPAL:
            ledger.principal.append((on, entry_id, amount, entry_kind))
        elif entry_kind == JournalEntry.Kind.INSTALLMENT_DUE and amount > 0:
            due = ledger.statements.setdefault(entry_id, {"principal": 0, "interest": 0, "insurance": 0})
            due[kinds[account_kind]] += amount
            ledger.statement_dates[entry_id] = on
    return ledgers


def _state(contract: Contract, ledger: _Ledger) -> LineState:
    m = contract.money
    balance, k, k_at, history = 0, None, None, []
    balance_after: dict[int, int] = {}
    for on, entry_id, amount, kind in ledger.principal:
        balance += amount
        history.append((on, amount))
        balance_after[entry_id] = balance
        if kind == JournalEntry.Kind.DRAWDOWN:
            k, k_at = balance, (on, entry_id)
    changed = contract.speed_changed_on
    if changed is not None and (k_at is None or changed > k_at[0]):
        # A new speed restarts the period on the balance owed that day, as a drawdown would.
        k, k_at = sum(a for on, _, a, _ in ledger.principal if on <= changed), (changed, 1 << 62)
    statements, since, last = [], 0, None
    order = sorted(ledger.statements, key=lambda e: (ledger.statement_dates[e], e))
    for n, entry_id in enumerate(order, 1):
        on, due = ledger.statement_dates[entry_id], ledger.statements[entry_id]
        after = balance_after.get(entry_id, 0)
        statements.append(
            StatementLine(n, on, due["interest"], due["principal"], due["insurance"], after, False)
        )
        last = on
        if k_at is not None and (on, entry_id) > k_at:
            since += 1
    first_draw = next((on for on, _, _, kind in ledger.principal if kind == JournalEntry.Kind.DRAWDOWN), None)
    return LineState(
        contract=contract,
        limit=m(contract.credit_limit_minor),
        used=m(balance),
        tiers=tiers_of(contract),
        k=None if k is None else m(k),
        statements_since_drawdown=since,
        period_start=last or first_draw or contract.start_on,
        history=tuple(history),
        statements=tuple(statements),
    )


def line_states(contracts: Iterable[Contract]) -> dict[int, LineState]:
    """The state of every revolving contract given, in two queries whatever their number."""
    revolving = [c for c in contracts if c.kind == Contract.Kind.REVOLVING]
    if not revolving:
        return {}
    ledgers = _read_ledgers(revolving)
    return {c.pk: _state(c, ledgers[c.pk]) for c in revolving}


def line_state(contract: Contract) -> LineState:
    return line_states([contract])[contract.pk]


def with_drawdown(state: LineState, amount: Money, on: date) -> LineState:
    """The line as it would stand after drawing ``amount`` on ``on`` (K and the count restart)."""
    used = state.used + amount
    start = state.period_start if state.history else on
    return replace(state, used=used, k=used, statements_since_drawdown=0, period_start=start,
                   history=(*state.history, (on, amount.minor)))  # fmt: skip


def next_debit_day(contract: Contract, after: date) -> date:
    """The first debit day strictly after ``after``."""
    day = contract.debit_day or contract.start_on.day
    candidate = add_months(after, 0, day=day)
    return candidate if candidate > after else add_months(after, 1, day=day)


def segments(state: LineState, start: date, end: date) -> list[tuple[Money, int]]:
    """(principal owed, days) stretches from ``start`` to ``end``: the balance after a day's
    movements bears interest from that day; a movement on ``end`` belongs to the next period."""
    m = state.contract.money
    balance = sum(a for on, a in state.history if on <= start)
    out, cursor = [], start
    for on, amount in state.history:
        if start < on < end:
            if on > cursor:
                out.append((m(balance), (on - cursor).days))
                cursor = on
            balance += amount
    out.append((m(balance), (end - cursor).days))
    return [(b, d) for b, d in out if d > 0] or [(m(balance), 0)]


def statement_for(state: LineState, period_end: date) -> RevolvingStatement:
    """The statement due on ``period_end`` for the line as the ledger stands (what the run posts)."""
    contract = state.contract
    used = state.contract.money(sum(a for on, a in state.history if on < period_end))
    return revolving_statement(
        opening_balance=used,
        period_start=state.period_start,
        period_end=period_end,
        tiers=state.tiers,
        limit=state.limit,
        insurance_rate=Decimal(contract.insurance_rate) if contract.insurance_rate else None,
        speed_months=state.speed_months,
        capital_after_last_drawdown=state.k,
        statements_since_drawdown=state.statements_since_drawdown,
        segments=segments(state, state.period_start, period_end),
        convention=INTEREST_CONVENTION,
    )


def projected_statements(state: LineState, on: date, limit: int = PROJECTION_LIMIT) -> list[StatementLine]:
    """The coming statements if nothing more is drawn and each minimum is paid (at most ``limit``, 72)."""
    if state.used.is_zero() or not state.contract.is_active:
        return []
    due_on = next_debit_day(state.contract, state.period_start)
    while due_on < on:
        due_on = next_debit_day(state.contract, due_on)
    current, out, number = state, [], len(state.statements)
    contract = state.contract
    while not current.used.is_zero() and len(out) < min(limit, PROJECTION_LIMIT):
        st = statement_for(current, due_on)
        number += 1
        out.append(
            StatementLine(number, due_on, st.interest.minor, st.capital_repaid.minor, st.insurance.minor,
                          st.closing_balance.minor, True)
        )  # fmt: skip
        current = LineState(
            contract=contract,
            limit=current.limit,
            used=st.closing_balance,
            tiers=current.tiers,
            k=current.k or st.opening_balance,
            statements_since_drawdown=current.statements_since_drawdown + 1,
            period_start=due_on,
            history=((due_on, st.closing_balance.minor),),
            statements=(),
        )
        due_on = next_debit_day(contract, due_on)
    return out


def statement_lines(state: LineState, on: date, projected: int = PROJECTION_LIMIT) -> list[StatementLine]:
    """The statements drawn up, then (at most ``projected`` of) the projected ones: the line's calendar."""
    return list(state.statements) + projected_statements(state, on, projected)
