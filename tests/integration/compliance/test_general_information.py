"""General information on each credit product, in the public pages (ordonnance n° 2025-880, CCD2 art. 7),
and the information email sent on request, which ends with the L312-5 sentence."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.factories import make_customer
from tests.integration.portal.helpers import norm

NEW = "Attention ! Un crédit coûte de l'argent et doit être remboursé."


@pytest.fixture(autouse=True)
def _tariff(db, time_machine):
    from guichet.catalogue.services import load_tariff

    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")


def test_the_public_products_page_gives_each_products_general_information(client):
    from guichet.catalogue.selectors import products_on
    from guichet.credit.consumer_law import CCD2_IN_FORCE

    page = client.get("/nos-credits/")
    assert page.status_code == 200
    body = norm(page.content.decode())
    assert NEW in body and "rétractation de 14 jours" in body
    for product in products_on(on=CCD2_IN_FORCE):
        assert f'id="product-{product.code}"' in body
    assert "jusqu'à 35 000,00 €" in body  # Prêt Sur Mesure: no 200 € floor since CCD2
    assert "4,80 % – 19,33 %" in body  # Prêt Sur Mesure debit rates by amount (seed 004)


def test_the_xpf_lender_shows_its_products_in_francs(client, settings):
    settings.GUICHET_LENDER = "nc"
    body = norm(client.get("/nos-credits/").content.decode())
    assert "XPF" in body or "F CFP" in body or "FCFP" in body
    assert "€" not in body.split("Nos crédits : informations générales", 1)[1]


def test_the_information_email_sent_on_request_ends_with_the_l312_5_sentence(mailbox):
    from guichet.origination.information import send_credit_information

    customer = make_customer(email="info@example.test")
    send_credit_information(customer=customer)
    text = mailbox.text(mailbox.last_to("info@example.test"))
    assert "Prêt Sur Mesure" in text and NEW in text
