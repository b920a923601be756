"""The customer space in a real Chromium: sign in, dashboard, contract and calendar filters, the
amortization table PDF, a phone change with the SMS codes from the outbox, and a 375 px screen.
"""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.credit.dates import add_months
from tests.factories import DEMO_PASSWORD, make_contract, make_user, verify_identity

pytestmark = pytest.mark.django_db(transaction=True)
PHONE_WIDTH = 375


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def code_in(text: str) -> str:
    match = re.search(r"\b(\d{4,8})\b", text)
    assert match, f"no code in {text!r}"
    return match.group(1)


def sign_in(page: Page, base: str, user, sms_outbox) -> None:
    """Sign in through the login form; an unusual sign-in's SMS code is read from the outbox."""
    page.goto(base + "/connexion/")
    page.locator("#id_email").fill(user.email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if "/connexion/code/" in page.url:
        page.get_by_label("Code de vérification").fill(
            code_in(sms_outbox.last_to(user.customer.phone)["text"])
        )
        page.get_by_role("button").last.click()
        page.wait_for_load_state()
    page.goto(base + "/espace/")


@pytest.fixture
def customer_with_loan(sms_outbox):
    user = make_user()
    verify_identity(user.customer)  # the phone change below needs the identity approved
    start = add_months(timezone.localdate(), -5) - timedelta(days=2)
    contract = make_contract(user.customer, amount="6000.00", term_months=24, start_on=start)
    return user, contract


def test_dashboard_contract_calendar_filters_and_amortization_pdf(
    live_server, page: Page, customer_with_loan, sms_outbox, tmp_path
):
    user, contract = customer_with_loan
    sign_in(page, live_server.url, user, sms_outbox)
    expect(page.locator("h1")).to_contain_text("Bonjour")
    card = page.locator("article.contract-card", has_text=contract.number)
    expect(card).to_contain_text("Ouvert")
    expect(card).to_contain_text("Montant de mes impayés")
    card.get_by_role("link", name=re.compile("Voir le contrat")).click()
    expect(page.locator("h1")).to_contain_text(contract.product_name)
    expect(page.locator("#calendar tbody tr")).to_have_count(19)  # 24 − the 5 already fallen due
    page.get_by_role("link", name="Toutes", exact=True).click()
    expect(page.locator("#calendar tbody tr")).to_have_count(24)
    expect(page.get_by_role("link", name="Toutes", exact=True)).to_have_attribute("aria-current", "true")
    page.get_by_role("link", name="Passées", exact=True).click()
    expect(page.locator("#calendar tbody tr")).to_have_count(5)
    first_amount = page.locator("#calendar tbody tr").first.locator("td").nth(1).inner_text()

    with page.expect_download() as info:
        page.get_by_role("link", name="Tableau d'amortissement").click()
    path = tmp_path / "table.pdf"
    info.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = re.sub(r"[\s\u00a0\u202f]+", " ", text)
    assert "Tableau d'amortissement" in flat and contract.number in flat
    assert re.sub(r"[\s\u00a0\u202f]+", " ", first_amount) in flat


def test_phone_change_with_the_sms_codes_from_the_outbox(
    live_server, page: Page, customer_with_loan, sms_outbox
):
    user, _contract = customer_with_loan
    old_phone = user.customer.phone
    sign_in(page, live_server.url, user, sms_outbox)
    page.goto(live_server.url + "/espace/profil/")
    page.get_by_label("Nouveau numéro de mobile").fill("06 55 44 33 22")
    page.get_by_role("button", name="Changer mon numéro de mobile").click()
    expect(page.locator("h1")).to_contain_text("Confirmer mon nouveau mobile")
    page.get_by_label("Code reçu sur la nouvelle coordonnée").fill(
        code_in(sms_outbox.last_to("+33655443322")["text"])
    )
    page.get_by_label("Code reçu sur votre mobile actuel").fill(
        code_in(sms_outbox.last_to(old_phone)["text"])
    )
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator(".messages")).to_contain_text("Votre numéro de mobile est modifié.")
    expect(page.locator("#h-contact + dl")).to_contain_text("+33655443322")


def test_pages_fit_a_375px_phone_screen_without_horizontal_scroll(
    live_server, browser, customer_with_loan, sms_outbox, tmp_path
):
    user, contract = customer_with_loan
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server.url, user, sms_outbox)
    for path in (
        "/espace/",
        f"/espace/contrats/{contract.number}/?vue=toutes",
        "/espace/documents/",
        "/espace/profil/",
        "/aide/",
    ):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{path} scrolls horizontally: {width}px"
        name = (path.strip("/").split("?")[0].replace("/", "_") or "root") + ".png"
        shot = page.screenshot(path=str(tmp_path / name), full_page=True)
        assert len(shot) > 1000
    context.close()
