"""L312-5 as rewritten by ordonnance n° 2025-880 (in force 20 November 2026): every page, document and
email that advertises or simulates credit carries « Attention ! Un crédit coûte de l'argent et doit être
remboursé. », and the old sentence « Un crédit vous engage et doit être remboursé… » is gone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from guichet.credit import Money, currency
from guichet.documents.models import Document
from tests.factories import make_customer, make_staff
from tests.integration.portal.helpers import norm, pdf_text

NEW = "Attention ! Un crédit coûte de l'argent et doit être remboursé."
OLD = "vous engage et doit être remboursé"
REPO = Path(settings.BASE_DIR)


@pytest.fixture
def tariff(db):
    from guichet.catalogue.services import load_tariff

    return load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml").tariff


@pytest.fixture(autouse=True)
def _after_ccd2(time_machine):
    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)


@pytest.mark.parametrize(
    "path",
    [
        "/simulations/",
        "/simulations/credit/",
        "/simulations/credit/?product=pret-sur-mesure&amount=10000&term=60",
        "/simulations/regroupement/",
    ],
)
def test_every_simulation_page_carries_the_new_l312_5_sentence_and_not_the_old(client, tariff, path):
    body = norm(client.get(path).content.decode())
    assert NEW in body
    assert OLD not in body


def test_the_simulation_api_returns_the_sentence_with_the_figures(client, tariff):
    r = client.post(
        "/api/v1/simulations/new-credit",
        {"product_code": "pret-sur-mesure", "amount": "10000.00", "term_months": 60},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["credit_warning"] == NEW


def test_in_english_the_french_legal_sentence_stays_and_its_translation_follows(client, tariff):
    client.cookies["django_language"] = "en"
    body = norm(client.get("/simulations/credit/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert NEW in body and "Borrowing money costs money" in body


def test_the_pre_contractual_sheet_pdf_carries_the_new_sentence_and_not_the_old(tariff, mailbox):
    from guichet.origination.services import prepare_application

    customer = make_customer(phone="+33612345678")
    prepare_application(
        customer=customer,
        product_code="pret-sur-mesure",
        amount=Money(1_000_000, currency("EUR")),
        term_months=48,
        insurance_id=None,
        by=make_staff(role="advisor"),
    )
    doc = Document.objects.get(customer=customer, title__contains="FIPEN")
    text = pdf_text(doc.file.read())
    assert NEW in text
    assert OLD not in text


def test_an_email_that_advertises_credit_ends_with_the_new_sentence(db, mailbox):
    from guichet.notifications import send_email

    send_email(
        to="lea@example.test",
        subject="Nos crédits",
        template="credit_information",
        context={"customer": make_customer(), "products": []},
        advertises_credit=True,
    )
    text = mailbox.text(mailbox.last_to("lea@example.test"))
    assert NEW in text
    assert OLD not in text


def test_the_old_sentence_is_gone_from_every_template_translation_and_module():
    offenders = []
    for path in (REPO / "guichet").rglob("*"):
        if path.suffix not in {".html", ".txt", ".py", ".po", ".toml"} or not path.is_file():
            continue
        if re.search(r"vous engage\s+et\s+doit\s+être\s+remboursé", path.read_text(errors="ignore")):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


EASY_CREDIT = re.compile(
    r"facile|facilement|en quelques clics|sans justificatif|accord (immédiat|express|en \d+)|"
    r"argent (immédiat|rapide)|crédit (rapide|facile|immédiat)",
    re.IGNORECASE,
)


def test_no_page_or_email_that_advertises_credit_stresses_how_easy_credit_is_to_get():
    # L312-5 / CCD2 art. 8: advertising may not stress how easy or fast credit is to obtain.
    offenders = []
    for folder in ("portal/templates", "notifications/templates", "origination/templates", "templates"):
        for path in (REPO / "guichet" / folder).rglob("*"):
            if path.is_file() and EASY_CREDIT.search(path.read_text(errors="ignore")):
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
