"""The monthly statement of a revolving line (relevé mensuel), free (seed 004), in "Mes documents".

Every figure is read from the ledger: the statement's own entry (interest, insurance, capital
share = the minimum due) and the line's movements over the period (utilisations, payments), so
``opening used + drawdowns − repayments − capital share = closing used`` holds by construction
and is tested against the principal account. Delivered once per statement and holder: a re-run
finds the document by its title and sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Sum
from django.utils.translation import gettext as _
from django.utils.translation import override

from guichet.cards.models import SplitPlan
from guichet.credit import Money
from guichet.credit.revolving import RateTier
from guichet.loans.models import Account, Contract, JournalEntry, Posting, ScheduleLine
from guichet.loans.revolving_line import line_state, next_debit_day, projected_statements

from .models import Document
from .rendering import render_pdf
from .services import deliver_document


@dataclass(frozen=True)
class Movement:
    on: date
    label: str
    amount: Money  # + increases the amount used (a drawdown), − reduces it


@dataclass(frozen=True)
class StatementSheet:
    contract: Contract
    period_start: date
    period_end: date
    limit: Money
    opening_used: Money
    movements: tuple[Movement, ...]
    payments: Money
    interest: Money
    insurance: Money
    capital: Money
    closing_used: Money
    available: Money
    minimum_due: Money  # interest + insurance + capital share, due on period_end
    tier: RateTier
    taeg: Decimal
    insurance_rate: Decimal | None
    next_statement_on: date | None
    next_estimate: Money | None
    # split payments at partners (issue 12): the sub-plans' installments falling due in the period
    plan_installments: tuple[PlanInstallment, ...] = ()

    @property
    def total_due(self) -> Money:
        """The minimum due on the line plus the sub-plans' installments of the period."""
        return sum((p.amount for p in self.plan_installments), self.minimum_due)


@dataclass(frozen=True)
class PlanInstallment:
    label: str  # e.g. "COFIDIS Pay … — Librairie du Centre, 3/10"
    due_on: date
    interest: Money
    principal: Money
    amount: Money


def _principal_on(contract: Contract, on: date, *, before_entry: int | None = None) -> int:
    qs = Posting.objects.filter(
        entry__contract=contract, account__kind=Account.Kind.PRINCIPAL, entry__effective_on__lte=on
    )
    if before_entry is not None:
        qs = qs.exclude(entry_id=before_entry)
    return qs.aggregate(t=Sum("amount_minor"))["t"] or 0


