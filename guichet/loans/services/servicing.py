"""Installments falling due, payments and their allocation, fees, and the daily servicing batch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from guichet.credit import Money
from guichet.credit.dates import add_months
from guichet.loans.errors import LoansError
from guichet.loans.models import Account, Contract, JournalEntry, ScheduleLine
from guichet.loans.positions import Position, position_of, positions_for
from guichet.loans.selectors import lines_not_made_due

from .ledger import contract_account, lender_account, post_entry
from .revolving import post_revolving_statement

K = Account.Kind
_PART = {K.INTEREST_DUE: "due:interest", K.INSURANCE_DUE: "due:insurance", K.PRINCIPAL_DUE: "due:principal"}
_PART[K.FEES_DUE] = "due:fees"


def due_key(contract: Contract, line: ScheduleLine) -> str:
    return f"due:{contract.number}:{line.number}:{line.version.number}"


def post_installment_due(*, contract: Contract, line: ScheduleLine, key: str | None = None) -> JournalEntry:
    """An installment falls due: its principal moves to ``due``, interest and insurance are recognised.

    One installment per contract and due date: a line carried into a new schedule version is
    not posted a second time under the new version's key.
    """
    posted = JournalEntry.objects.filter(
        contract=contract, kind=JournalEntry.Kind.INSTALLMENT_DUE, effective_on=line.due_on
    ).first()
    if posted is not None:
        return posted
    m, cur = contract.money, contract.currency
    return post_entry(
        key=key or due_key(contract, line),
        kind=JournalEntry.Kind.INSTALLMENT_DUE,
        effective_on=line.due_on,
        contract=contract,
        memo=f"Échéance n° {line.number} du {line.due_on:%d/%m/%Y}",
        lines=[
            (contract_account(contract, "due:principal"), m(line.principal_minor)),
            (contract_account(contract, "principal"), -m(line.principal_minor)),
            (contract_account(contract, "due:interest"), m(line.interest_minor)),
            (lender_account("income:interest", cur), -m(line.interest_minor)),
            (contract_account(contract, "due:insurance"), m(line.insurance_minor)),
            (lender_account("payable:insurance", cur), -m(line.insurance_minor)),
        ],
    )


def make_due_through(*, contract: Contract, on: date) -> list[JournalEntry]:
    """Post every installment of the current schedule due on or before ``on`` that is not posted yet,
    and return the entries posted.

    What the daily servicing would have done by ``on``; an operation dated ``on`` (a payoff, say)
    calls it first so the ledger and the schedule agree on what is due that day.
    """
    lines = lines_not_made_due(contract, on).select_related("version").order_by("number")
    return [post_installment_due(contract=contract, line=line) for line in lines]


def _allocation(contract: Contract, position: Position, amount_minor: int, to_principal: bool) -> list:
    """Credit lines for ``amount_minor``: unpaid dues oldest first, then principal or suspense."""
    lines, left = [], amount_minor
    for item in position.unpaid_items():
        take = min(left, item.amount_minor)
        if take:
            lines.append((contract_account(contract, _PART[item.kind]), -contract.money(take)))
            left -= take
    if left and to_principal:
        take = min(left, position.balance(K.PRINCIPAL))
        if take:
            lines.append((contract_account(contract, "principal"), -contract.money(take)))
            left -= take
    if left:
        lines.append((contract_account(contract, "suspense"), -contract.money(left)))
    return lines


@transaction.atomic
def post_payment(
    *, contract: Contract, amount: Money, on: date, key: str, kind: str = "installment", memo: str = ""
) -> JournalEntry:
    """Record money received: arrears first, then the current due (interest, insurance, principal), fees.

    ``kind="early_repayment"`` puts what is left against the principal not yet due; otherwise
    (``"installment"``) an overpayment waits in the contract's suspense account.
    """
    if amount.currency.code != contract.currency:
        raise LoansError(
            f"Le contrat {contract.number} est en {contract.currency}, pas en {amount.currency.code}."
        )
    if amount.minor <= 0:
        raise LoansError("Un paiement doit être un montant positif.")
    if kind not in ("installment", "early_repayment"):
        raise LoansError(f"Type de paiement inconnu : {kind!r}.")
    existing = JournalEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing  # allocation depends on the moment: a replay returns what was posted
    Contract.objects.select_for_update().filter(pk=contract.pk).first()  # serialise allocations per contract
    early = kind == "early_repayment"
    lines = _allocation(contract, position_of(contract.pk), amount.minor, to_principal=early)
    return post_entry(
        key=key,
        kind=JournalEntry.Kind.EARLY_REPAYMENT if early else JournalEntry.Kind.PAYMENT,
        effective_on=on,
        contract=contract,
        memo=memo or f"Paiement reçu le {on:%d/%m/%Y}",
        lines=[(lender_account("clearing", contract.currency), amount), *lines],
    )


def apply_suspense(*, contract: Contract, on: date, key: str) -> JournalEntry | None:
    """Use money waiting in suspense (an earlier overpayment) to pay what has fallen due."""
    position = position_of(contract.pk)
    available = min(-position.balance(K.SUSPENSE), position.due_unpaid_minor)
    if available <= 0:
        return None
    lines = _allocation(contract, position, available, to_principal=False)
    return post_entry(
        key=key,
        kind=JournalEntry.Kind.PAYMENT,
        effective_on=on,
        contract=contract,
        memo="Affectation du trop-perçu",
        lines=[(contract_account(contract, "suspense"), contract.money(available)), *lines],
    )


def charge_fee(*, contract: Contract, amount: Money, on: date, key: str, memo: str) -> JournalEntry:
    """A fee becomes due (e.g. a returned direct debit, when the tariff and the law allow one)."""
    return post_entry(
        key=key,
        kind=JournalEntry.Kind.FEE,
        effective_on=on,
        contract=contract,
        memo=memo,
        lines=[
            (contract_account(contract, "due:fees"), amount),
            (lender_account("income:fees", contract.currency), -amount),
        ],
    )


@dataclass
class ServicingReport:
    on: date
    contracts: int = 0
    installments_posted: int = 0
    delinquent: int = 0
    cured: int = 0
    closed: int = 0


def _chunks(on: date, chunk_size: int) -> Iterator[list[int]]:
    ids = list(
        Contract.objects.filter(status__in=(Contract.Status.OPEN, Contract.Status.DELINQUENT))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), chunk_size):
        yield ids[start : start + chunk_size]


def run_daily_servicing(*, on: date, chunk_size: int = 1000) -> ServicingReport:
    """Post what falls due on ``on``, flag delinquency, close repaid contracts; safe to re-run.

    Active contracts are processed in chunks, each in its own transaction. On PostgreSQL a chunk
    is claimed with ``SELECT … FOR UPDATE SKIP LOCKED``, so several workers can run the same day
    side by side: each contract is handled by whoever locked it, and the idempotency keys make a
    contract handled twice (after a crash) harmless.
    """
    report = ServicingReport(on=on)
    for ids in _chunks(on, chunk_size):
        with transaction.atomic():
            claimed = Contract.objects.filter(pk__in=ids)
            if connection.features.has_select_for_update_skip_locked:
                claimed = claimed.select_for_update(skip_locked=True, of=("self",))
            _service_chunk(list(claimed), on, report)
    return report


def _service_chunk(contracts: list[Contract], on: date, report: ServicingReport) -> None:
    by_version = {c.current_schedule_id: c for c in contracts if c.current_schedule_id}
    lines = ScheduleLine.objects.filter(version_id__in=by_version, due_on=on).select_related("version")
    already = set(
        JournalEntry.objects.filter(
            contract__in=contracts, kind=JournalEntry.Kind.INSTALLMENT_DUE, effective_on=on
        ).values_list("contract_id", flat=True)
    )
    for line in lines:
        contract = by_version[line.version_id]
        post_installment_due(contract=contract, line=line)
        report.installments_posted += contract.pk not in already
        apply_suspense(contract=contract, on=on, key=f"suspense:{contract.number}:{on.isoformat()}")
    for contract in contracts:
        if contract.kind == Contract.Kind.REVOLVING and contract.debit_day == on.day:
            _post_statement(contract, on)
    positions = positions_for(c.pk for c in contracts)
    for contract in contracts:
        report.contracts += 1
        _update_status(contract, positions[contract.pk], on, report)


def _post_statement(contract: Contract, on: date) -> None:
    """A revolving credit's monthly statement falls due on its debit day (no-op at a zero balance)."""
    if JournalEntry.objects.filter(
        contract=contract, kind=JournalEntry.Kind.INSTALLMENT_DUE, effective_on=on
    ).exists():
        return
    start = max(add_months(on, -1, day=contract.debit_day), contract.start_on)
    key = f"statement:{contract.number}:{on.isoformat()}"
    post_revolving_statement(contract=contract, period_start=start, period_end=on, key=key)


def _update_status(contract: Contract, position: Position, on: date, report: ServicingReport) -> None:
    late = position.arrears_minor(on) > 0
    repaid = (
        position.outstanding_principal_minor == 0 and position.due_unpaid_minor == 0 and position.lent_minor
    )
    # A revolving credit stays open at a zero balance: the borrower may draw again.
    if repaid and contract.kind != Contract.Kind.REVOLVING:
        contract.status, contract.closed_at = Contract.Status.CLOSED, timezone.now()
        contract.save(update_fields=["status", "closed_at"])
        report.closed += 1
    elif late and contract.status == Contract.Status.OPEN:
        contract.status = Contract.Status.DELINQUENT
        contract.save(update_fields=["status"])
        report.delinquent += 1
    elif not late and contract.status == Contract.Status.DELINQUENT:
        contract.status = Contract.Status.OPEN
        contract.save(update_fields=["status"])
        report.cured += 1
