"""The main journeys with the keyboard alone (issue 16; WCAG 2.1.1 "Keyboard", required by the European
Accessibility Act through EN 301 549): sign in, repay early, sign a contract.

No mouse and no ``fill``/``click``: focus moves with Tab, fields are typed into, buttons and links are
pressed with Enter or Space. ``tab_to`` fails when an element cannot be reached within a page's worth
of Tab presses, which is what a keyboard user would run into.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.credit.dates import add_months
from guichet.signing.demo import prepare_application_awaiting_signature
from guichet.signing.models import SignatureRequest
from tests.e2e.conftest import use_demo_seal_and_private_storage
from tests.factories import (
    DEMO_PASSWORD,
    make_contract,
    make_customer,
    make_staff,
    make_user,
    verify_identity,
)
from tests.integration.payments.conftest import settle_past_installments

pytestmark = pytest.mark.django_db(transaction=True)
MAX_TABS = 80


@pytest.fixture(autouse=True)
def _seal_and_storage(settings, tmp_path):
    use_demo_seal_and_private_storage(settings, tmp_path, organisation="Crédit Démo Clavier")


def _focused(page: Page) -> str:
    """The focused element described as ``tag#id "accessible text"`` (enough to recognise it)."""
    return page.evaluate(
        """() => { const e = document.activeElement; if (!e) return "";
        const text = (e.getAttribute("aria-label") || e.innerText || e.value || "")
          .trim().replace(/\\s+/g, " ");
        return `${e.tagName.toLowerCase()}#${e.id} "${text}"`; }"""
    )


def tab_to(page: Page, pattern: str) -> None:
    """Press Tab until the focused element matches ``pattern`` (a regex on ``_focused``)."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = _focused(page)
        seen.append(now)
        if re.search(pattern, now):
            return
    raise AssertionError(f"{pattern!r} cannot be reached with Tab; focus went through {seen}")


def press_enter_and_wait(page: Page) -> None:
    """Enter on a link or a submit button, then wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def code_in(text: str) -> str:
    match = re.search(r"\b(\d{4,8})\b", text)
    assert match, f"no code in {text!r}"
    return match.group(1)


def _keyboard_sign_in(page: Page, base: str, user, sms_outbox) -> None:
    page.goto(base + "/connexion/")
    tab_to(page, r"#id_email")
    page.keyboard.type(user.email)
    tab_to(page, r"#id_password")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if "/connexion/code/" in page.url:  # an unusual sign-in asks for the SMS code
        tab_to(page, r"^input#")
        page.keyboard.type(code_in(sms_outbox.last_to(user.customer.phone)["text"]))
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "/connexion/" not in page.url, page.url


def test_sign_in_with_the_keyboard_alone(live_server, page: Page, sms_outbox):
    user = make_user()
    _keyboard_sign_in(page, live_server.url, user, sms_outbox)
    page.goto(live_server.url + "/espace/")
    expect(page.locator("h1")).to_contain_text("Bonjour")
    tab_to(page, r"Aller au contenu")  # the skip link is the first stop
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_early_repayment_with_the_keyboard_alone(live_server, page: Page, sms_outbox):
    today = timezone.localdate()
    customer = verify_identity(make_customer(phone="+33611113333"))
    user = make_user(customer)
    loan = make_contract(customer, amount="6000.00", term_months=24, start_on=add_months(today, -6, day=5))
    settle_past_installments(loan, today)
    _keyboard_sign_in(page, live_server.url, user, sms_outbox)
    page.goto(live_server.url + "/espace/")
    tab_to(page, rf"Voir le contrat.*{loan.number}")
    press_enter_and_wait(page)
    expect(page.locator("h1")).to_have_text(loan.product_name)
    tab_to(page, r"^a#.*Remboursement anticipé")  # from the contract page, where a borrower looks
    press_enter_and_wait(page)
    page.wait_for_url(re.compile(r"/remboursement-anticipe/"))
    tab_to(page, r"input#on")
    on = today + timedelta(days=3)
    # The date field's segments come in the order of the browser's own language (a person knows theirs).
    for order in ("%d%m%Y", "%m%d%Y"):
        page.keyboard.type(on.strftime(order))
        if page.locator("#on").input_value() == on.isoformat():
            break
        for key in ("Backspace", "Shift+Tab", "Backspace", "Shift+Tab", "Backspace"):  # clear the segments
            page.keyboard.press(key)
    expect(page.locator("#on")).to_have_value(on.isoformat())
    tab_to(page, r"button#.*Calculer")
    press_enter_and_wait(page)
    expect(page.locator("#quote")).to_contain_text("Total à payer")
    tab_to(page, r"button#.*(code|Code)")
    press_enter_and_wait(page)
    tab_to(page, r"input#code")
    page.keyboard.type(code_in(sms_outbox.last_to(customer.phone)["text"]))
    tab_to(page, r"button#.*Confirmer")
    press_enter_and_wait(page)
    expect(page.locator("#transfer-reference")).to_be_visible()


def test_signature_with_the_keyboard_alone(live_server, page: Page, sms_outbox):
    customer = make_customer(phone="+687751297")
    user = make_user(customer)
    sig = prepare_application_awaiting_signature(customer=customer, advisor=make_staff(role="advisor"))
    _keyboard_sign_in(page, live_server.url, user, sms_outbox)
    page.goto(live_server.url + "/espace/")
    tab_to(page, r"Continuer.*Signature du contrat")
    press_enter_and_wait(page)
    page.wait_for_url(re.compile(r"/espace/signature/"))
    tab_to(page, r"button#confirm-contact")  # seed 003, step 1: « Je confirme » my email and mobile
    press_enter_and_wait(page)
    tab_to(page, r"#sign-doc")  # the document scrolls with the keyboard once focused
    total = sig.page_count
    for _ in range(total * 8):
        if (
            page.locator("#page-counter").inner_text() == f"{total}/{total}"
            and page.locator("#consent").is_enabled()
        ):
            break
        page.keyboard.press("PageDown")
        page.wait_for_timeout(40)
    page.keyboard.press("End")
    expect(page.locator("#consent")).to_be_enabled()
    tab_to(page, r"input#consent")
    page.keyboard.press("Space")
    expect(page.locator("#consent")).to_be_checked()
    tab_to(page, r"button#get-code")
    press_enter_and_wait(page)
    # Seed 003: the code goes "dans les cases prévues à cet effet": one input drawn as one box a digit.
    expect(page.locator("#code")).to_have_class(re.compile(r"\bcode-boxes-6\b"))
    assert page.locator("#code").evaluate("e => getComputedStyle(e).backgroundImage").count("gradient") == 3
    tab_to(page, r"input#code")
    page.keyboard.type(code_in(sms_outbox.last_to(customer.phone)["text"]))
    tab_to(page, r"button#sign-button")
    press_enter_and_wait(page)
    expect(page.get_by_text("Vous avez signé ce contrat")).to_be_visible()
    sig.refresh_from_db()
    assert sig.status == SignatureRequest.Status.SIGNED
