"""Helpers that make customers, users, staff and contracts for tests (no factory-boy needed).

Contracts are opened through ``guichet.loans.services`` so their schedule and ledger are real.
Every helper takes keyword overrides; unique fields get a fresh value per call.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guichet.credit import Money, currency
from guichet.customers.models import Customer, User

DEMO_PASSWORD = "Guichet-Demo-2026!"  # satisfies both lender policies (12+ chars, 4 classes)
_seq = itertools.count(1)


def make_customer(**kw: Any) -> Customer:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "reference": f"C{n:08d}",
        "first_name": "Camille",
        "last_name": f"Martin{n}",
        "birth_date": date(1985, 4, 12),
        "email": f"client{n}@example.test",
        "phone": f"+336{n:08d}",
        "address_line1": "12 rue des Tests",
        "postal_code": "59000",
        "city": "Lille",
    }
    defaults.update(kw)
    return Customer.objects.create(**defaults)


def make_user(customer: Customer | None = None, password: str = DEMO_PASSWORD, **kw: Any) -> User:
    """A customer's user account (a new customer is made when none is given)."""
    customer = customer or make_customer()
    kw.setdefault("email", customer.email)
    kw.setdefault("role", User.Role.CUSTOMER)
    user = User.objects.create_user(password=password, password_changed_at=timezone.now(), **kw)
    customer.user = user
    customer.save(update_fields=["user"])
    return user


def make_staff(role: str = User.Role.ADVISOR, password: str = DEMO_PASSWORD, **kw: Any) -> User:
    n = next(_seq)
    kw.setdefault("email", f"{role}{n}@staff.example.test")
    return User.objects.create_user(
        password=password, role=role, is_staff=True, password_changed_at=timezone.now(), **kw
    )


def make_contract(
    customer: Customer | None = None,
    amount: str | int = "10000.00",
    term_months: int = 48,
    *,
    co_borrower: Customer | None = None,
    currency_code: str = "EUR",
    product_code: str = "pret_sur_mesure",
    debit_rate: Decimal | str = "0.0480",
    start_on: date = date(2026, 1, 10),
    signed_at: datetime | None = None,
    **kw: Any,
) -> Any:
    """An open amortizable contract with its schedule stored and its drawdown posted.

    ``debit_rate`` is given explicitly so tests do not depend on a loaded tariff; pass
    ``debit_rate=None`` to read it from the catalogue.
    """
    from guichet.loans.services import open_contract

    customer = customer or make_customer()
    people = [customer, co_borrower] if co_borrower else [customer]
    return open_contract(
        customers=people,
        product_code=product_code,
        amount=Money.of(amount, currency(currency_code)),
        term_months=term_months,
        start_on=start_on,
        debit_rate=Decimal(debit_rate) if debit_rate is not None else None,
        signed_at=signed_at or timezone.now(),
        **kw,
    )


def verify_identity(customer: Customer) -> Customer:
    """Mark ``customer``'s identity documents as approved (unlocks the sensitive operations)."""
    from guichet.onboarding.kyc_models import KycFile

    now = timezone.now()
    KycFile.objects.create(
        customer=customer, status=KycFile.Status.APPROVED, submitted_at=now, reviewed_at=now
    )
    return customer


def make_seed_lease(customer: Customer, *, start_on: date, first_due_on: date) -> Any:
    """Seed 003's LOA as the demo opens it: 3 830 800 XPF financed, a first rent of 117 992 XPF then
    36 rents of 92 992 XPF, purchase option 700 000 XPF (financed amount and option are our figures,
    chosen so that the rents give the NC sheet's LOA rate, 4,80 %)."""
    from guichet.loans.services import open_lease

    return open_lease(
        product_code="loa",
        product_name="Location avec Option d'Achat",
        financed=Money.of(3_830_800, currency("XPF")),
        first_payment=Money.of(117_992, currency("XPF")),
        installment=Money.of(92_992, currency("XPF")),
        term_months=37,
        residual_value=Money.of(700_000, currency("XPF")),
        start_on=start_on,
        first_due_on=first_due_on,
        customers=[customer],
    )
