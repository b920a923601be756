"""Opening, rescheduling and closing contracts: schedule stored, usury checked, drawdown posted."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.credit import Money
from guichet.credit.dates import add_months
from guichet.credit.rates import round_taeg
from guichet.credit.schedule import InsuranceMonthlyOnBorrowed, ScheduleRow, amortization_schedule
from guichet.loans.errors import ContractNotActive, ContractNotRepaid, ContractRefused
from guichet.loans.invariants import check_contract
from guichet.loans.models import Contract, JournalEntry, Participant, ScheduleLine, ScheduleVersion
from guichet.loans.signals import schedule_replaced

from .ledger import contract_account, lender_account, post_entry
from .terms import check_usury, product_terms

Customer = Any  # guichet.customers.models.Customer (kept loose to avoid an import cycle at load time)


def new_contract_number() -> str:
    """A fresh 10-digit contract number (like 1124113553), never starting with 0."""
    while True:
        number = str(1_000_000_000 + secrets.randbelow(9_000_000_000))
        if not Contract.objects.filter(number=number).exists():
            return number


def _participants(customer: Customer | None, customers: Sequence[Customer] | None) -> list[Customer]:
    people = list(customers or ([customer] if customer is not None else []))
    if not people:
        raise ContractRefused("Un contrat a au moins un emprunteur.")
    if len(people) > 2:
        raise ContractRefused("Un contrat a au plus un emprunteur et un co-emprunteur.")
    if len(people) == 2 and people[0].pk == people[1].pk:
        raise ContractRefused("L'emprunteur et le co-emprunteur doivent être deux personnes différentes.")
    return people


def _add_participants(contract: Contract, people: list[Customer]) -> None:
    roles = [Participant.Role.BORROWER, Participant.Role.CO_BORROWER]
    Participant.objects.bulk_create(
        Participant(contract=contract, customer=person, role=role)
        for person, role in zip(people, roles, strict=False)
    )


def store_schedule(*, contract: Contract, rows: Sequence[Any], reason: str) -> ScheduleVersion:
    """Store ``rows`` (credit.ScheduleRow) as the contract's new current schedule version."""
    last = contract.schedule_versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ScheduleVersion.objects.create(contract=contract, number=last + 1, reason=reason[:200])
    ScheduleLine.objects.bulk_create(
        ScheduleLine(
            contract=contract,
            version=version,
            number=row.number,
            due_on=row.due_on,
            installment_minor=row.installment.minor,
            interest_minor=row.interest.minor,
            principal_minor=row.principal.minor,
            insurance_minor=row.insurance.minor,
            balance_after_minor=row.balance_after.minor,
        )
        for row in rows
    )
    contract.current_schedule = version
    contract.save(update_fields=["current_schedule"])
    return version


def post_drawdown(*, contract: Contract, amount: Money, on: date, key: str) -> JournalEntry:
    """Funds paid out to the borrower: principal receivable up, bank clearing down."""
    return post_entry(
        key=key,
        kind=JournalEntry.Kind.DRAWDOWN,
        effective_on=on,
        contract=contract,
        memo=f"Déblocage des fonds du contrat {contract.number}",
        lines=[
            (contract_account(contract, "principal"), amount),
            (lender_account("clearing", amount.currency.code), -amount),
        ],
    )


def _insurance_fields(insurance: Any | None, adhesion_on: date) -> dict[str, Any]:
    if insurance is None:
        return {"insurance_kind": Contract.InsuranceKind.NONE}
    monthly = isinstance(insurance, InsuranceMonthlyOnBorrowed)
    kind = Contract.InsuranceKind.MONTHLY_ON_BORROWED if monthly else Contract.InsuranceKind.ON_BORROWED
    return {"insurance_kind": kind, "insurance_rate": insurance.rate, "insurance_adhesion_on": adhesion_on}


