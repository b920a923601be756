"""Demo customers, their accounts and a realistic mix of contracts, with dates relative to today.

Called by ``manage.py demo_setup`` (``seed``); ``summary`` gives the lines it prints at the end.
Installments up to today are posted and paid through the real services, so balances, arrears
and schedules in the demo come from the ledger exactly as in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.credit import EUR, XPF, InsuranceOnBorrowed, Money
from guichet.credit.dates import add_months
from guichet.customers.models import Customer, User
from guichet.customers.passwords import set_password
from guichet.loans.models import Contract
from guichet.loans.services import (
    draw_revolving,
    open_contract,
    open_lease,
    open_revolving,
    post_installment_due,
    post_payment,
    post_revolving_statement,
    run_daily_servicing,
)

PASSWORD = "Guichet-Demo-2026!"  # meets both lender policies: 12+ characters, 4 classes
# Customers other demo modules look up (onboarding invites the NC one; FR self-registers).
FR_SELF_REGISTRATION_REFERENCE = "FR-DEMO-005"
NC_INVITED_REFERENCE = "NC-DEMO-004"


@dataclass(frozen=True)
class Person:
    reference: str
    first_name: str
    last_name: str
    birth_date: date
    email: str
    phone: str
    city: str
    postal_code: str
    login: bool = True


FR_PEOPLE = (
    Person("FR-DEMO-001", "Camille", "Durand", date(1984, 5, 17), "camille.durand@example.fr", "+33612345601",
           "Lille", "59000"),
    Person("FR-DEMO-002", "Julien", "Durand", date(1982, 11, 2), "julien.durand@example.fr", "+33612345602",
           "Lille", "59000"),
    Person("FR-DEMO-003", "Sophie", "Lefèvre", date(1990, 2, 28), "sophie.lefevre@example.fr", "+33612345603",
           "Roubaix", "59100"),
    Person("FR-DEMO-004", "Marc", "Petit", date(1976, 8, 9), "marc.petit@example.fr", "+33612345604",
           "Tourcoing", "59200"),
    Person(FR_SELF_REGISTRATION_REFERENCE, "Nadia", "Benali", date(1993, 7, 14), "nadia.benali@example.fr",
           "+33612345605", "Villeneuve-d'Ascq", "59650", login=False),
)  # fmt: skip
NC_PEOPLE = (
    Person("NC-DEMO-001", "Teva", "Wamytan", date(1988, 3, 21), "teva.wamytan@example.nc", "+687751201",
           "Nouméa", "98800"),
    Person("NC-DEMO-002", "Léa", "Gowé", date(1991, 9, 5), "lea.gowe@example.nc", "+687751202",
           "Dumbéa", "98835"),
    Person("NC-DEMO-003", "Henri", "Martin", date(1972, 12, 1), "henri.martin@example.nc", "+687751203",
           "Mont-Dore", "98809"),
    Person(NC_INVITED_REFERENCE, "Maïa", "Tein", date(1996, 6, 30), "maia.tein@example.nc", "+687751204",
           "Païta", "98890", login=False),
)  # fmt: skip


def _customer(person: Person, country: str) -> Customer:
    customer = Customer.objects.create(
        reference=person.reference,
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
        email=person.email,
        phone=person.phone,
        address_line1="3 rue de la Démonstration",
        postal_code=person.postal_code,
        city=person.city,
        country=country,
    )
    if person.login:
        user = User.objects.create_user(person.email, None, role=User.Role.CUSTOMER)
        _set_password(user)
        customer.user = user
        customer.save(update_fields=["user"])
    return customer


def _set_password(user: User) -> None:
    set_password(user=user, raw=PASSWORD)


def _pay_history(contract: Contract, today: date, unpaid_last: int = 0) -> None:
    """Post every installment due up to today and pay it, except the last ``unpaid_last``."""
    lines = list(contract.schedule_lines.filter(version=contract.current_schedule, due_on__lte=today))
    for i, line in enumerate(sorted(lines, key=lambda x: x.number)):
        post_installment_due(contract=contract, line=line)
        if i < len(lines) - unpaid_last:
            amount = contract.money(line.total_due_minor)
            key = f"demo-pay:{contract.number}:{line.number}"
            post_payment(contract=contract, amount=amount, on=line.due_on, key=key)


def _revolving_history(contract: Contract, draws: list[tuple[date, Money]], today: date) -> None:
    """Drawdowns, then a statement on each debit day, paid by direct debit."""
    for k, (on, amount) in enumerate(draws):
        draw_revolving(contract=contract, amount=amount, on=on, key=f"demo-draw:{contract.number}:{k}")
    period_start = draws[0][0]
    period_end = add_months(period_start, 1, day=contract.debit_day)
    while period_end <= today:
        entry = post_revolving_statement(
            contract=contract,
            period_start=period_start,
            period_end=period_end,
            key=f"demo-statement:{contract.number}:{period_end.isoformat()}",
        )
        if entry is not None:
            due = sum(p.amount_minor for p in entry.postings.all() if p.amount_minor > 0)
            post_payment(
                contract=contract,
                amount=contract.money(due),
                on=period_end,
                key=f"demo-pay:{entry.idempotency_key}",
            )
        period_start, period_end = period_end, add_months(period_end, 1, day=contract.debit_day)


def _loan(people: list[Customer], code: str, name: str, amount: Money, months: int, rate: str, start: date,
          **kw: Any) -> Contract:  # fmt: skip
    return open_contract(
        customers=people,
        product_code=code,
        product_name=name,
        amount=amount,
        term_months=months,
        start_on=start,
        debit_rate=Decimal(rate),
        signed_at=timezone.now() - timedelta(days=(timezone.localdate() - start).days + 3),
        bank_account_masked=kw.pop("bank", "FR76 **** **** **** **** ***0 189"),
        **kw,
    )


def seed_fr(today: date) -> None:
    camille, julien, sophie, marc, nadia = (_customer(p, "FR") for p in FR_PEOPLE)
    psm = _loan([camille, julien], "pret-sur-mesure", "Prêt Sur Mesure", Money.of("12000", EUR), 60, "0.0480",
                add_months(today, -26, day=1), debit_day=5, number="1209345871")  # fmt: skip
    _pay_history(psm, today)
    accessio = open_revolving(
        product_code="accessio-confort",
        product_name="Accessio Confort",
        limit=Money.of("5000", EUR),
        start_on=add_months(today, -9, day=2),
        customers=[camille],
        debit_day=5,
        insured=True,
        bank_account_masked="FR76 **** **** **** **** ***0 189",
    )
    _revolving_history(
        accessio,
        [
            (add_months(today, -8, day=3), Money.of("3500", EUR)),
            (add_months(today, -3, day=12), Money.of("600", EUR)),
        ],
        today,
    )
    cover = InsuranceOnBorrowed(Decimal("0.0036"))  # Projexio: 0.36 % of the amount borrowed (seed 004)
    projexio = _loan([sophie], "projexio", "Projexio", Money.of("8000", EUR), 36, "0.0481",
                     add_months(today, -7, day=8), debit_day=15, insurance=cover)  # fmt: skip
    _pay_history(projexio, today)
    fraxio = _loan([sophie], "fraxio-amortissable", "Fraxio", Money.of("1500", EUR), 12, "0.1934",
                   add_months(today, -19, day=20), debit_day=25)  # fmt: skip
    _pay_history(fraxio, today)
    late = _loan([marc], "pret-sur-mesure", "Prêt Sur Mesure", Money.of("5000", EUR), 48, "0.0937",
                 add_months(today, -10, day=1), debit_day=5)  # fmt: skip
    _pay_history(late, today, unpaid_last=2)
    welcome = _loan([nadia], "projexio", "Projexio", Money.of("4000", EUR), 24, "0.0938",
                    add_months(today, -2, day=10), debit_day=15, number="1207788342")  # fmt: skip
    _pay_history(welcome, today)


def seed_nc(today: date) -> None:
    teva, lea, henri, maia = (_customer(p, "NC") for p in NC_PEOPLE)
    nc_bank = "NC** **** **** **** **** 4521"
    lease_start = add_months(today, -5, day=4)
    lease = open_lease(
        product_code="loa",
        product_name="Location avec Option d'Achat",
        # Seed 003 gives the rents only; with our 700 000 XPF purchase option, 3 830 800 XPF financed
        # makes them the NC sheet's LOA rate, 4,80 % (TAEG 4,91 %): tests/integration/loans/test_demo.py.
        financed=Money.of(3_830_800, XPF),
        first_payment=Money.of(117_992, XPF),
        installment=Money.of(92_992, XPF),
        term_months=37,
        residual_value=Money.of(700_000, XPF),
        start_on=lease_start,
        first_due_on=lease_start.replace(day=15),
        customers=[teva],
        number="1124113553",
        bank_account_masked=nc_bank,
    )
    _pay_history(lease, today)
    common = {"payment_method": Contract.PaymentMethod.LOCAL_DEBIT, "bank": nc_bank}
    personal = _loan([lea, teva], "pret-personnel", "Prêt personnel", Money.of(1_500_000, XPF), 36, "0.0480",
                     add_months(today, -8, day=1), debit_day=15, **common)  # fmt: skip
    _pay_history(personal, today)
    late = _loan([henri], "pret-personnel", "Prêt personnel", Money.of(600_000, XPF), 24, "0.0937",
                 add_months(today, -7, day=1), debit_day=5, **common)  # fmt: skip
    _pay_history(late, today, unpaid_last=2)
    _loan([maia], "pret-personnel", "Prêt personnel", Money.of(900_000, XPF), 24, "0.0480",
          today - timedelta(days=6), debit_day=15, **common)  # fmt: skip


def seed(*, profile: Any, stdout: Any) -> None:
    """Create the demo customers and contracts of ``profile`` (fr | nc); a second run does nothing."""
    people = NC_PEOPLE if profile == "nc" else FR_PEOPLE
    if Customer.objects.filter(reference=people[0].reference).exists():
        stdout.write("loans: demo customers already present, nothing added.")
        return
    today = timezone.localdate()
    with transaction.atomic():
        (seed_nc if profile == "nc" else seed_fr)(today)
        run_daily_servicing(on=today)
    stdout.write(f"loans: {len(people)} customers, {Contract.objects.count()} contracts.")


def summary(*, profile: str) -> list[str]:
    """Lines for the end of demo_setup: customer logins and the self-registration data."""
    people = NC_PEOPLE if profile == "nc" else FR_PEOPLE
    lines = ["Customer logins (email / password):"]
    lines += [f"  {p.email} / {PASSWORD}  ({p.first_name} {p.last_name})" for p in people if p.login]
    for p in people:
        if p.login:
            continue
        customer = Customer.objects.filter(reference=p.reference).first()
        contract = Contract.objects.filter(participants__customer=customer).first() if customer else None
        what = "self-registration" if profile != "nc" else "invited customer (no account yet)"
        lines.append(f"{what}: {p.first_name} {p.last_name}")
        number = contract.number if contract else "—"
        lines.append(f"  contract number {number}, birth date {p.birth_date:%d/%m/%Y}, email {p.email}")
    return lines
