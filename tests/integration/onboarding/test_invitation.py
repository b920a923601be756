"""Invitation (seed 003): email with a link "connecter à votre espace client" and an 8-character code;
"Code de vérification", "Vérifier", "Demander un nouveau code" (old code dies, cooldown), then
"Choisissez votre mot de passe" with the email as identifiant; the management command."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from guichet.customers.codes import INVITATION_ALPHABET
from guichet.lenders.profile import _profile_for
from guichet.onboarding.invitations import invite_customer
from tests.factories import make_customer
from tests.integration.customers.helpers import link_in

pytestmark = pytest.mark.django_db
STRONG = "Lagon-Noumea-2027!"


@pytest.fixture(autouse=True)
def _nc(settings):
    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()


def _mail_code(text: str) -> str:
    match = re.search(r"^\s+([A-Z0-9]{8})\s*$", text, re.M)
    assert match, text
    return match.group(1)


def test_invited_customer_enters_the_code_then_chooses_a_password(mailbox) -> None:
    customer = make_customer()
    invite_customer(customer=customer)
    text = mailbox.text(mailbox.last_to(customer.email))
    code = _mail_code(text)
    assert set(code) <= set(INVITATION_ALPHABET)
    path = link_in(text, "/invitation/")
    client = Client()
    page = client.get(path).content.decode()
    assert "Code de vérification" in page and "Demander un nouveau code" in page
    assert "Code incorrect" in client.post(path, {"code": "AAAAAAAA"}).content.decode()
    assert client.post(path, {"code": code.lower()})["Location"] == path
    page = client.get(path).content.decode()
    assert "Choisissez votre mot de passe" in page and customer.email in page
    assert "12 caractères" in page
    weak = client.post(path, {"password": "Abcdefgh1234", "confirm": "Abcdefgh1234"}).content.decode()
    assert "un caractère spécial" in weak
    response = client.post(path, {"password": STRONG, "confirm": STRONG})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.user.check_password(STRONG)
    assert Client().get(path).status_code == 410


def test_code_alone_in_another_browser_does_not_open_the_password_step(mailbox) -> None:
    customer = make_customer()
    invite_customer(customer=customer)
    text = mailbox.text(mailbox.last_to(customer.email))
    path = link_in(text, "/invitation/")
    Client().post(path, {"code": _mail_code(text)})
    other = Client()
    assert "Code de vérification" in other.get(path).content.decode()
    other.post(path, {"password": STRONG, "confirm": STRONG})
    customer.refresh_from_db()
    assert customer.user is None


def test_asking_a_new_code_kills_the_old_one_after_the_cooldown(mailbox) -> None:
    customer = make_customer()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        invite_customer(customer=customer)
        text = mailbox.text(mailbox.last_to(customer.email))
        old, path = _mail_code(text), link_in(text, "/invitation/")
        client = Client()
        client.post(path + "nouveau-code/")
        assert "Vous pourrez en demander un nouveau" in client.get(path).content.decode()
        traveller.shift(timedelta(seconds=61))
        client.post(path + "nouveau-code/")
        new = _mail_code(mailbox.text(mailbox.last_to(customer.email)))
        if new != old:
            assert "Code incorrect" in client.post(path, {"code": old}).content.decode()
        assert client.post(path, {"code": new}).status_code == 302


def test_invitation_link_expires_with_the_profile_lifetime(mailbox) -> None:
    customer = make_customer()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        invite_customer(customer=customer)
        path = link_in(mailbox.text(mailbox.last_to(customer.email)), "/invitation/")
        traveller.shift(timedelta(hours=48, seconds=1))
        assert Client().get(path).status_code == 410


def test_management_command_invites_by_reference_and_prints_link_and_code(mailbox) -> None:
    customer = make_customer()
    out = StringIO()
    call_command("invite_customer", customer.reference, stdout=out)
    assert _mail_code(mailbox.text(mailbox.last_to(customer.email))) in out.getvalue()
    assert "/invitation/" in out.getvalue()
