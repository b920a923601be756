"""A loaded tariff never changes, so a product's tiers, bands and insurance are read once per tariff:
later lookups cost one query and give the same terms, each caller its own copy; loading a tariff
forgets what was kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from guichet.catalogue import selectors
from guichet.credit import EUR, Money

pytestmark = pytest.mark.django_db
ON = date(2022, 6, 1)


def lookup():
    found = selectors.product_terms(
        product_code="rachat", amount=Money.of("20000.00", EUR), term_months=120, on=ON, borrower_age=50
    )
    return found.debit_rate, found.tier.pk, [o.pk for o in found.insurance_options]


def test_a_second_lookup_costs_one_query_and_gives_the_same_terms(tariff, django_assert_num_queries):
    first = lookup()
    with django_assert_num_queries(1):
        assert lookup() == first


def test_saving_a_tariff_empties_the_kept_terms(tariff, django_assert_num_queries):
    lookup()
    tariff.save()
    with django_assert_num_queries(4):  # product, then tiers, bands and insurance read again
        lookup()


def test_each_caller_gets_its_own_copy_of_a_kept_product(tariff):
    """A caller that changes what it read (a tier's rate) cannot change the terms the next one reads."""
    first = selectors.product_terms(
        product_code="rachat", amount=Money.of("20000.00", EUR), term_months=120, on=ON
    )
    kept_rate = first.debit_rate
    for tier in first.product.tiers.all():
        tier.debit_rate = Decimal("0.9999")
    again = selectors.product_terms(
        product_code="rachat", amount=Money.of("20000.00", EUR), term_months=120, on=ON
    )
    assert again.debit_rate == kept_rate
    assert again.product is not first.product


def test_a_tariffs_product_lists_cost_one_query_once_read(tariff, django_assert_num_queries):
    """issue 15: the simulation page read the product lists three times, four queries each."""
    first = [p.code for p in selectors.products_on(on=ON, kind="amortizable")]
    with django_assert_num_queries(1):  # which tariff is in force; its products are kept
        assert [p.code for p in selectors.products_on(on=ON, kind="amortizable")] == first
    with django_assert_num_queries(1):
        everything = selectors.products_on(on=ON)
    assert [p.code for p in everything if p.kind == "amortizable"] == first
    tariff.save()
    with django_assert_num_queries(5):  # tariff, products, tiers, bands and insurance read again
        selectors.products_on(on=ON)


def test_outside_a_request_each_call_gets_its_own_product_list(tariff):
    first, again = selectors.products_on(on=ON), selectors.products_on(on=ON)
    assert first[0] is not again[0]
    for tier in first[0].tiers.all():
        tier.debit_rate = Decimal("0.9999")
    assert all(t.debit_rate != Decimal("0.9999") for t in again[0].tiers.all())


def test_within_one_request_the_product_lists_are_read_once(tariff, django_assert_num_queries):
    selectors._request_started()  # what Django's request_started signal runs (the test keeps its connection)
    try:
        selectors.products_on(on=ON)
        with django_assert_num_queries(0):  # the same request: filtered from what it read
            revolving = selectors.products_on(on=ON, kind="revolving")
            assert selectors.product_on("rachat", ON).code == "rachat"
        assert all(p.kind == "revolving" for p in revolving)
    finally:
        selectors._request_finished()
    with django_assert_num_queries(1):  # the request is over: the tariff is looked up again
        selectors.products_on(on=ON)
