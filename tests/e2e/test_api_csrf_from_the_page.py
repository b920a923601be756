"""Issue 11, item 6 in Chromium: the JSON API now wants a CSRF token whenever the session cookie goes
along, so the simulation page's live update (simulations.js, fetch) must still work for a signed-in
customer: the script sends the ``csrftoken`` cookie's value as ``X-CSRFToken``."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_the_live_simulation_works_for_a_signed_in_customer_through_the_csrf_guard(
    live_server, page: Page
) -> None:
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    client = Client()
    client.force_login(make_user())
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    api_statuses: list[int] = []
    page.on("response", lambda r: api_statuses.append(r.status) if "/api/v1/" in r.url else None)

    page.goto(f"{live_server.url}/simulations/credit/?product=pret-sur-mesure&amount=10000&term=60")
    expect(page.locator("#sim-result")).to_contain_text("Exemple représentatif")
    page.fill("#term", "48")  # the live update: fetch() to the API with the session cookie

    expect(page.locator("#sim-result")).to_contain_text("48 mois")
    assert api_statuses and set(api_statuses) == {200}
