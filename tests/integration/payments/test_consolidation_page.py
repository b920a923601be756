"""Consolidation page and API: a contract number that is not the customer's is refused in words, not a 500."""

from __future__ import annotations

import json

import pytest

from tests.factories import DEMO_PASSWORD, make_contract, make_customer


@pytest.fixture(autouse=True)
def _today(time_machine):
    # The shipped tariff is the 1 Jan 2022 sheet; simulate while it is the tariff in force.
    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)


def test_consolidating_another_customers_contract_is_refused_with_a_message(client, borrower, tariff) -> None:
    other = make_contract(make_customer())
    assert client.login(email=borrower.email, password=DEMO_PASSWORD)
    page = client.get("/simulations/regroupement/", {"term": "60", "contracts": other.number})
    assert page.status_code == 200
    assert f"Contrat {other.number} introuvable" in page.content.decode()


def test_the_api_answers_404_for_another_customers_contract(client, borrower, tariff) -> None:
    other = make_contract(make_customer())
    assert client.login(email=borrower.email, password=DEMO_PASSWORD)
    body = {"contract_numbers": [other.number], "term_months": 60}
    r = client.post(
        "/api/v1/simulations/consolidation", data=json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 404
    assert other.number in r.json()["detail"]
