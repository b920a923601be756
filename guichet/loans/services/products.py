"""Leases with purchase option (LOA); revolving credit lives in ``revolving.py`` (re-exported here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet import credit
from guichet.credit import Money
from guichet.credit.rates import round_taeg
from guichet.loans.models import Contract

from .contracts import _add_participants, _participants, new_contract_number, post_drawdown, store_schedule
from .revolving import (  # noqa: F401 (re-exported: callers import them from here)
    capital_after_last_drawdown,
    draw_revolving,
    open_revolving,
    post_revolving_statement,
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
