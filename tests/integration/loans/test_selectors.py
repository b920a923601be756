"""Selectors: the customer boundary and a fixed number of queries."""

from datetime import date

import pytest

from guichet.loans.models import Contract, ScheduleLine
from guichet.loans.selectors import arrears_bucket, contract_for, contracts_for, dashboard_for, schedule_of
from guichet.loans.services import post_installment_due, post_payment
from tests.factories import make_contract, make_customer

pytestmark = pytest.mark.django_db


def test_contracts_for_never_returns_another_customers_contract():
    alice, bob, carol = make_customer(), make_customer(), make_customer()
    mine = make_contract(alice)
    shared = make_contract(bob, co_borrower=alice)
    theirs = make_contract(bob)
    assert set(contracts_for(alice)) == {mine, shared}
    assert theirs not in contracts_for(alice)
    assert list(contracts_for(carol)) == []


def test_contract_for_another_customers_number_raises_does_not_exist():
    alice, bob = make_customer(), make_customer()
    theirs = make_contract(bob)
    with pytest.raises(Contract.DoesNotExist):
        contract_for(alice, theirs.number)
    with pytest.raises(Contract.DoesNotExist):
        contract_for(alice, "' OR 1=1 --")
    assert contract_for(bob, theirs.number) == theirs


@pytest.mark.parametrize("count", [1, 5])
def test_the_dashboard_runs_the_same_number_of_queries_for_1_or_5_contracts(count, django_assert_num_queries):
    customer = make_customer()
    for _ in range(count):
        make_contract(customer)
    # The contracts with their stored positions, next installment included (issue 15: was 5 queries).
    with django_assert_num_queries(1):
        summaries = dashboard_for(customer, on=date(2026, 2, 1))
    assert len(summaries) == count
    assert summaries[0].next_installment.due_on == date(2026, 2, 10)


def test_a_dashboard_in_arrears_reads_the_schedules_once_for_every_late_contract(django_assert_num_queries):
    customer = make_customer()
    contracts = [make_contract(customer) for _ in range(3)]
    for contract in contracts:
        first = ScheduleLine.objects.filter(version_id=contract.current_schedule_id).order_by("number")[0]
        post_installment_due(contract=contract, line=first)  # due 10/02, never paid
    with django_assert_num_queries(2):  # the stored next line is past: one query for every schedule
        summaries = dashboard_for(customer, on=date(2026, 3, 1))
    assert {s.next_installment.due_on for s in summaries} == {date(2026, 3, 10)}
    assert all(s.arrears.minor > 0 and s.days_past_due == 19 for s in summaries)


# Paid beyond line 1, in thirds of an installment: nothing, part of line 2, part of line 3, all three.
@pytest.mark.parametrize("paid_units", [0, 1, 4, 6])
def test_the_dashboards_next_installment_is_the_calendars_first_unpaid_line_from_today(paid_units):
    contract = make_contract(make_customer())
    lines = list(ScheduleLine.objects.filter(version_id=contract.current_schedule_id).order_by("number"))
    today = lines[2].due_on  # lines 1 and 2 are past, line 3 falls due today
    for line in lines[:3]:
        post_installment_due(contract=contract, line=line)
    paid = lines[0].total_due_minor + lines[0].total_due_minor * paid_units // 3
    post_payment(contract=contract, amount=contract.money(paid), on=today, key=f"t{paid_units}")
    calendar = [v for v in schedule_of(contract, on=today) if v.due_on >= today and v.status != "paid"]
    (summary,) = dashboard_for(contract.participants.get().customer, on=today)
    assert summary.next_installment is not None
    assert calendar[0].number == (4 if paid_units == 6 else 3)
    assert (summary.next_installment.due_on, summary.next_installment.amount) == (
        calendar[0].due_on,
        calendar[0].total_due,
    )


def test_arrears_buckets_follow_days_past_due():
    assert [arrears_bucket(d) for d in (0, 1, 29, 30, 59, 60, 89, 90, 400)] == [
        None,
        "1-29",
        "1-29",
        "30-59",
        "30-59",
        "60-89",
        "60-89",
        "90+",
        "90+",
    ]
