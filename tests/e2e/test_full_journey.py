"""Issue 6's whole journey in Chromium, across three browser contexts (advisor, customer, supervisor).

Advisor signs in (TOTP) → invites a new customer (8-character code read from the real SMTP server)
→ the customer activates and sets a password → uploads an ID (PDF) and a proof of address (PNG)
→ the advisor approves them in the review queue → creates an application from a catalogue product
and requests the signature → the customer sees "⚠ Une tâche vous attend", scrolls the whole contract
(page n/N), ticks the consent, types the SMS code from the outbox and signs → eight days later
(L312-25: no funds during the seven days after acceptance) a supervisor confirms the financing →
the customer's dashboard shows the contract, "Mes documents" holds the sealed contract and its
evidence file; the downloaded contract verifies, the same file with one byte flipped does not.

Time: the journey runs under time-machine (``travel`` patches the clock process-wide, so the
live server's thread sees it too) and never reads the real clock: it starts on Monday 23 November
2026 at 10:00 in Nouméa (CCD2 in force, a usury ceiling recorded for the quarter, an hour the
sign-in risk rules find usual), and ``shift`` moves everyone eight days on before financing; no
date is written through the ORM. The demo seal is made at that instant too, so its certificate is
valid for the whole journey whatever today's date (issue 9).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from guichet.backoffice import totp
from guichet.backoffice.models import StaffProfile
from guichet.documents.sealing import verify_pdf
from tests.e2e.conftest import use_demo_seal_and_private_storage
from tests.factories import DEMO_PASSWORD, make_staff
from tests.integration.backoffice.helpers import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

ADVISOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA"
SUPERVISOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB"
NEW_PASSWORD = "Parcours-Complet-2026!"
EMAIL = "mele.parcours@example.nc"
PHONE = "+687751277"
NOUMEA = ZoneInfo("Pacific/Noumea")
# Q4 2026 has a usury ceiling (data/usury/ceilings.toml) and financing, eight days on, stays in it.
JOURNEY_START = datetime(2026, 11, 23, 10, 0, tzinfo=NOUMEA)


@pytest.fixture(autouse=True)
def _nc_lender_with_tariff_and_seal(settings, tmp_path):
    """The New Caledonian lender of seed 003, its own XPF tariff, a demo seal and private storage."""
    from guichet.catalogue.services import load_tariff

    settings.GUICHET_LENDER = "nc"
    with time_machine.travel(JOURNEY_START):  # the certificate is valid from the journey's start on
        use_demo_seal_and_private_storage(settings, tmp_path, organisation="Crédit Démo Parcours")
    settings.MEDIA_ROOT = tmp_path / "private"
    load_tariff(path=settings.DATA_DIR / "tariffs" / "nc-2022-01-01.toml")  # the NC lender's own sheet


def staff_with_totp(role: str, secret: str):  # type: ignore[no-untyped-def]
    user = make_staff(role=role)
    StaffProfile.objects.create(user=user, totp_secret=secret, totp_confirmed_at=timezone.now())
    return user


def staff_sign_in(page: Page, base: str, email: str, secret: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base + "/backoffice/login/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Continuer").click()
    page.locator("#id_code").fill(totp.totp(secret))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("h1")).to_have_text("Back-office")


def invite_new_customer(page: Page) -> None:
    page.get_by_role("link", name="Nouveau client et invitation").click()
    for field, value in {
        "first_name": "Mélé",
        "last_name": "Parcours",
        "birth_date": "1990-05-06",
        "email": EMAIL,
        "phone": PHONE,
    }.items():
        page.locator(f"#id_{field}").fill(value)
    page.get_by_role("button", name="Créer et inviter").click()
    expect(page.locator(".msg-success")).to_contain_text("Invitation envoyée")


def invitation_from(text: str) -> tuple[str, str]:
    """(link, 8-character code) of the invitation email."""
    link = re.search(r"https?://\S+/invitation/\S+/", text)
    code = re.search(r"^\s{4}([A-Z2-9]{8})\s*$", text, re.M)
    assert link and code, f"no link or code in the invitation: {text!r}"
    return link.group(0), code.group(1)


def activate(page: Page, link: str, code: str, base: str) -> None:
    page.goto(re.sub(r"^https?://[^/]+", base, link))
    page.locator("input[name=code]").fill(code)
    page.get_by_role("button", name="Vérifier").click()
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    page.locator("input[name=confirm]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r"/espace/"))


def upload_identity_documents(page: Page, base: str) -> None:
    page.goto(base + "/justificatifs/")
    expect(page.get_by_test_id("kyc-status")).to_have_text("À fournir")
    page.locator("#id_identity").set_input_files(
        files=[{"name": "piece-identite.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.locator("#id_address").set_input_files(
        files=[{"name": "facture-opt.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_role("button", name="Envoyer mes justificatifs").click()
    expect(page.get_by_test_id("kyc-status")).to_have_text("En cours d'examen")


def approve_in_queue(page: Page, base: str, name: str) -> None:
    page.goto(base + "/backoffice/kyc/")
    page.get_by_role("row", name=re.compile(name)).get_by_role("link", name="Examiner").click()
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".msg-success")).to_contain_text("Justificatifs validés")


def create_application_and_request_signature(
    page: Page, base: str, name: str, *, product: str, amount: str, term: str
) -> None:
    page.goto(base + "/backoffice/search/?q=" + name.split()[-1])
    page.get_by_role("link", name=name).click()
    page.get_by_role("link", name="Nouvelle demande de crédit").click()
    page.locator("#id_product").select_option(label=product)
    page.locator("#id_amount").fill(amount)
    page.locator("#id_term_months").fill(term)
    page.get_by_role("button", name="Préparer la demande").click()
    expect(page.locator(".msg-success")).to_contain_text("Demande préparée")
    # Creditworthiness (L312-16): declared figures checked on documents, before any signature.
    page.locator("#id_monthly_income").fill("400000")  # in the lender's currency (XPF here)
    page.locator("#id_monthly_charges").fill("60000")
    page.locator("#id_evidence").fill("Bulletins de salaire des trois derniers mois")
    page.get_by_role("button", name="Évaluer la solvabilité").click()
    expect(page.locator(".msg-success")).to_contain_text("Décision automatisée : favorable")
    page.get_by_role("button", name="Demander la signature").click()
    expect(page.locator(".msg-success")).to_contain_text("Signature demandée")


def scroll_document_to_end(page: Page) -> None:
    total = int(page.locator("#sign-doc").get_attribute("data-pages") or "1")
    expect(page.locator("#page-counter")).to_have_text(f"1/{total}")
    for _step in range(200):
        at_end = page.locator("#sign-doc").evaluate(
            "el => { el.scrollTop += el.clientHeight * 0.8;"
            " return el.scrollTop + el.clientHeight >= el.scrollHeight - 2; }"
        )
        page.wait_for_timeout(50)
        if at_end:
            break
    expect(page.locator("#page-counter")).to_have_text(f"{total}/{total}")


def sign_from_task(page: Page, base: str, sms_code) -> None:  # type: ignore[no-untyped-def]
    """Dashboard task → Continuer → « Je confirme » (email, mobile) → scroll → consent → SMS code → Signer
    (``sms_code()`` reads the SMS)."""
    page.goto(base + "/espace/")
    task = page.locator("section.task")
    expect(task).to_contain_text("Une tâche vous attend")
    task.get_by_role("link", name=re.compile("Continuer.*Signature du contrat")).click()
    page.wait_for_url(re.compile(r"/espace/signature/"))
    page.get_by_role("button", name="Je confirme").click()  # seed 003, step 1: email and mobile
    expect(page.locator("#consent")).to_be_disabled()
    scroll_document_to_end(page)
    expect(page.locator("#consent")).to_be_enabled()
    page.locator("#consent").check()
    page.get_by_role("button", name="Recevoir le code par SMS").click()
    expect(page.locator("label[for=code]")).to_contain_text("•• ••")
    page.locator("#code").fill(sms_code())
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("Vous avez signé ce contrat")).to_be_visible()


def confirm_financing(page: Page, base: str, name: str) -> str:
    """Supervisor: the application of ``name`` → "Confirmer le financement"; returns the contract number."""
    page.goto(base + "/backoffice/applications/")
    page.get_by_role("row", name=re.compile(name)).get_by_role("link", name=name).click()
    page.get_by_role("button", name="Confirmer le financement").click()
    done = page.locator(".msg-success")
    expect(done).to_contain_text("Financement confirmé")
    return re.search(r"n° (\d+)", done.inner_text()).group(1)


def customer_sign_in(page: Page, base: str, email: str, password: str, sms_code) -> None:  # type: ignore[no-untyped-def]
    """The customer login; an unusual sign-in asks for an SMS code, read with ``sms_code()``."""
    page.goto(base + "/connexion/")
    page.get_by_label("Adresse email").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/(espace|connexion/code)/"))
    if "/connexion/code/" in page.url:
        page.locator("input[name=code]").fill(sms_code())
        page.get_by_role("button", name="Vérifier").click()
        page.wait_for_url(re.compile(r"/espace/"))


def download_signed_contract(page: Page, base: str) -> bytes:
    page.goto(base + "/espace/documents/")
    item = page.locator("li.doc").filter(has_text="Contrat signé")
    expect(item).to_have_count(1)
    href = item.locator("a.dl").get_attribute("href")
    response = page.request.get(base + href)
    assert response.ok, response.status
    return response.body()


def flip_one_byte(pdf: bytes) -> bytes:
    """One bit changed inside the signed byte range (the first third of the file is always covered)."""
    out = bytearray(pdf)
    out[len(out) // 3] ^= 0x01
    return bytes(out)


def _new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(locale="fr-FR", timezone_id="Pacific/Noumea")
    return context, context.new_page()


def test_full_journey_from_invitation_to_financed_contract_with_a_verifiable_seal(
    live_server, browser: Browser, mailbox, sms_outbox
) -> None:
    base = live_server.url
    name = "Mélé Parcours"
    code_by_sms = lambda: re.search(r"\b(\d{4,8})\b", sms_outbox.last_to(PHONE)["text"]).group(1)  # noqa: E731
    with time_machine.travel(JOURNEY_START, tick=True) as traveller:
        advisor = staff_with_totp("advisor", ADVISOR_SECRET)
        supervisor = staff_with_totp("supervisor", SUPERVISOR_SECRET)
        staff_ctx, staff = _new_page(browser)
        customer_ctx, customer = _new_page(browser)
        staff_sign_in(staff, base, advisor.email, ADVISOR_SECRET)
        invite_new_customer(staff)

        link, code = invitation_from(mailbox.text(mailbox.last_to(EMAIL)))
        activate(customer, link, code, base)
        upload_identity_documents(customer, base)
        approve_in_queue(staff, base, name)
        customer.reload()
        expect(customer.get_by_test_id("kyc-status")).to_have_text("Validé")

        create_application_and_request_signature(
            staff, base, name, product="Prêt personnel", amount="500000", term="36"
        )
        sign_from_task(customer, base, code_by_sms)

        traveller.shift(timedelta(days=8))  # L312-25: financing possible from the eighth day
        supervisor_ctx, boss = _new_page(browser)
        staff_sign_in(boss, base, supervisor.email, SUPERVISOR_SECRET)
        number = confirm_financing(boss, base, name)

        customer.goto(base + "/espace/")
        if "/connexion/" in customer.url:  # eight days later the customer's session has long expired
            customer_sign_in(customer, base, EMAIL, NEW_PASSWORD, code_by_sms)
        expect(customer.locator(f"#c-{number}")).to_be_visible()
        expect(customer.locator("main")).to_contain_text(f"n° {number}")

        customer.goto(base + "/espace/documents/")
        expect(customer.locator("main")).to_contain_text("Fichier de preuve")
        signed = download_signed_contract(customer, base)
        check = verify_pdf(signed)
        assert check.intact and check.valid, check.message

        customer.goto(base + "/espace/verifier-signature/")
        tampered = {"name": "modifie.pdf", "mimeType": "application/pdf", "buffer": flip_one_byte(signed)}
        customer.locator("#pdf").set_input_files(files=[tampered])
        customer.get_by_role("button", name="Vérifier").click()
        expect(customer.locator("#verify-result")).to_contain_text("Signature non valide")
        assert not verify_pdf(flip_one_byte(signed)).valid
        for context in (staff_ctx, customer_ctx, supervisor_ctx):
            context.close()
