"""Collections: a late contract is queued with its bucket, and the arrears reminder goes once per
bucket of the episode on the channels the customer chose, in a number of queries that does not grow
with the number of late customers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from guichet.credit.dates import add_months
from guichet.notifications.models import AlertPreference
from guichet.support.collections import collections_queue, send_arrears_reminders
from tests.factories import make_contract, make_customer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_day(time_machine):
    # The lateness of a contract started "two months ago on the 1st" depends on the day of the month:
    # run on a fixed day, clock ticking (issue 9: no test reads today).
    time_machine.move_to("2026-12-15 09:00:00+00:00", tick=True)


def _late_borrower(n: int, *, sms: bool = False):
    from guichet.loans.services import post_installment_due

    today = timezone.localdate()
    customer = make_customer(email=f"late{n}@example.test", phone=f"+3361234{n:04d}")
    make_user(customer)
    contract = make_contract(
        customer, amount="5000.00", term_months=24, start_on=add_months(today, -2, day=1)
    )
    for line in contract.current_schedule.lines.filter(due_on__lt=today):
        post_installment_due(contract=contract, line=line)  # due and never paid
    if sms:
        AlertPreference.objects.create(customer=customer, by_email=True, by_sms=True)
    return customer, contract


def test_a_late_contract_is_reminded_once_per_bucket_on_the_chosen_channels(mailbox, sms_outbox):
    customer, contract = _late_borrower(1, sms=True)
    today = timezone.localdate()
    [row] = collections_queue(on=today)
    assert row.contract == contract and row.customer == customer and row.bucket
    assert send_arrears_reminders(on=today) == 1
    assert contract.number in mailbox.text(mailbox.last_to(customer.email))
    assert contract.number in sms_outbox.last_to(customer.phone)["text"]
    assert send_arrears_reminders(on=today) == 0  # same bucket of the same episode


def test_reminders_read_the_preferences_in_one_query_whatever_the_number_of_customers(
    mailbox, sms_outbox, django_assert_max_num_queries
):
    today = timezone.localdate()
    _late_borrower(1, sms=True)
    with django_assert_max_num_queries(50) as one:
        assert send_arrears_reminders(on=today) == 1
    for n in range(2, 6):
        _late_borrower(n, sms=n % 2 == 0)
    # savepoint, insert, release: for the reminder row, then for the L312-35-1 forbearance offer
    per_reminder_writes = 6
    refused_again = 1  # the first customer's row is refused: one more statement, the rollback
    with django_assert_max_num_queries(len(one.captured_queries) + 4 * per_reminder_writes + refused_again):
        assert send_arrears_reminders(on=today) == 4


def test_back_office_home_counts_contracts_marked_delinquent_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    from guichet.loans.models import Contract
    from guichet.support.collections import delinquent_count
    from tests.factories import make_staff
    from tests.integration.backoffice.helpers import staff_session

    for n in range(3):
        _, contract = _late_borrower(10 + n)
        Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.DELINQUENT)
    assert delinquent_count() == 3
    staff_session(client, make_staff(role="advisor"))
    with django_assert_max_num_queries(15):
        response = client.get("/backoffice/")
    assert response.status_code == 200
    assert response.context["collections"] == 3
