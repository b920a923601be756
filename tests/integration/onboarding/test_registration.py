"""Self-registration (seed 000): contract number + birth date + email → activation link valid 48 h,
single use → password → signed in. Any mismatch gets the same neutral answer; the door is rate-limited;
the New Caledonian profile has no self-registration and says to call the agency."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from guichet.customers.models import SecurityEvent
from guichet.lenders.profile import _profile_for
from tests.factories import make_contract, make_customer, make_user
from tests.integration.customers.helpers import NEW_PASSWORD, link_in, without_csrf

pytestmark = pytest.mark.django_db
NEUTRAL = "Si ces informations correspondent à un contrat, un email vous a été envoyé."


@pytest.fixture
def holder():
    customer = make_customer(birth_date=date(1980, 2, 29), email="camille.register@example.test")
    contract = make_contract(customer)
    return customer, contract


def _register(client: Client, number: str, birth: str, email: str):
    return client.post("/inscription/", {"contract_number": number, "birth_date": birth, "email": email})


def test_matching_holder_gets_an_activation_link_then_sets_a_password_and_is_signed_in(
    holder, mailbox
) -> None:
    customer, contract = holder
    client = Client()
    page = _register(client, contract.number, "1980-02-29", "Camille.Register@example.test").content.decode()
    assert NEUTRAL in page
    text = mailbox.text(mailbox.last_to(customer.email))
    assert "48 heures" in text
    path = link_in(text, "/activation/")
    form = client.get(path).content.decode()
    assert "Choisissez votre mot de passe" in form and customer.email in form
    response = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.user is not None and customer.user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(customer.user.pk)
    assert SecurityEvent.objects.filter(user=customer.user, kind="activated").exists()
    again = Client().get(path)
    assert again.status_code == 410 and "déjà été utilisé" in again.content.decode()


def test_activation_link_expires_after_48_hours(holder, mailbox) -> None:
    customer, contract = holder
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _register(Client(), contract.number, "1980-02-29", customer.email)
        path = link_in(mailbox.text(mailbox.last_to(customer.email)), "/activation/")
        traveller.shift(timedelta(hours=47, minutes=59))
        assert Client().get(path).status_code == 200
        traveller.shift(timedelta(minutes=2))
        response = Client().post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and "expiré" in response.content.decode()
    customer.refresh_from_db()
    assert customer.user is None


@pytest.mark.parametrize(
    ("number", "birth", "email"),
    [
        ("0000000000", "1980-02-29", "camille.register@example.test"),  # unknown contract
        (None, "1980-03-01", "camille.register@example.test"),  # wrong birth date
        (None, "1980-02-29", "someone.else@example.test"),  # wrong email
    ],
)
def test_any_mismatch_gets_the_same_answer_and_no_mail(holder, mailbox, number, birth, email) -> None:
    customer, contract = holder
    good = _register(Client(), contract.number, "1980-02-29", customer.email).content.decode()
    mailbox.clear()
    bad = _register(Client(), number or contract.number, birth, email).content.decode()
    assert without_csrf(bad) == without_csrf(good)
    assert mailbox.messages == []


def test_existing_account_is_told_by_mail_not_on_the_page(holder, mailbox) -> None:
    customer, contract = holder
    make_user(customer)
    page = _register(Client(), contract.number, "1980-02-29", customer.email).content.decode()
    assert NEUTRAL in page
    assert "existe déjà" in mailbox.text(mailbox.last_to(customer.email))


def test_registration_is_rate_limited_per_address(holder, mailbox) -> None:
    customer, contract = holder
    client = Client(REMOTE_ADDR="198.51.100.20")
    for n in range(10):
        _register(client, f"{n:010d}", "1990-01-01", "x@example.test")
    page = _register(client, contract.number, "1980-02-29", customer.email).content.decode()
    assert "Trop de tentatives" in page
    assert mailbox.messages == []


def test_new_caledonian_profile_has_no_self_registration_and_gives_the_agency_phone(settings) -> None:
    # Seed 003: "Vous n'avez pas encore de compte client ? ... en appelant le 448 448".
    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()
    page = Client().get("/inscription/").content.decode()
    assert "448.448" in page and "contract_number" not in page
    assert "448.448" in Client().get("/connexion/").content.decode()
