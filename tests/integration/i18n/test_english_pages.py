"""Issue 4: "French and English throughout". With English active, the customer's pages and emails
are in English (and hold no French sentence), and amounts and dates follow the language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_contract, make_user
from tests.integration.portal.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_client(client):
    client.cookies["django_language"] = "en"
    return client


def test_login_page_is_in_english(english_client):
    text = page_text(english_client.get(reverse("portal:login")).content.decode())
    assert "Forgotten password?" in text and "Create my customer space" in text
    assert "Mot de passe oublié" not in text and "Créer mon espace client" not in text


def test_dashboard_is_in_english_with_english_money(english_client):
    user = make_user(language="en")
    make_contract(user.customer, amount="10000.00")
    english_client.force_login(user)
    text = page_text(english_client.get(reverse("portal:dashboard")).content.decode())
    assert "Dashboard" in text and "Outstanding principal" in text and "Next instalment" in text
    assert "€10,000.00" in text
    assert "Tableau de bord" not in text and "Capital restant dû" not in text
    assert "10 000,00 €" not in text


def test_contract_page_is_in_english(english_client):
    user = make_user(language="en")
    contract = make_contract(user.customer, start_on=contract_start())
    english_client.force_login(user)
    html = english_client.get(reverse("portal:contract", args=[contract.number])).content.decode()
    text = page_text(html)
    assert f"Contract no. {contract.number}" in text
    assert "Borrowing rate" in text and "APR" in text and "Repayment calendar" in text
    assert "since 10/01/2026" in text  # dd/MM/yyyy in en_GB as in fr
    assert "Taux débiteur" not in text and "Calendrier de remboursement" not in text
    assert "n°" not in text


def contract_start():
    from datetime import date

    return date(2026, 1, 10)


def test_support_page_is_in_english(english_client):
    user = make_user(language="en")
    english_client.force_login(user)
    text = page_text(english_client.get(reverse("portal:support")).content.decode())
    assert "Opening hours" in text and "Complaints and mediation" in text and "Recovery department:" in text
    assert "Horaires" not in text and "Réclamations et médiation" not in text
    assert " :" not in text.replace("Service & appel gratuits", "")  # no French colon spacing


def test_french_stays_the_default_language(client):
    text = page_text(client.get(reverse("portal:login")).content.decode())
    assert "Mot de passe oublié ?" in text and "Forgotten password?" not in text


def test_reset_email_goes_out_in_the_customers_language_not_the_pages(client, mailbox):
    """The page is French (no cookie) but the customer chose English: the email is in English."""
    user = make_user(language="en")
    client.post(reverse("portal:password_forgot"), {"email": user.email})
    message = mailbox.last_to(user.email)
    body = mailbox.text(message)
    assert "Resetting your password" in message["Subject"]
    assert "You asked to reset your password." in body
    assert "Vous avez demandé" not in body and "Réinitialisation" not in message["Subject"]


def test_reset_email_is_french_for_a_french_customer_on_an_english_page(english_client, mailbox):
    user = make_user(language="fr")
    english_client.post(reverse("portal:password_forgot"), {"email": user.email})
    message = mailbox.last_to(user.email)
    assert "Réinitialisation de votre mot de passe" in message["Subject"]
    assert "Vous avez demandé à réinitialiser votre mot de passe." in mailbox.text(message)


def test_sms_code_goes_out_in_the_customers_language(client, sms_outbox):
    from guichet.customers.services import issue_code

    user = make_user(language="en")
    issue_code(user=user, customer=user.customer, purpose="login", bound_to="login:test")
    text = sms_outbox.last_to(user.customer.phone)["text"]
    # The SMS names what the code is for (issue 16), in English for an English-speaking customer.
    assert "to sign in to your customer space" in text and "It expires in 10 min" in text
    assert "vous connecter" not in text and "votre code" not in text
