"""Issue 11, item 5: huge amounts crashed two endpoints (``POST /api/v1/simulations/consolidation`` with an
outstanding of 10^30, no sign-in needed, and the scheduled-transfer form with ``1e30``): both answered
500. Every typed amount now goes through ``payments.amounts.parse_amount``, which refuses what is not a
plain number and anything over the largest amount the lender's products lend, with a French sentence."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from guichet.credit import EUR, Money
from guichet.payments.amounts import AmountRefused, max_amount, parse_amount
from guichet.payments.models import ScheduledTransfer
from tests.factories import make_contract, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/simulations"


@pytest.fixture
def tariff(db, time_machine):
    from django.conf import settings

    from guichet.catalogue.services import load_tariff

    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)
    return load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml").tariff


def _post(client: Client, path: str, body: dict):
    return client.post(f"{API}{path}", data=json.dumps(body), content_type="application/json")


def test_the_ceiling_is_the_largest_amount_a_product_of_the_tariff_lends(tariff) -> None:
    assert max_amount(EUR) == Money.of("80000", EUR)  # Rachat de crédits, seed 004
    assert parse_amount("80 000,00") == Money.of("80000", EUR)
    with pytest.raises(AmountRefused, match="ne peut pas dépasser 80"):
        parse_amount("80000.01")


@pytest.mark.parametrize("raw", ["1e30", "-5", "1,2,3", "NaN", "Infinity", "12.345", "0x10", "１２"])
def test_what_is_not_a_plain_amount_is_refused_with_a_french_sentence(tariff, raw) -> None:
    with pytest.raises(AmountRefused, match="invalide"):
        parse_amount(raw, label="montant")


def test_consolidation_with_an_outstanding_of_ten_to_the_thirty_is_refused_not_a_server_error(
    client, tariff
) -> None:
    for outstanding in (str(10**30), "100000000000000", "1e30"):
        body = {
            "external": [{"outstanding": outstanding, "installment": "400.00", "remaining_months": 22}],
            "term_months": 84,
        }
        response = _post(client, "/consolidation", body)
        assert response.status_code in (409, 422), (outstanding, response.content)
        assert response.json()["code"] in ("invalid_input", "invalid_amount")


def test_an_amount_within_the_pattern_but_over_every_product_is_refused_as_invalid_amount(
    client, tariff
) -> None:
    body = {
        "external": [{"outstanding": "999999999999999", "installment": "400.00", "remaining_months": 22}],
        "term_months": 84,
    }
    response = _post(client, "/consolidation", body)
    assert response.status_code == 409  # the schema allows it: a rule refuses it
    assert response.json()["code"] == "invalid_amount"
    assert "ne peut pas dépasser" in response.json()["detail"]


@pytest.mark.parametrize("raw", ["1e30", "999999999999999"])
def test_the_scheduled_transfer_form_refuses_a_huge_amount_and_stores_nothing(tariff, raw) -> None:
    user = make_user()
    contract = make_contract(user.customer)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("portal:transfers", args=[contract.number]),
        {"amount": raw, "first_on": "2022-04-10", "monthly": "0"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalide" in page or "ne peut pas dépasser" in page
    assert not ScheduledTransfer.objects.exists()
