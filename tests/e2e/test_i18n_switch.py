"""Issue 4 in a real Chromium: a visitor switches the sign-in page to English with the header control,
signs in as a demo-like customer (French account) and lands on an English dashboard, which stays
English for their next visits (the choice is saved to the account)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.credit.dates import add_months
from tests.factories import DEMO_PASSWORD, make_contract, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_header_switch_to_english_then_sign_in_shows_the_english_dashboard(
    live_server, page: Page, sms_outbox
):
    user = make_user(language="fr")
    start = add_months(timezone.localdate(), -3) - timedelta(days=2)
    contract = make_contract(user.customer, amount="6000.00", term_months=24, start_on=start)

    page.goto(live_server.url + "/connexion/")
    expect(page.locator("main h1")).to_contain_text("Bienvenue")
    page.locator("header select[name=language]").select_option("en")
    page.locator("header form.lang button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Forgotten password?")

    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if "/connexion/code/" in page.url:  # unusual sign-in: the SMS code from the outbox
        sms = sms_outbox.last_to(user.customer.phone)["text"]
        page.locator("main input[name=code]").fill(re.search(r"\b(\d{4,8})\b", sms).group(1))
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()

    page.goto(live_server.url + "/espace/")
    main = page.locator("main")
    expect(main).to_contain_text("Outstanding principal")
    expect(main).to_contain_text(f"Contract no. {contract.number}")
    expect(main).to_contain_text("€")
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    assert "Capital restant dû" not in main.inner_text()
    assert "Tableau de bord" not in page.locator("header").inner_text()
    user.refresh_from_db()
    assert user.language == "en"
