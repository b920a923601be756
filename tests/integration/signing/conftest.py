"""Fixtures of the signing tests: a demo seal certificate, a customer with a phone, staff, an application."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from guichet.credit import Money, currency
from guichet.signing.certificates import make_demo_certificates
from guichet.signing.journal import Client
from tests.factories import make_customer, make_staff, make_user

BROWSER = Client(ip="203.0.113.7", user_agent="Mozilla/5.0 (test) Chromium")


@pytest.fixture(scope="session")
def seal_files(tmp_path_factory: pytest.TempPathFactory):
    return make_demo_certificates(directory=tmp_path_factory.mktemp("seal"), organisation="Crédit Démo Test")


@pytest.fixture(autouse=True)
def seal_settings(settings, seal_files, tmp_path: Path):
    settings.GUICHET_SEAL_KEY = seal_files.key
    settings.GUICHET_SEAL_CERT = seal_files.cert
    settings.GUICHET_SEAL_CA = seal_files.ca
    settings.GUICHET_TSA_URL = ""
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return settings


@pytest.fixture
def customer(db):
    person = make_customer(phone="+687751234", language="fr")
    make_user(person)
    return person


@pytest.fixture
def advisor(db):
    return make_staff(role="advisor")


@pytest.fixture
def supervisor(db):
    return make_staff(role="supervisor")


@pytest.fixture
def application(customer, advisor):
    from guichet.signing.services import create_application

    return create_application(
        customer=customer,
        product_code="pret_personnel",
        product_name="Prêt personnel",
        amount=Money(1_000_000, currency("EUR")),
        term_months=24,
        created_by=advisor,
        debit_rate=Decimal("0.0590"),
    )


@pytest.fixture
def signature_request(application, advisor):
    from guichet.signing.services import request_signature

    return request_signature(application=application, requested_by=advisor)


def walk_to_code(req, customer, client: Client = BROWSER) -> None:
    """The page's steps: the signer confirms the email and mobile on file (seed 003, step 1), the server
    sends the page and every page image (what it observes), then the browser reports viewed and
    scrolled to the end, then the consent is ticked."""
    from guichet.signing import services

    services.confirm_contact_details(signature_request=req, customer=customer, client=client)
    served(req, customer, client)
    services.record_view(signature_request=req, customer=customer, client=client)
    services.record_scrolled_to_end(signature_request=req, customer=customer, client=client)
    services.record_consent(signature_request=req, customer=customer, client=client)


def served(req, customer, client: Client = BROWSER) -> None:
    """What the server records when it sends the signing page and each page of the document."""
    from guichet.signing import services

    services.record_page_served(signature_request=req, customer=customer, client=client)
    for page in range(1, req.page_count + 1):
        services.record_image_served(signature_request=req, customer=customer, client=client, page=page)


def code_from(sms_outbox, customer) -> str:
    text = sms_outbox.last_to(customer.phone)["text"]
    return "".join(ch for ch in text.split("est ")[1].split(" ")[0] if ch.isdigit())
