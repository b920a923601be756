"""Browser-side defences on every page (DESIGN.md "Security baseline": CSP, frame denial, secure
cookies, HSTS; OWASP ASVS 2 V3 session management, V14 HTTP headers): the headers a customer page and a
back-office page carry, the session cookie's flags, and the production settings' Secure cookies and HSTS."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_customer, make_staff, make_user
from tests.integration.backoffice.helpers import staff_session
from tests.integration.customers.helpers import login

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in policy.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


def _assert_hardened(response) -> None:
    assert response.status_code == 200
    csp = _csp(response)
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src and "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "'unsafe-inline'" not in csp.get("style-src", csp["default-src"])
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")


def test_a_customer_page_carries_csp_without_inline_script_frame_denial_nosniff_and_referrer_policy():
    client = Client()
    assert login(client, make_user().email).status_code == 302
    _assert_hardened(client.get(reverse("portal:home")))


def test_the_customer_sign_in_page_carries_the_same_headers():
    _assert_hardened(Client().get("/connexion/"))


def test_a_back_office_page_carries_csp_without_inline_script_frame_denial_nosniff_and_referrer_policy():
    client = Client()
    staff_session(client, make_staff())
    _assert_hardened(client.get(reverse("backoffice:customer", args=[make_customer().pk])))
    _assert_hardened(Client().get(reverse("backoffice:login")))


def test_the_session_cookie_is_httponly_and_samesite():
    client = Client()
    response = login(client, make_user().email)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() in ("lax", "strict")


def test_prod_settings_send_cookies_only_over_https_and_set_hsts():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}  # the defaults, not overrides
    env.update(DJANGO_SETTINGS_MODULE="guichet.settings.prod", DJANGO_SECRET_KEY=secrets.token_urlsafe(50))
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "DEBUG",
    ]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True  # every cookie Secure (issue 11)
    assert values["SESSION_COOKIE_HTTPONLY"] is True and values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["DEBUG"] is False
