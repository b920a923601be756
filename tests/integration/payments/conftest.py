"""Fixtures of the payments tests: a borrower with a phone and a 48-month loan started ten months ago,
its past installments fallen due and paid, so quotes and debits start from a clean ledger.

Every test here runs on a fixed day, ``TODAY`` (a Tuesday mid-month, inside a quarter the usury
table covers, at 10:00 in Paris), with the clock ticking from there: counts of installments fallen
due, accrued interest and quotes dated "today + n days" then never depend on the day the suite
runs (they failed from the 1st to the 4th of every month, when a due date on the 5th was still
ahead). A test that needs another day moves the clock itself (``time_machine.move_to``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from guichet.credit.dates import add_months
from tests.factories import make_contract, make_customer, make_user, verify_identity


def settle_past_installments(contract, today: date) -> None:
    """Post every installment due up to ``today`` and its payment (the history of a good payer)."""
    from guichet.loans.services import post_installment_due, post_payment

    for line in contract.current_schedule.lines.filter(due_on__lte=today).order_by("number"):
        post_installment_due(contract=contract, line=line)
        post_payment(
            contract=contract,
            amount=contract.money(line.total_due_minor),
            on=line.due_on,
            key=f"test-pay:{contract.number}:{line.number}",
        )


#: 15 December 2026, 10:00 in Paris: not a due day (the loans fall due on the 5th), not a 1st.
TODAY = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_day(time_machine) -> None:
    time_machine.move_to(TODAY, tick=True)


@pytest.fixture
def today(_fixed_day) -> date:
    return timezone.localdate()


@pytest.fixture
def borrower(db):
    customer = make_customer(phone="+33612345678")
    make_user(customer)
    return verify_identity(customer)  # bank details and early repayment need the identity approved


@pytest.fixture
def loan(borrower, today):
    contract = make_contract(
        borrower, amount="10000.00", term_months=48, start_on=add_months(today, -10, day=5)
    )
    settle_past_installments(contract, today)
    return contract


@pytest.fixture
def tariff(db):
    """The shipped tariff sheet (seed 004), loaded as ``manage.py load_tariff`` does."""
    from django.conf import settings

    from guichet.catalogue.services import load_tariff

    return load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml").tariff
