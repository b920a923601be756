"""Selectors: the customer boundary and a fixed number of queries."""

from datetime import date

import pytest

from guichet.loans.models import Contract
from guichet.loans.selectors import arrears_bucket, contract_for, contracts_for, dashboard_for
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
    with django_assert_num_queries(5):
        summaries = dashboard_for(customer, on=date(2026, 3, 1))
    assert len(summaries) == count
    assert summaries[0].next_installment.due_on == date(2026, 3, 10)


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
