"""The dashboard projects one coming statement of a revolving line, not all of them (issue 15), and
shows the same next installment as the full calendar."""

from datetime import date

import pytest

from guichet.loans import revolving_line
from guichet.loans.selectors import dashboard_for, schedule_of
from guichet.loans.services import post_payment, run_daily_servicing
from tests.factories import make_customer
from tests.integration.loans.test_revolving_line import _line, tariff  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _first_unpaid_from(contract, on):
    return next(r for r in schedule_of(contract, "all", on) if r.due_on >= on and r.status != "paid")


@pytest.mark.usefixtures("tariff")
@pytest.mark.parametrize("paid", [False, True])
def test_the_revolving_next_installment_needs_one_projected_statement_and_matches_the_calendar(
    monkeypatch, paid
):
    customer = make_customer()
    contract = _line(used="3740.84", customer=customer)
    run_daily_servicing(on=date(2026, 2, 5))
    on = date(2026, 2, 5)
    if paid:
        due = dashboard_for(customer, on)[0].next_installment
        post_payment(contract=contract, amount=due.amount, on=on, key="p1")
        on = date(2026, 2, 6)
    statements = []
    original = revolving_line.statement_for
    monkeypatch.setattr(revolving_line, "statement_for", lambda *a: statements.append(a) or original(*a))
    (summary,) = dashboard_for(customer, on)
    assert len(statements) <= 1
    monkeypatch.setattr(revolving_line, "statement_for", original)
    expected = _first_unpaid_from(contract, on)
    assert (summary.next_installment.due_on, summary.next_installment.amount) == (
        expected.due_on,
        expected.total_due,
    )
