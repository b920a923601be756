"""Issue 11, items 8 and "Secure cookies": every signed-in page is ``Cache-Control: no-store`` (a shared
computer's back button or a proxy must not replay a contract page), and under production cookie settings
every cookie the site sets carries the Secure flag, the long-lived device cookie included."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_customer, make_staff, make_user
from tests.integration.backoffice.helpers import staff_session
from tests.integration.customers.helpers import login

pytestmark = pytest.mark.django_db


def test_every_signed_in_customer_page_is_sent_with_no_store():
    client = Client()
    assert login(client, make_user().email).status_code == 302
    for url in ("portal:home", "portal:security_activity", "portal:payments"):
        response = client.get(reverse(url), follow=True)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url


def test_a_signed_in_back_office_page_is_sent_with_no_store():
    client = Client()
    staff_session(client, make_staff())
    response = client.get(reverse("backoffice:customer", args=[make_customer().pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_public_sign_in_page_may_be_cached_normally():
    assert "no-store" not in Client().get("/connexion/").get("Cache-Control", "")


def test_under_production_cookie_settings_every_cookie_is_secure_the_device_cookie_included(settings):
    # The production values (settings/prod.py), over plain HTTP as a TLS proxy that forgets
    # X-Forwarded-Proto would present it: the flag must not depend on request.is_secure().
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    client = Client()
    user = make_user()
    client.get("/connexion/")
    response = login(client, user.email)
    assert response.status_code == 302
    assert "guichet_device" in response.cookies and "sessionid" in response.cookies
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.cookies, "the journey set no cookie"
    insecure = [name for name, morsel in client.cookies.items() if morsel.value and not morsel["secure"]]
    assert insecure == []
