"""Whose language shows: the account's at sign-in (on any device), the header switcher's afterwards
(saved to the account, so emails follow), and a choice made on the sign-in page before signing in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.integration.customers.helpers import login
from tests.integration.portal.helpers import page_text

pytestmark = pytest.mark.django_db


def test_sign_in_applies_the_accounts_language(client):
    user = make_user(language="en")
    response = login(client, user.email)
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    text = page_text(client.get(reverse("portal:dashboard")).content.decode())
    assert "Dashboard" in text and "Tableau de bord" not in text


def test_sign_in_brings_a_french_account_back_to_french_after_another_visitor_chose_english(client):
    user = make_user(language="fr")
    client.cookies["django_language"] = "en"  # left by an earlier visit, not chosen in this session
    response = login(client, user.email)
    assert response.cookies["django_language"].value == "fr"
    user.refresh_from_db()
    assert user.language == "fr"


def test_english_chosen_on_the_sign_in_page_wins_and_is_saved_to_the_account(client):
    user = make_user(language="fr")
    client.get(reverse("portal:login"))
    client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:login")})
    response = login(client, user.email)
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    user.customer.refresh_from_db()
    assert (user.language, user.customer.language) == ("en", "en")


def test_header_switcher_saves_the_language_of_a_signed_in_customer(client):
    user = make_user(language="fr")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:dashboard")})
    assert response.status_code == 302 and response["Location"] == reverse("portal:dashboard")
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.language == "en"


def test_header_switcher_refuses_an_unknown_language_without_saving_it(client):
    user = make_user(language="fr")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "fr"


def test_header_switcher_is_on_every_page(client):
    for name in ("portal:login", "portal:password_forgot", "portal:support"):
        html = client.get(reverse(name)).content.decode()
        assert 'action="/i18n/setlang/"' in html and 'name="language"' in html, name