def statement_sheet(*, entry: JournalEntry) -> StatementSheet:
    """The statement drawn up by ``entry`` (an ``INSTALLMENT_DUE`` entry of a revolving line)."""
    contract = entry.contract
    if (
        contract is None
        or contract.kind != Contract.Kind.REVOLVING
        or entry.kind != JournalEntry.Kind.INSTALLMENT_DUE
    ):
        raise ValueError("Only a revolving line's statement entry has a monthly statement.")
    m = contract.money
    previous = (
        JournalEntry.objects.filter(
            contract=contract, kind=JournalEntry.Kind.INSTALLMENT_DUE, effective_on__lt=entry.effective_on
        )
        .order_by("-effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    first = (
        JournalEntry.objects.filter(contract=contract, kind=JournalEntry.Kind.DRAWDOWN)
        .order_by("effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    start = previous or first or contract.start_on
    due = {k: 0 for k in ("interest_due", "insurance_due", "principal_due")}
    for kind, amount in entry.postings.filter(account__kind__in=list(due)).values_list(
        "account__kind", "amount_minor"
    ):
        due[kind] += amount
    opening = _principal_on(contract, start)
    rows = (
        Posting.objects.filter(
            entry__contract=contract,
            entry__effective_on__gt=start,
            entry__effective_on__lte=entry.effective_on,
        )
        .exclude(entry=entry)
        .order_by("entry__effective_on", "entry_id")
        .values_list("entry__effective_on", "entry__kind", "account__kind", "amount_minor", "entry__memo")
    )
    movements, payments = [], 0
    labels = {
        JournalEntry.Kind.DRAWDOWN: _("Utilisation"),
        JournalEntry.Kind.EARLY_REPAYMENT: _("Remboursement anticipé"),
    }
    for on, kind, account_kind, amount, memo in rows:
        if account_kind == Account.Kind.PRINCIPAL:
            # a fee says which (its memo is the sheet's label: "Réédition du code", "Frais de retrait"...)
            fee = kind == JournalEntry.Kind.FEE and memo
            label = memo if fee else (labels.get(kind) or str(JournalEntry.Kind(kind).label))
            movements.append(Movement(on, str(label), m(amount)))
        elif kind == JournalEntry.Kind.PAYMENT and account_kind == Account.Kind.CLEARING:
            payments += amount
    closing = _principal_on(contract, entry.effective_on)
    state = line_state(contract)
    coming = (
        projected_statements(state, entry.effective_on)
        if state.statements[-1:] and state.statements[-1].due_on == entry.effective_on
        else []
    )
    limit = m(contract.credit_limit_minor)
    rate = contract.insurance_rate
    plans = _plan_installments(contract, start, entry.effective_on)
    return StatementSheet(
        contract=contract,
        period_start=start,
        period_end=entry.effective_on,
        limit=limit,
        opening_used=m(opening),
        movements=tuple(movements),
        payments=m(payments),
        interest=m(due["interest_due"]),
        insurance=m(due["insurance_due"]),
        capital=m(due["principal_due"]),
        closing_used=m(closing),
        available=limit - m(closing),
        minimum_due=m(sum(due.values())),
        tier=state.tier if closing else state.tiers[0],
        taeg=Decimal(contract.taeg),
        insurance_rate=Decimal(rate) if rate else None,
        next_statement_on=coming[0].due_on
        if coming
        else (next_debit_day(contract, entry.effective_on) if closing else None),
        next_estimate=m(coming[0].total_due_minor) if coming else None,
        plan_installments=plans,
    )


def _plan_installments(contract: Contract, start: date, end: date) -> tuple[PlanInstallment, ...]:
    """The installments of the card's split sub-plans falling due in (start, end] (their own contracts'
    current schedules, each debited on its own day)."""
    plans = list(SplitPlan.objects.filter(card__contract=contract).select_related("plan", "operation"))
    if not plans:
        return ()
    by_contract = {p.plan_id: p for p in plans}
    lines = (
        ScheduleLine.objects.filter(contract_id__in=list(by_contract), due_on__gt=start, due_on__lte=end)
        .filter(version_id=F("contract__current_schedule_id"))
        .order_by("due_on", "contract_id")
    )
    out = []
    for ln in lines:
        plan = by_contract[ln.contract_id]
        label = f"{plan.plan.product_name} — {plan.operation.merchant or plan.operation.external_id}, "
        out.append(PlanInstallment(f"{label}{ln.number}/{plan.installments}", ln.due_on,
                                   contract.money(ln.interest_minor), contract.money(ln.principal_minor),
                                   contract.money(ln.installment_minor + ln.insurance_minor)))  # fmt: skip
    return tuple(out)


def statement_title(entry: JournalEntry) -> str:
    return _("Relevé de compte du %(day)s") % {"day": f"{entry.effective_on:%d/%m/%Y}"}


def deliver_statement(*, entry: JournalEntry, notify: bool = True) -> list[Document]:
    """Render the statement once per holder, in their language, into "Mes documents" (idempotent)."""
    contract = entry.contract
    sheet = statement_sheet(entry=entry)
    out = []
    for participant in contract.participants.select_related("customer").order_by("role", "pk"):
        customer = participant.customer
        with override(customer.language or "fr"):
            title = statement_title(entry)
        existing = Document.objects.filter(
            customer=customer, contract=contract, kind=Document.Kind.STATEMENT, title=title
        ).first()
        if existing is not None:
            out.append(existing)
            continue
        pdf = render_pdf(
            template="documents/pdf/statement.html",
            context={"st": sheet, "issued_on": sheet.period_end},
            language=customer.language or "fr",
        )
        out.append(
            deliver_document(
                customer=customer,
                kind=Document.Kind.STATEMENT,
                title=title,
                pdf=pdf,
                contract=contract,
                notify=notify,
            )
        )
    return out


def deliver_statements(*, on: date, notify: bool = True) -> int:
    """Deliver every revolving statement drawn up on ``on`` (after ``close_revolving_statements``)."""
    entries = JournalEntry.objects.filter(
        kind=JournalEntry.Kind.INSTALLMENT_DUE, effective_on=on, contract__kind=Contract.Kind.REVOLVING
    ).select_related("contract")
    return sum(len(deliver_statement(entry=e, notify=notify)) for e in entries)
