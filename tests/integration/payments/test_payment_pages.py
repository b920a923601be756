"""The payments and simulation pages render for the customer (375 px-friendly templates), exports work,
and another customer's contract number answers 404."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import DEMO_PASSWORD, make_contract, make_customer


@pytest.fixture
def signed_in(client, borrower):
    assert client.login(email=borrower.email, password=DEMO_PASSWORD)
    return client


def test_payments_page_shows_history_from_the_ledger_and_exports_csv(signed_in, loan) -> None:
    page = signed_in.get("/espace/paiements/")
    assert page.status_code == 200
    assert "Historique des paiements" in page.content.decode()
    csv = signed_in.get("/espace/paiements/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    rows = csv.content.decode().strip().splitlines()[1:]
    assert len(rows) == 10 and all(f";{loan.number};" in r for r in rows)  # ten installments paid so far


def test_early_repayment_page_shows_quote_and_cap_explanation(signed_in, loan, today) -> None:
    on = (today + timedelta(days=2)).isoformat()
    page = signed_in.get(f"/espace/contrats/{loan.number}/remboursement-anticipe/?on={on}&amount=1000")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Réduire la durée" in body and "L312-34" in body


def test_early_repayment_date_in_the_past_is_explained(signed_in, loan, today) -> None:
    on = (today - timedelta(days=2)).isoformat()
    body = signed_in.get(f"/espace/contrats/{loan.number}/remboursement-anticipe/?on={on}").content.decode()
    assert "passé" in body


def test_another_customers_contract_is_not_found(signed_in, loan) -> None:
    other = make_contract(make_customer())
    assert signed_in.get(f"/espace/contrats/{other.number}/remboursement-anticipe/").status_code == 404


def test_bank_details_with_bad_iban_show_a_french_error(signed_in, loan) -> None:
    r = signed_in.post(
        f"/espace/contrats/{loan.number}/coordonnees-bancaires/",
        {"holder": "Camille Martin", "iban": "FR7630006000011234567890188", "action": "send_code"},
    )
    assert "clé de contrôle" in r.content.decode()


def test_public_credit_simulation_page_renders_results(client, tariff, time_machine) -> None:
    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)
    body = client.get("/simulations/credit/?product=pret-sur-mesure&amount=10000&term=60").content.decode()
    assert "Exemple représentatif" in body and "<svg" in body


@pytest.mark.parametrize("count", [1, 4])
def test_payments_page_costs_the_same_queries_for_1_or_4_contracts(
    signed_in, borrower, today, count, django_assert_max_num_queries
) -> None:
    from guichet.credit.dates import add_months

    from .conftest import settle_past_installments

    contracts = [
        make_contract(borrower, amount="10000.00", term_months=48, start_on=add_months(today, -10, day=5))
        for _ in range(count)
    ]
    for contract in contracts:
        settle_past_installments(contract, today)
    signed_in.get("/espace/")  # the first page after sign-in settles the session
    with django_assert_max_num_queries(10):
        page = signed_in.get("/espace/paiements/")
    body = page.content.decode()
    assert all(body.count(c.number) >= 3 for c in contracts)  # history, calendar and mandate of each


def test_credit_simulation_page_without_a_tariff_in_force_says_no_product_is_available(client, db) -> None:
    page = client.get("/simulations/credit/")
    assert page.status_code == 200
    assert "Aucun produit disponible" in page.content.decode()