@transaction.atomic
def open_contract(
    *,
    product_code: str,
    amount: Money,
    term_months: int,
    start_on: date,
    customer: Customer | None = None,
    customers: Sequence[Customer] | None = None,
    first_due_on: date | None = None,
    insurance: Any | None = None,
    debit_day: int | None = None,
    on: date | None = None,
    number: str | None = None,
    kind: str | None = None,
    debit_rate: Decimal | None = None,
    payment_method: str = Contract.PaymentMethod.DIRECT_DEBIT,
    bank_account_masked: str = "",
    signed_at: Any | None = None,
    product_name: str | None = None,
) -> Contract:
    """Open an amortizable loan: catalogue terms, schedule, usury check, participants, drawdown.

    ``customers[0]`` is the borrower, ``customers[1]`` the co-borrower. The first installment
    falls one month after ``start_on`` on ``debit_day`` unless ``first_due_on`` is given.
    Refusals (``UsuryExceeded``, ``ContractRefused``) leave nothing written.
    """
    people = _participants(customer, customers)
    terms = product_terms(
        product_code=product_code,
        amount=amount,
        term_months=term_months,
        on=on or start_on,
        debit_rate=debit_rate,
    )
    first_due_on = first_due_on or add_months(start_on, 1, day=debit_day)
    schedule = amortization_schedule(
        principal=amount,
        debit_rate=terms.debit_rate,
        term_months=term_months,
        first_due_on=first_due_on,
        drawdown_on=start_on,
        insurance=insurance,
        max_taeg=terms.max_taeg,
    )
    taeg = round_taeg(schedule.taeg)
    check_usury(taeg=taeg, amount=amount, on=on or start_on)
    contract = Contract.objects.create(
        number=number or new_contract_number(),
        kind=kind or Contract.Kind.AMORTIZABLE,
        product_code=product_code,
        product_name=terms.product_name if terms.product else (product_name or terms.product_name),
        currency=amount.currency.code,
        principal_minor=amount.minor,
        debit_rate=terms.debit_rate,
        taeg=taeg,
        term_months=term_months,
        start_on=start_on,
        first_due_on=first_due_on,
        debit_day=debit_day or first_due_on.day,
        status=Contract.Status.OPEN,
        signed_at=signed_at,
        opened_at=timezone.now(),
        payment_method=payment_method,
        bank_account_masked=bank_account_masked,
        insurance_monthly_minor=schedule.rows[0].insurance.minor,
        **_insurance_fields(insurance, start_on),
    )
    _link_product(contract, terms.product)
    _add_participants(contract, people)
    store_schedule(contract=contract, rows=schedule.rows, reason="Tableau d'amortissement initial")
    post_drawdown(contract=contract, amount=amount, on=start_on, key=f"drawdown:{contract.number}")
    return contract


def _link_product(contract: Contract, product: Any | None) -> None:
    """Keep a link to the catalogue's product (its code and name are copied on the contract anyway)."""
    if product is not None and getattr(product, "pk", None):
        contract.product = product
        contract.save(update_fields=["product"])


@transaction.atomic
def replace_schedule(*, contract: Contract, schedule: Any, reason: str) -> ScheduleVersion:
    """Replace the schedule from its first row's **number** on; earlier lines are carried over unchanged.

    ``schedule`` is a ``credit.Schedule`` (or any object with ``rows``) whose rows keep the numbers
    of the lines they replace: e.g. the outcome of a partial early repayment or a debit-date
    change. Lines are carried by number, not by date: a debit-date change moves the replaced
    installments to other days, and carrying by date would keep an old installment beside its
    moved copy. The old version stays for the audit trail. The contract's invariants
    (``guichet.loans.invariants``) are checked before the transaction commits.
    """
    rows = list(schedule.rows)
    if not rows:
        raise ContractRefused("Le nouvel échéancier est vide.")
    kept = ScheduleLine.objects.filter(version_id=contract.current_schedule_id, number__lt=rows[0].number)
    carried = [_row_of(line, contract) for line in kept.order_by("number")]
    renumbered = [_renumber(row, len(carried) + i + 1) for i, row in enumerate(rows)]
    version = store_schedule(contract=contract, rows=carried + renumbered, reason=reason)
    check_contract(contract)
    # Announced after commit (e.g. a contract-update alert); a listener's failure never undoes it.
    transaction.on_commit(
        lambda: schedule_replaced.send_robust(
            sender=Contract, contract=contract, version=version, reason=reason
        )
    )
    return version


def _row_of(line: ScheduleLine, contract: Contract) -> Any:
    m = contract.money
    return ScheduleRow(
        line.number,
        line.due_on,
        m(line.installment_minor),
        m(line.interest_minor),
        m(line.principal_minor),
        m(line.insurance_minor),
        m(line.balance_after_minor),
    )


def _renumber(row: Any, number: int) -> Any:
    return ScheduleRow(
        number, row.due_on, row.installment, row.interest, row.principal, row.insurance, row.balance_after
    )


@transaction.atomic
def close_contract(*, contract: Contract, on: date | None = None) -> Contract:
    """Close a contract once nothing is owed (principal and every due amount at zero)."""
    from guichet.loans.selectors import balance_of

    balances = balance_of(contract)
    owed = balances.outstanding_principal + balances.due_unpaid
    if owed:
        raise ContractNotRepaid(
            f"Le contrat {contract.number} ne peut pas être clos : il reste {owed} à payer."
        )
    contract.status = Contract.Status.CLOSED
    contract.closed_at = timezone.now()
    contract.save(update_fields=["status", "closed_at"])
    return contract


@transaction.atomic
def withdraw_contract(*, contract: Contract) -> Contract:
    """The borrower withdrew (rétractation, Code de la consommation L312-19): no installment falls due.

    The capital lent stays receivable in the ledger until it is repaid (with interest accrued
    to that day, L312-21), posted by the back office as an early repayment.
    """
    if contract.status not in (Contract.Status.PENDING, Contract.Status.OPEN):
        raise ContractRefused(
            f"Le contrat {contract.number} ne peut pas être rétracté ({contract.get_status_display()})."
        )
    contract.status = Contract.Status.WITHDRAWN
    contract.closed_at = timezone.now()
    contract.save(update_fields=["status", "closed_at"])
    return contract


def require_active(contract: Contract) -> None:
    """Refuse an operation on a contract that is not running (pending, repaid, withdrawn...)."""
    if not contract.is_active:
        raise ContractNotActive(
            f"Le contrat {contract.number} n'est pas en cours ({contract.get_status_display()})."
        )
