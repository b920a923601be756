"""In Chromium: self-registration reading the activation mail from the SMTP server, the password rules
turning red/green as one types, and an invitation with its 8-character code (seeds 000 and 003)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from guichet.lenders.profile import _profile_for
from guichet.onboarding.invitations import invite_customer
from tests.factories import make_contract, make_customer

pytestmark = pytest.mark.django_db(transaction=True)


def _link(text: str, fragment: str) -> str:
    match = re.search(r"(https?://\S*" + re.escape(fragment) + r"\S*)", text)
    assert match, text
    return match.group(1)


def test_self_registration_with_activation_mail_and_live_password_rules(
    live_server, page: Page, mailbox
) -> None:
    customer = make_customer(birth_date=date(1979, 7, 14), email="e2e.register@example.test")
    contract = make_contract(customer)
    page.goto(live_server.url + "/connexion/")
    page.get_by_role("link", name="Créer mon espace client").click()
    page.get_by_label("Numéro de contrat").fill(contract.number)
    page.get_by_label("Date de naissance").fill("1979-07-14")
    page.get_by_label("Adresse email").fill(customer.email)
    page.get_by_role("button", name="Recevoir mon lien d'activation").click()
    expect(page.get_by_role("status")).to_contain_text("Si ces informations correspondent à un contrat")

    page.goto(_link(mailbox.text(mailbox.last_to(customer.email)), "/activation/"))
    expect(page.get_by_role("heading", name="Choisissez votre mot de passe")).to_be_visible()
    expect(page.get_by_label("Identifiant")).to_have_value(customer.email)
    rules = page.locator("ul.rules li")
    expect(rules).to_have_count(4)  # French profile: 8 characters, lower, upper, digit
    password = page.get_by_label("Nouveau mot de passe")
    password.press_sequentially("abc")
    expect(page.locator('li[data-rule="lower"]')).to_have_class(re.compile(r"\bmet\b"))
    expect(page.locator('li[data-rule="upper"]')).to_have_class(re.compile(r"\bunmet\b"))
    expect(page.locator('li[data-rule="min"]')).to_have_class(re.compile(r"\bunmet\b"))
    password.press_sequentially("Defgh7")
    for rule in ("min", "lower", "upper", "digit"):
        expect(page.locator(f'li[data-rule="{rule}"]')).to_have_class(re.compile(r"\bmet\b"))
    page.get_by_label("Confirmation du mot de passe").fill("abcDefgh7")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre espace client est activé")).to_be_visible()
    customer.refresh_from_db()
    assert customer.user is not None and customer.user.check_password("abcDefgh7")


def test_invitation_with_code_then_password(live_server, page: Page, mailbox, settings) -> None:
    settings.GUICHET_LENDER = "nc"
    settings.GUICHET_SITE_URL = live_server.url
    _profile_for.cache_clear()
    customer = make_customer(email="e2e.invite@example.nc", country="NC")
    invitation = invite_customer(customer=customer)
    text = mailbox.text(mailbox.last_to(customer.email))
    assert invitation.code in text
    page.goto(_link(text, "/invitation/"))
    expect(
        page.get_by_text("Entrez le code de confirmation qui vient de vous être envoyé par email")
    ).to_be_visible()
    page.get_by_label("Code de vérification").fill(invitation.code)
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Choisissez votre mot de passe")).to_be_visible()
    expect(page.locator("ul.rules li")).to_have_count(5)  # 12 characters and four classes
    page.get_by_label("Nouveau mot de passe").fill("Lagon-Noumea-2027")
    expect(page.locator('li[data-rule="special"]')).to_have_class(re.compile(r"\bmet\b"))
    page.get_by_label("Nouveau mot de passe").fill("LagonNoumea2027")
    expect(page.locator('li[data-rule="special"]')).to_have_class(re.compile(r"\bunmet\b"))
    page.get_by_label("Nouveau mot de passe").fill("Lagon-Noumea-2027")
    page.get_by_label("Confirmation du mot de passe").fill("Lagon-Noumea-2027")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre espace client est activé")).to_be_visible()
