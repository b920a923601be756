"""Consolidation including the revolving line (issue 12): signed in, the customer's own line is offered,
ticked, with what paying it off today takes; its cost if kept is the sum of the projected minimum
payments (they vary), not the next payment × months. Not signed in, a line is described by its amount
used and priced at the minimum of a lender's revolving product."""

from __future__ import annotations

import json
from datetime import date

import pytest

from guichet.credit import EUR, Money
from guichet.loans.revolving_line import line_state, projected_statements
from guichet.loans.services.revolving import draw_revolving, open_revolving
from guichet.loans.services.revolving_changes import payoff_amount
from guichet.payments.simulations import simulate_product
from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731
ON = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-16 10:00:00+00:00", tick=False)


@pytest.fixture
def line(borrower, tariff):
    contract = open_revolving(product_code="accessio-confort", limit=E("5000"), start_on=date(2026, 9, 1),
                              customers=[borrower], debit_day=5)  # fmt: skip
    draw_revolving(contract=contract, amount=E("3740.84"), on=date(2026, 9, 2), key="d1")
    return contract


def _post(client, body):
    return client.post("/api/v1/simulations/consolidation", json.dumps(body), content_type="application/json")


def test_the_page_offers_the_customers_line_ticked_with_its_payoff(client, borrower, line) -> None:
    from guichet.lenders.formatting import format_money

    assert client.login(email=borrower.email, password=DEMO_PASSWORD)
    page = client.get("/simulations/regroupement/").content.decode()
    assert f'value="{line.number}" checked' in page
    assert format_money(payoff_amount(line, ON)) in page


def test_the_line_enters_at_its_payoff_and_the_sum_of_its_projected_minimums(client, borrower, line) -> None:
    assert client.login(email=borrower.email, password=DEMO_PASSWORD)
    r = _post(client, {"contract_numbers": [line.number], "term_months": 60})
    assert r.status_code == 200, r.content
    data = r.json()
    coming = projected_statements(line_state(line), ON)
    payoff = payoff_amount(line, ON)
    assert payoff > line_state(line).used  # the interest accrued since the last statement is included
    assert data["amount"] == f"{payoff.amount:.2f}"
    assert data["old_total"] == str(Money(sum(s.total_due_minor for s in coming), EUR).amount)
    assert data["old_monthly"] == str(Money(coming[0].total_due_minor, EUR).amount)
    page = client.get("/simulations/regroupement/", {"term": "60", "contracts": line.number}).content.decode()
    assert 'id="sim-result"' in page


def test_a_visitor_describes_a_line_by_its_amount_used(client, tariff) -> None:
    r = _post(
        client, {"revolving": [{"used": "2000.00", "product_code": "accessio-confort"}], "term_months": 48}
    )
    assert r.status_code == 200, r.content
    kept = simulate_product(product_code="accessio-confort", amount=E("2000"), term_months=None, on=ON)
    data = r.json()
    assert data["amount"] == "2000.00"
    assert data["old_total"] == str(kept.total_due.amount)
    assert data["old_monthly"] == str(kept.installment.amount)
    page = client.get(
        "/simulations/regroupement/", {"term": "48", "rev_used": "2000", "rev_product": "accessio-confort"}
    )
    assert 'id="sim-result"' in page.content.decode()
