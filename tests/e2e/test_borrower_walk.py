"""What a borrower trips over (issue 16), walked through in a real Chromium, one test per item.

Each test signs in by handing a session cookie to the browser (the sign-in form has its own e2e) and
checks what a person sees on the page.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.signing.demo import prepare_application_awaiting_signature
from tests.factories import make_contract, make_customer, make_staff, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def sign_in_with_cookie(page: Page, base: str, user) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}])


def test_dashboard_lists_the_application_awaiting_signature_under_mes_demandes(live_server, page: Page):
    customer = make_customer()
    user = make_user(customer)
    prepare_application_awaiting_signature(customer=customer, advisor=make_staff(role="advisor"))
    sign_in_with_cookie(page, live_server.url, user)
    page.goto(live_server.url + "/espace/")
    expect(page.locator("section.task")).to_contain_text("Signature du contrat")
    section = page.locator("section[aria-labelledby=applications]")
    expect(section.locator("h2")).to_have_text("Mes demandes")
    expect(section).not_to_contain_text("Aucune demande en cours")
    expect(section.locator("article")).to_have_count(1)
    expect(page.locator(".side-nav")).to_contain_text("Mes demandes (1)")
    expect(page.locator("header nav")).not_to_contain_text("Applications actuelles")


def test_forgotten_password_opens_clean_and_a_french_typed_number_gets_the_code(
    live_server, page: Page, sms_outbox
):
    user = make_user(make_customer(phone="+33612345602"))
    page.goto(live_server.url + "/mot-de-passe/oublie/")
    expect(page.locator("main")).not_to_contain_text("obligatoire")
    expect(page.locator("main")).to_contain_text("06 12 34 56 78")  # an example written the local way
    page.get_by_label("Numéro de téléphone mobile").fill("06 12 34 56 02")
    page.get_by_role("button", name="Recevoir un code").click()
    expect(page.get_by_label("Code de vérification")).to_be_visible()
    assert sms_outbox.last_to(user.customer.phone)


def test_password_change_and_recent_activity_are_reached_from_the_profile(live_server, page: Page):
    user = make_user()
    sign_in_with_cookie(page, live_server.url, user)
    page.goto(live_server.url + "/espace/")
    page.get_by_role("link", name="Mon profil").click()
    labels = page.locator("main label").all_inner_texts()
    assert labels and not [t for t in labels if t.strip().endswith(":")], labels
    link = page.get_by_role("link", name="Changer mon mot de passe")
    expect(link).to_have_attribute("href", "/securite/mot-de-passe/")
    link.click()
    expect(page).to_have_url(re.compile(r"/securite/(mot-de-passe|code)/"))  # a code may be asked first
    page.go_back()
    page.get_by_role("link", name="Activité récente").click()
    expect(page.locator("h1")).to_have_text("Activité récente")


def test_contract_page_leads_to_early_repayment_debit_date_and_a_transfer_that_can_be_stopped(
    live_server, page: Page
):
    user = make_user()
    contract = make_contract(user.customer, amount="6000.00", term_months=24)
    sign_in_with_cookie(page, live_server.url, user)
    page.goto(f"{live_server.url}/espace/contrats/{contract.number}/")
    actions = page.locator("#contract-actions")
    expect(actions.get_by_role("link", name="Remboursement anticipé")).to_be_visible()
    expect(actions.get_by_role("link", name="Changer la date de prélèvement")).to_be_visible()
    actions.get_by_role("link", name="Programmer un versement").click()
    send_to = page.locator("#send-to")
    expect(send_to).to_contain_text("FR7630006000011234567890189")
    expect(send_to).to_contain_text("AGRIFRPP")
    page.get_by_label("Montant").fill("100")
    page.get_by_label("Date").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Programmer").click()
    expect(page.locator(".messages")).to_contain_text("FR7630006000011234567890189")
    row = page.locator("#transfers tbody tr").first
    expect(row).to_contain_text("Actif")
    row.get_by_role("button", name=re.compile("Arrêter")).click()
    expect(page.locator("#transfers tbody tr").first).to_contain_text("Annulé")
    expect(page.locator("#transfers").get_by_role("button", name=re.compile("Arrêter"))).to_have_count(0)


def test_a_credit_simulation_with_an_insurance_and_a_chart_in_years(live_server, page: Page, time_machine):
    from django.conf import settings

    from guichet.catalogue.models import InsuranceOption
    from guichet.catalogue.services import load_tariff

    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=True)  # the shipped tariff is in force
    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    page.goto(live_server.url + "/simulations/credit/")
    page.get_by_label("Produit").select_option("pret-sur-mesure")
    page.get_by_label("Montant").fill("10000")
    page.get_by_label("Durée (mois)").fill("60")
    option = InsuranceOption.objects.filter(
        product__code="pret-sur-mesure", kind="monthly_on_borrowed", heads=1, cover="DC/PTIA/ITT"
    ).order_by("position")[0]
    page.get_by_label("Assurance emprunteur (facultative)").select_option(str(option.pk))
    page.get_by_role("button", name="Simuler").click()
    result = page.locator("#sim-result")
    expect(result.locator('[data-field="insurance_monthly"]')).to_have_text("16,00\xa0€")
    expect(result.locator("svg.chart")).to_contain_text("Années du crédit")


def test_the_payments_calendar_keeps_the_amount_on_a_375px_screen(live_server, page: Page):
    user = make_user()
    make_contract(user.customer, amount="6000.00", term_months=24, start_on=timezone.localdate())
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in_with_cookie(page, live_server.url, user)
    page.goto(live_server.url + "/espace/paiements/")
    calendar = page.locator("section[aria-labelledby=h-cal]")
    wrap = calendar.locator(".table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the calendar scrolls sideways"
    amount = calendar.locator("th.num").bounding_box()
    assert amount["x"] + amount["width"] <= 375
