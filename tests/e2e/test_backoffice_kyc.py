"""The back office in a real Chromium: an advisor signs in with TOTP and invites a customer; the customer
activates the space from the emailed link and code and uploads identity documents; the advisor approves
them and the customer sees the approval. (The signing part of the journey is chained by the lead.)"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from guichet.backoffice import totp
from guichet.backoffice.models import StaffProfile
from guichet.onboarding.kyc import identity_verified
from tests.factories import DEMO_PASSWORD, make_staff
from tests.integration.backoffice.helpers import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA"
NEW_PASSWORD = "Invite-Chromium-2026!"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def staff_sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/backoffice/login/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    page.locator("#id_code").fill(totp.totp(SECRET))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_have_text("Back-office")


def test_advisor_invites_customer_uploads_documents_and_advisor_approves(
    live_server, page: Page, browser: Browser, mailbox
) -> None:
    base = live_server.url
    advisor = make_staff()
    StaffProfile.objects.create(user=advisor, totp_secret=SECRET, totp_confirmed_at=timezone.now())
    staff_sign_in(page, base, advisor.email)

    page.get_by_role("link", name="Nouveau client et invitation").click()
    for field, value in {
        "first_name": "Léa",
        "last_name": "Invitée",
        "birth_date": "1991-03-04",
        "email": "lea.invitee@example.test",
        "phone": "+33612349876",
    }.items():
        page.locator(f"#id_{field}").fill(value)
    page.get_by_role("button", name="Créer et inviter").click()
    expect(page.locator(".msg-success")).to_contain_text("Invitation envoyée")

    text = mailbox.text(mailbox.last_to("lea.invitee@example.test"))
    link = re.search(r"https?://\S+/invitation/\S+/", text).group(0)
    code = re.search(r"^\s{4}(\S{8})\s*$", text, re.M).group(1)

    customer_page = browser.new_context(locale="fr-FR").new_page()
    customer_page.goto(link)
    customer_page.locator("input[name=code]").fill(code)
    customer_page.get_by_role("button", name="Vérifier").click()
    customer_page.locator("input[name=password]").fill(NEW_PASSWORD)
    customer_page.locator("input[name=confirm]").fill(NEW_PASSWORD)
    customer_page.get_by_role("button", name="Enregistrer").click()

    customer_page.goto(base + "/justificatifs/")
    expect(customer_page.get_by_test_id("kyc-status")).to_have_text("À fournir")
    customer_page.locator("#id_identity").set_input_files(
        files=[{"name": "cni.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    customer_page.locator("#id_address").set_input_files(
        files=[{"name": "facture.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    customer_page.get_by_role("button", name="Envoyer mes justificatifs").click()
    expect(customer_page.get_by_test_id("kyc-status")).to_have_text("En cours d'examen")
    expect(customer_page.locator("main")).to_contain_text("généralement sous 24 à 72 h")

    page.goto(base + "/backoffice/kyc/")
    page.get_by_role("row", name=re.compile("Léa Invitée")).get_by_role("link", name="Examiner").click()
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".msg-success")).to_contain_text("Justificatifs validés")

    customer_page.reload()
    expect(customer_page.get_by_test_id("kyc-status")).to_have_text("Validé")
    from guichet.customers.models import Customer

    assert identity_verified(Customer.objects.get(email="lea.invitee@example.test"))
    assert "validés" in mailbox.last_to("lea.invitee@example.test")["Subject"]
