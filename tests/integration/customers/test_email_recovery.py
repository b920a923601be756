"""Lost email (seed 000: recovery "par email et SMS"): mobile + birth date + contract number → SMS code →
new address confirmed by a code sent to it; the old address is told; unknown identities learn nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.factories import make_contract, make_customer, make_user

from .helpers import sms_code, without_csrf

pytestmark = pytest.mark.django_db


def _identity(client: Client, phone: str, number: str, birth: str = "1975-05-05"):
    return client.post(
        "/email-perdu/", {"phone": phone, "birth_date": birth, "contract_number": number}, follow=True
    )


def test_lost_email_is_replaced_after_sms_code_and_a_code_to_the_new_address(mailbox, sms_outbox) -> None:
    customer = make_customer(birth_date=date(1975, 5, 5))
    user = make_user(customer)
    contract = make_contract(customer)
    old_email = customer.email
    client = Client()
    _identity(client, customer.phone, contract.number)
    code = sms_code(sms_outbox.last_to(customer.phone)["text"])
    client.post("/email-perdu/", {"code": code})
    client.post("/email-perdu/", {"email": "nouvelle.adresse@example.test"})
    text = mailbox.text(mailbox.last_to("nouvelle.adresse@example.test"))
    new_code = sms_code(text)
    response = client.post("/email-perdu/", {"code": new_code})
    assert response["Location"] == "/connexion/"
    user.refresh_from_db()
    customer.refresh_from_db()
    assert user.email == customer.email == "nouvelle.adresse@example.test"
    assert "nouvelle.adresse@example.test" in mailbox.text(mailbox.last_to(old_email))


def test_unknown_identity_gets_the_same_page_and_no_sms(sms_outbox) -> None:
    customer = make_customer(birth_date=date(1975, 5, 5))
    make_user(customer)
    contract = make_contract(customer)
    good = _identity(Client(), customer.phone, contract.number).content.decode()
    bad = _identity(Client(), customer.phone, contract.number, birth="1975-05-06").content.decode()
    assert without_csrf(good) == without_csrf(bad)
    assert len(sms_outbox.messages()) == 1
