"""Revolving credit (limit, drawdowns, monthly statements) and leases with purchase option (LOA)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from guichet import credit
from guichet.credit import Money
from guichet.credit.dates import add_months
from guichet.credit.rates import apr_from_nominal, daily_period_rate, round_taeg
from guichet.credit.revolving import RateTier, insurance_rate_for, revolving_statement
from guichet.loans.errors import ContractRefused, CreditLimitExceeded
from guichet.loans.models import Contract, JournalEntry, Posting
from guichet.loans.positions import position_of

from .contracts import _add_participants, _participants, new_contract_number, post_drawdown, store_schedule
from .ledger import contract_account, lender_account, post_entry
from .servicing import require_active
from .terms import check_usury, product_terms


@transaction.atomic
def open_revolving(
    *,
    product_code: str,
    limit: Money,
    start_on: date,
    customers: Sequence[Any],
    speed: str = Contract.Speed.CONFORT,
    debit_day: int = 5,
    insured: bool = False,
    insurance_adhesion_on: date | None = None,
    debit_rate: Decimal | None = None,
    number: str | None = None,
    payment_method: str = Contract.PaymentMethod.DIRECT_DEBIT,
    bank_account_masked: str = "",
    product_name: str | None = None,
) -> Contract:
    """Open a revolving credit with a limit and nothing drawn yet (``draw_revolving`` draws)."""
    people = _participants(None, customers)
    terms = product_terms(
        product_code=product_code, amount=limit, term_months=None, on=start_on, debit_rate=debit_rate
    )
    adhesion = insurance_adhesion_on or start_on
    contract = Contract.objects.create(
        number=number or new_contract_number(),
        kind=Contract.Kind.REVOLVING,
        product_code=product_code,
        product=terms.product if getattr(terms.product, "pk", None) else None,
        product_name=terms.product_name if terms.product else (product_name or terms.product_name),
        currency=limit.currency.code,
        principal_minor=0,
        credit_limit_minor=limit.minor,
        debit_rate=terms.debit_rate,
        taeg=round_taeg(apr_from_nominal(terms.debit_rate)),
        start_on=start_on,
        first_due_on=add_months(start_on, 1, day=debit_day),
        debit_day=debit_day,
        status=Contract.Status.OPEN,
        opened_at=timezone.now(),
        revolving_speed=speed,
        payment_method=payment_method,
        bank_account_masked=bank_account_masked,
        insurance_kind=Contract.InsuranceKind.ON_OUTSTANDING if insured else Contract.InsuranceKind.NONE,
        insurance_rate=insurance_rate_for(adhesion, terms.product_name) if insured else None,
        insurance_adhesion_on=adhesion if insured else None,
    )
    _add_participants(contract, people)
    return contract


@transaction.atomic
def draw_revolving(*, contract: Contract, amount: Money, on: date, key: str) -> JournalEntry:
    """Draw on a revolving credit within the available amount; usury judged on the amount used."""
    require_active(contract)
    if contract.kind != Contract.Kind.REVOLVING:
        raise ContractRefused(f"Le contrat {contract.number} n'est pas un crédit renouvelable.")
    existing = JournalEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    used = contract.money(position_of(contract.pk).outstanding_principal_minor)
    available = contract.money(contract.credit_limit_minor) - used
    if amount > available:
        raise CreditLimitExceeded(
            f"Montant disponible insuffisant : {available} disponibles, {amount} demandés."
        )
    check_usury(taeg=contract.taeg, amount=used + amount, on=on)
    return post_drawdown(contract=contract, amount=amount, on=on, key=key)


def _tiers(contract: Contract) -> list[RateTier]:
    rate = Decimal(contract.debit_rate)
    return [RateTier(None, rate, Decimal(contract.taeg), daily_period_rate(rate))]


def capital_after_last_drawdown(contract: Contract) -> Money | None:
    """K of D312-27: the principal owed right after the latest drawdown, from the ledger (2 queries).

    The minimum capital share is computed on K and kept until the next drawdown, so the used
    amount is cleared within 36 or 60 months; ``None`` if the line was never drawn.
    """
    last = (
        JournalEntry.objects.filter(contract=contract, kind=JournalEntry.Kind.DRAWDOWN)
        .order_by("-effective_on", "-pk")
        .values_list("pk", "effective_on")
        .first()
    )
    if last is None:
        return None
    pk, on = last
    total = (
        Posting.objects.filter(
            account__code=contract_account(contract, "principal"),
            entry__effective_on__lte=on,
        )
        .exclude(entry__effective_on=on, entry__pk__gt=pk)
        .aggregate(total=Sum("amount_minor"))["total"]
    )
    return contract.money(total or 0)


def post_revolving_statement(
    *,
    contract: Contract,
    period_start: date,
    period_end: date,
    key: str,
    tiers: Sequence[RateTier] | None = None,
) -> JournalEntry | None:
    """Monthly statement: interest, insurance and the minimum capital share fall due on ``period_end``.

    A statement depends on the balance when it is computed, so a replayed key returns the first one.
    """
    existing = JournalEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    position = position_of(contract.pk)
    balance = contract.money(position.balance("principal"))
    if balance.is_zero():
        return None
    statement = revolving_statement(
        opening_balance=balance,
        period_start=period_start,
        period_end=period_end,
        tiers=tiers or _tiers(contract),
        limit=contract.money(contract.credit_limit_minor),
        insurance_rate=Decimal(contract.insurance_rate) if contract.insurance_rate else None,
        capital_after_last_drawdown=capital_after_last_drawdown(contract),
    )
    cur = contract.currency
    return post_entry(
        key=key,
        kind=JournalEntry.Kind.INSTALLMENT_DUE,
        effective_on=period_end,
        contract=contract,
        memo=f"Relevé du {period_start:%d/%m/%Y} au {period_end:%d/%m/%Y}",
        lines=[
            (contract_account(contract, "due:interest"), statement.interest),
            (lender_account("income:interest", cur), -statement.interest),
            (contract_account(contract, "due:insurance"), statement.insurance),
            (lender_account("payable:insurance", cur), -statement.insurance),
            (contract_account(contract, "due:principal"), statement.capital_repaid),
            (contract_account(contract, "principal"), -statement.capital_repaid),
        ],
    )


@transaction.atomic
def open_lease(
    *,
    product_code: str,
    product_name: str,
    financed: Money,
    first_payment: Money,
    installment: Money,
    term_months: int,
    residual_value: Money,
    start_on: date,
    first_due_on: date,
    customers: Sequence[Any],
    number: str | None = None,
    payment_method: str = Contract.PaymentMethod.LOCAL_DEBIT,
    bank_account_masked: str = "",
) -> Contract:
    """Open a lease with purchase option (LOA): first rent, constant rents, residual value (seed 003)."""
    people = _participants(None, customers)
    schedule = credit.lease_schedule(
        first_payment=first_payment,
        installment=installment,
        term_months=term_months,
        first_due_on=first_due_on,
        residual_value=residual_value,
        financed=financed,
        start_on=start_on,
    )
    taeg = round_taeg(schedule.taeg)
    contract = Contract.objects.create(
        number=number or new_contract_number(),
        kind=Contract.Kind.LEASE,
        product_code=product_code,
        product_name=product_name,
        currency=financed.currency.code,
        principal_minor=financed.minor,
        debit_rate=Decimal(schedule.debit_rate).quantize(Decimal("0.000001")),
        taeg=taeg,
        term_months=term_months,
        start_on=start_on,
        first_due_on=first_due_on,
        debit_day=first_due_on.day,
        status=Contract.Status.OPEN,
        opened_at=timezone.now(),
        residual_value_minor=residual_value.minor,
        payment_method=payment_method,
        bank_account_masked=bank_account_masked,
    )
    _add_participants(contract, people)
    store_schedule(contract=contract, rows=schedule.rows, reason="Échéancier de location initial")
    post_drawdown(contract=contract, amount=financed, on=start_on, key=f"drawdown:{contract.number}")
    return contract
