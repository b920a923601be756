"""The day's alerts read only the customers an alert may concern that day (issue 14): customers whose
next installment is not on their reminder day and whose balance is above their threshold cost no
query, so the alerts step does not build every customer's dashboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.loans.alerts import send_alerts
from guichet.notifications.models import SentAlert
from tests.factories import make_contract, make_customer, make_user

pytestmark = pytest.mark.django_db


def _borrower(n: int, start: date):
    customer = make_customer(email=f"population{n}@example.test")
    make_user(customer)
    make_contract(customer, amount="6000.00", term_months=24, start_on=start)
    return customer


def test_customers_no_alert_concerns_that_day_cost_no_query(mailbox) -> None:
    due_soon = _borrower(0, date(2026, 1, 10))  # first installment 10/02: reminded on 07/02 (3 days)
    on = date(2026, 2, 7)

    def queries_with(others: int) -> int:
        for i in range(others):
            _borrower(100 * others + i, date(2026, 1, 20))  # next installment 20/02: nothing on 07/02
        SentAlert.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            report = send_alerts(on=on)
        assert report.sent.get("due_reminder") == 1  # the one due in 3 days, by email
        return len(ctx.captured_queries)

    assert queries_with(1) == queries_with(5)
    assert due_soon.email in str(mailbox.messages[-1]["To"])
    assert on + timedelta(days=3) == date(2026, 2, 10)
