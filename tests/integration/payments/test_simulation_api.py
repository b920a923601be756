"""The simulation endpoints: same figures as the service, clear French refusals, OpenAPI published."""

from __future__ import annotations

import json

import pytest

API = "/api/v1/simulations"


def _post(client, path: str, body: dict):
    return client.post(f"{API}{path}", data=json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def _today(time_machine):
    # The shipped tariff is the 1 Jan 2022 sheet; simulate while it is the tariff in force.
    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)


def test_new_credit_simulation_gives_installment_taeg_sentence_usury_and_chart(client, tariff) -> None:
    r = _post(
        client, "/new-credit", {"product_code": "pret-sur-mesure", "amount": "10000.00", "term_months": 60}
    )
    assert r.status_code == 200, r.content
    data = r.json()
    # Prêt Sur Mesure > 6 000 €: debit rate 4.80 %, TAEG max 4.91 % (seed 004, "Prêt Personnel").
    assert data["debit_rate"] == "0.048000" or data["debit_rate"].startswith("0.048")
    assert data["taeg"].startswith("0.049")
    assert data["installment"] == "187.80"
    assert data["usury_ok"] is True
    assert "Exemple représentatif" in data["representative_example"]
    assert data["chart_svg"].startswith("<svg")


def test_new_credit_out_of_range_is_refused_with_a_french_message(client, tariff) -> None:
    # 78 000 € is within what the tariff lends at all (80 000 €, Rachat) but over Prêt Sur Mesure's range.
    r = _post(
        client, "/new-credit", {"product_code": "pret-sur-mesure", "amount": "78000.00", "term_months": 60}
    )
    # Schema-valid, refused by the product's range (issue 11: 422 is the schema's).
    assert r.status_code == 409
    assert "plage" in r.json()["detail"]


def test_bad_amount_is_refused(client, tariff) -> None:
    r = _post(client, "/new-credit", {"product_code": "pret-sur-mesure", "amount": "dix", "term_months": 60})
    assert r.status_code == 422


def test_consolidation_says_when_a_longer_term_costs_more(client, tariff) -> None:
    body = {
        "external": [{"outstanding": "8000.00", "installment": "400.00", "remaining_months": 22}],
        "term_months": 84,
    }
    r = _post(client, "/consolidation", body)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["costs_more"] is True and "Attention" in data["sentence"]
    assert float(data["new_monthly"]) < 400


def test_consolidation_over_80000_is_refused(client, tariff) -> None:
    body = {
        "external": [{"outstanding": "81000.00", "installment": "900.00", "remaining_months": 100}],
        "term_months": 144,
    }
    assert _post(client, "/consolidation", body).status_code == 409


def test_early_repayment_simulation_needs_a_session(client) -> None:
    r = _post(client, "/early-repayment", {"contract_number": "1234567890", "on": "2022-04-01"})
    assert r.status_code == 401


def test_openapi_document_lists_the_simulation_endpoints(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"{API}/new-credit", f"{API}/early-repayment", f"{API}/consolidation"} <= set(paths)
