"""``field__any=ids`` (guichet.lookups): the same rows as ``__in``, one array parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.loans.models import Account, Contract, Posting
from tests.factories import make_contract

pytestmark = pytest.mark.django_db


def test_any_selects_the_same_rows_as_in_through_relations_too():
    contracts = [make_contract() for _ in range(3)]
    ids = [c.pk for c in contracts[:2]] + [10**12]
    assert set(Contract.objects.filter(pk__any=ids)) == set(Contract.objects.filter(pk__in=ids))
    by_any = Posting.objects.filter(account__contract_id__any=ids).values_list("pk", flat=True)
    by_in = Posting.objects.filter(account__contract_id__in=ids).values_list("pk", flat=True)
    assert sorted(by_any) == sorted(by_in) != []
    assert set(Account.objects.filter(contract__any=ids)) == set(Account.objects.filter(contract__in=ids))


def test_any_takes_a_set_or_keys_as_well_as_a_list():
    """A set or a dict's keys is what a caller passes for many ids (Django walks a list value by
    value, guichet.lookups): the same rows as with a list."""
    ids = [make_contract().pk for _ in range(2)]
    by_list = set(Posting.objects.filter(account__contract_id__any=ids))
    assert by_list
    assert set(Posting.objects.filter(account__contract_id__any=set(ids))) == by_list
    assert set(Posting.objects.filter(account__contract_id__any=dict.fromkeys(ids).keys())) == by_list
    assert set(Contract.objects.filter(pk__any=frozenset(ids))) == set(Contract.objects.filter(pk__in=ids))


def test_any_of_nothing_is_nothing():
    make_contract()
    assert list(Contract.objects.filter(pk__any=[])) == []
    assert Contract.objects.exclude(pk__any=[]).count() == Contract.objects.count()


def test_any_refuses_what_is_not_an_id_before_any_query():
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValueError):
        list(Contract.objects.filter(pk__any=["1); DROP TABLE loans_contract; --"]))
    assert len(queries) == 0


def test_on_postgresql_the_ids_travel_as_one_parameter():
    if connection.vendor != "postgresql":
        pytest.skip("an IN list elsewhere")
    sql, params = Contract.objects.filter(pk__any=[3, 1, 2]).values("pk").query.sql_with_params()
    assert "= ANY(%s::bigint[])" in sql and params == ("{3,1,2}",)
