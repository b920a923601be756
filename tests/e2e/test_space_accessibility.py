"""Accessibility (issue 16): axe-core finds no violation, of any impact, on every customer and
back-office page, in French and in English, on a 375 px screen.

Consumer credit falls under the European Accessibility Act since 28 June 2025 (Directive (EU)
2019/882, transposed by loi n° 2023-171; WCAG 2.1 AA through EN 301 549). One test per language
visits the pages in a loop with one browser context per person, so the sweep stays a few seconds a page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from guichet.backoffice import totp
from guichet.backoffice.models import StaffProfile
from guichet.credit.dates import add_months
from guichet.signing.demo import prepare_application_awaiting_signature
from tests.e2e.conftest import use_demo_seal_and_private_storage
from tests.factories import (
    DEMO_PASSWORD,
    make_contract,
    make_customer,
    make_staff,
    make_user,
    verify_identity,
)

pytestmark = pytest.mark.django_db(transaction=True)
PHONE_WIDTH = 375
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA"


@pytest.fixture(autouse=True)
def _seal_and_storage(settings, tmp_path):
    use_demo_seal_and_private_storage(settings, tmp_path, organisation="Crédit Démo Axe")


def _session_cookie(user, base: str) -> dict[str, str]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base,
    }


def _context(browser: Browser, base: str, language: str, *cookies: dict[str, str]):
    # The CSP forbids injected scripts; axe is injected by the test, so the context bypasses it.
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 800}, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": base}, *cookies])
    return context


def _violations(page: Page, axe: Axe, base: str, paths: list[str]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        found = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in axe.run(page).response["violations"]
        ]
        if found:
            problems[path] = found
    return problems


def _world():
    """A borrower with a loan, documents, a message, a complaint and identity documents to send; a
    second one with a contract to sign; staff with a second factor."""
    from guichet.documents.services import deliver_document
    from guichet.support.services import file_complaint, start_thread

    user = make_user()
    verify_identity(user.customer)
    start = add_months(timezone.localdate(), -5)
    loan = make_contract(user.customer, amount="6000.00", term_months=24, start_on=start)
    deliver_document(
        customer=user.customer, kind="statement", title="Relevé", pdf=b"%PDF-1.4\n%%EOF\n", notify=False
    )
    thread = start_thread(customer=user.customer, author=user, subject="Mon RIB", body="Comment le changer ?")
    file_complaint(customer=user.customer, subject="Frais", body="Je conteste des frais.", contract=loan)
    advisor = make_staff(role="supervisor")
    StaffProfile.objects.create(user=advisor, totp_secret=SECRET, totp_confirmed_at=timezone.now())
    signer = make_user(make_customer(phone="+33612345699"))
    sig = prepare_application_awaiting_signature(customer=signer.customer, advisor=advisor)
    newcomer = make_user()  # identity documents still to send: the KYC page in its first state
    return user, loan, thread, advisor, signer, sig, newcomer


def _customer_paths(loan, thread) -> list[str]:
    n = loan.number
    return [
        "/espace/",
        "/espace/contrats/",
        f"/espace/contrats/{n}/",
        f"/espace/contrats/{n}/?vue=toutes",
        "/espace/paiements/",
        f"/espace/contrats/{n}/remboursement-anticipe/",
        f"/espace/contrats/{n}/remboursement-anticipe/?on={(timezone.localdate()).isoformat()}",
        f"/espace/contrats/{n}/date-de-prelevement/",
        f"/espace/contrats/{n}/coordonnees-bancaires/",
        f"/espace/contrats/{n}/versements/",
        "/espace/documents/",
        "/espace/profil/",
        "/espace/demandes/",
        "/espace/verifier-signature/",
        "/messages/",
        f"/messages/{thread.pk}/",
        "/reclamations/",
        "/securite/activite/",
        "/securite/mot-de-passe/",
        "/justificatifs/",
        "/simulations/",
        "/simulations/credit/",
        f"/simulations/regroupement/?term=60&contracts={n}",
        "/aide/",
    ]


PUBLIC_PATHS = [
    "/",
    "/connexion/",
    "/mot-de-passe/oublie/",
    "/inscription/",
    "/email-perdu/",
    "/simulations/",
    "/simulations/credit/",
    "/simulations/regroupement/",
    "/aide/",
    "/backoffice/login/",
]


def _backoffice_paths(customer, thread) -> list[str]:
    from guichet.signing.models import Application
    from guichet.support.models import Complaint

    application = Application.objects.order_by("pk").first()
    complaint = Complaint.objects.order_by("pk").first()
    return [
        "/backoffice/",
        "/backoffice/customers/new/",
        f"/backoffice/customers/{customer.pk}/",
        f"/backoffice/customers/{customer.pk}/applications/new/",
        "/backoffice/applications/",
        f"/backoffice/applications/{application.pk}/",
        "/backoffice/kyc/",
        "/backoffice/collections/",
        "/backoffice/complaints/",
        f"/backoffice/complaints/{complaint.pk}/",
        "/backoffice/messages/",
        f"/backoffice/messages/{thread.pk}/",
        f"/backoffice/messages/new/{customer.pk}/",
        "/backoffice/search/?q=Martin",
        "/backoffice/signatures/verifier/",
        "/backoffice/operations/",
    ]


def _staff_sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/backoffice/login/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator("#id_code").fill(totp.totp(SECRET))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/backoffice/")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_customer_and_back_office_page_has_no_axe_violation(live_server, browser, language, sms_outbox):
    user, loan, thread, advisor, signer, sig, newcomer = _world()
    base, axe, problems = live_server.url, Axe(), {}
    visits = [
        ((), PUBLIC_PATHS),
        ((_session_cookie(user, base),), _customer_paths(loan, thread)),
        (
            (_session_cookie(signer, base),),
            ["/espace/", f"/espace/signature/{sig.public_id}/", "/espace/demandes/"],
        ),
        ((_session_cookie(newcomer, base),), ["/espace/", "/justificatifs/"]),
    ]
    for cookies, paths in visits:
        context = _context(browser, base, language, *cookies)
        problems.update(_violations(context.new_page(), axe, base, paths))
        context.close()
    # The signing page after step 1 (« Je confirme » my email and mobile): the document and its steps.
    from guichet.signing import services as signing
    from guichet.signing.journal import Client as SigningClient

    signing.confirm_contact_details(signature_request=sig, customer=signer.customer, client=SigningClient())
    context = _context(browser, base, language, _session_cookie(signer, base))
    signed_page = _violations(context.new_page(), axe, base, [f"/espace/signature/{sig.public_id}/"])
    problems.update({f"{path} (document)": found for path, found in signed_page.items()})
    context.close()
    context = _context(browser, base, language)
    page = context.new_page()
    _staff_sign_in(page, base, advisor.email)
    problems.update(_violations(page, axe, base, _backoffice_paths(user.customer, thread)))
    context.close()
    assert not problems, problems


def _revolving_world():
    """Camille's Accessio line (seed 004's tariff) with two drawdowns, a statement delivered to her
    documents and a card with a payment in Swiss francs: every revolving page has something to show."""
    from decimal import Decimal

    from django.conf import settings

    from guichet.cards.models import Card
    from guichet.cards.services import present_operation
    from guichet.catalogue.services import load_tariff
    from guichet.credit import EUR, Money
    from guichet.documents.statements import deliver_statements
    from guichet.loans.services.revolving import close_revolving_statements, draw_revolving, open_revolving

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    customer = verify_identity(make_customer(phone="+33611113399"))
    user = make_user(customer)
    line = open_revolving(product_code="accessio-confort", limit=Money.of("5000", EUR),
                          start_on=date(2026, 1, 2), customers=[customer], debit_day=5, insured=True,
                          bank_account_masked="FR76 **** 0189")  # fmt: skip
    draw_revolving(contract=line, amount=Money.of("1000", EUR), on=date(2026, 1, 3), key="axe-d0")
    close_revolving_statements(contracts=[line], on=date(2026, 2, 5))
    deliver_statements(on=date(2026, 2, 5))
    card = Card.objects.create(contract=line, holder=customer, reference=f"AXE-{line.number}",
                               masked_number="4970 **** **** 2841", requested_on=line.start_on,
                               fx_notice=Card.Notice.EMAIL)  # fmt: skip
    present_operation(card_reference=card.reference, external_id="axe-1", kind="payment",
                      on=date(2026, 2, 20), amount_minor=8500, currency_code="CHF",
                      ecb_rate=Decimal("0.9350"), merchant="Gare de Genève")  # fmt: skip
    present_operation(card_reference=card.reference, external_id="axe-2", kind="payment",
                      on=date(2026, 2, 21), amount_minor=45000, merchant="Meubles Partenaire",
                      split_product="cofidis-pay-3-24x", split_installments=10)  # fmt: skip
    return user, line


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_revolving_page_has_no_axe_violation(live_server, browser, language, sms_outbox):
    """The line, a drawdown (form and quote), the line's management, the card page « Ma carte », the
    statements in « Mes documents » (issue 16: they were checked by hand, outside this loop)."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=True):
        user, line = _revolving_world()
        base, axe = live_server.url, Axe()
        n = line.number
        paths = [
            "/espace/",
            "/espace/contrats/",
            f"/espace/contrats/{n}/",
            f"/espace/contrats/{n}/?vue=toutes",
            f"/espace/contrats/{n}/utilisation/",
            f"/espace/contrats/{n}/utilisation/?amount=750",
            f"/espace/contrats/{n}/credit-renouvelable/",
            f"/espace/contrats/{n}/carte/",
            f"/espace/contrats/{n}/carte/?card={line.cards.get().pk}&kind=opposition&reason=loss",
            "/espace/paiements/",
            "/espace/documents/",
        ]
        context = _context(browser, base, language, _session_cookie(user, base))
        page = context.new_page()
        problems = _violations(page, axe, base, paths)
        page.goto(f"{base}/espace/documents/")
        expect(page.locator("main")).to_contain_text("05/02/2026")  # the statement is in the list checked
        context.close()
    assert not problems, problems


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_no_mobile_reset_page_and_the_record_mobile_form_have_no_axe_violation(
    live_server, browser, language
):
    """Issue 16: the reset page that sends a customer without a mobile to the agency, and the back-office
    customer page with its « Enregistrer le mobile » form open (no mobile on file)."""
    from datetime import timedelta

    from guichet.customers.links import issue_link
    from guichet.customers.models import AccessLink

    user = make_user(make_customer(phone=""))
    token = issue_link(kind=AccessLink.Kind.RESET, user=user, lifetime=timedelta(minutes=30))
    advisor = make_staff(role="advisor")
    StaffProfile.objects.create(user=advisor, totp_secret=SECRET, totp_confirmed_at=timezone.now())
    base, axe = live_server.url, Axe()
    context = _context(browser, base, language)
    page = context.new_page()
    problems = _violations(page, axe, base, [f"/mot-de-passe/reinitialiser/{token}/"])
    expect(page.locator("#no-mobile")).to_be_visible()
    _staff_sign_in(page, base, advisor.email)
    problems.update(_violations(page, axe, base, [f"/backoffice/customers/{user.customer.pk}/"]))
    expect(page.locator("#record-mobile form")).to_be_visible()
    context.close()
    assert not problems, problems
