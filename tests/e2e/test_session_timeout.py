"""The inactivity dialog in a real Chromium (issue 4: "warning dialog a minute before"; DESIGN.md:
15 minutes, 5 on payment and signature pages), with the lender profile's limits shortened to seconds
so the test runs in real time: the dialog appears before the limit, "Rester connecté" keeps the
session, and without an answer the session ends on the login page with the reason."""

from __future__ import annotations

import dataclasses
import functools
import re

import pytest
from playwright.sync_api import Page, expect

from guichet.lenders import profile as profile_module
from tests.factories import make_contract, make_user

from .test_space_customer import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
IDLE_SECONDS = 8  # the dialog shows halfway (4 s) for limits under two minutes
SENSITIVE_SECONDS = 6


@pytest.fixture
def short_limits(monkeypatch, settings):
    """The cached lender profile with second-scale limits (same process as the live server thread)."""
    real = profile_module._profile_for(settings.GUICHET_LENDER)
    security = dataclasses.replace(
        real.security,
        inactivity_minutes=IDLE_SECONDS / 60,
        sensitive_inactivity_minutes=SENSITIVE_SECONDS / 60,
    )
    patched = dataclasses.replace(real, security=security)
    monkeypatch.setattr(profile_module, "_profile_for", functools.lru_cache(lambda code: patched))
    return patched


def test_dialog_warns_before_the_limit_and_stay_signed_in_keeps_the_session(
    live_server, page: Page, short_limits, sms_outbox
):
    user = make_user()
    sign_in(page, live_server.url, user, sms_outbox)
    dialog = page.locator("#session-timeout-dialog")
    expect(page.locator("#session-timeout")).to_have_attribute("data-idle-seconds", str(IDLE_SECONDS))
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=IDLE_SECONDS * 1000)
    expect(dialog).to_contain_text("Vous êtes toujours là ?")
    with page.expect_response(re.compile(r"/session/prolonger/")) as answer:
        dialog.get_by_role("button", name="Rester connecté").click()
    assert answer.value.status == 204
    expect(dialog).to_be_hidden()
    page.goto(live_server.url + "/espace/")  # still signed in after the keep-alive
    expect(page.locator("h1")).to_contain_text("Bonjour")


def test_without_an_answer_the_session_ends_and_the_login_page_says_why(
    live_server, page: Page, short_limits, sms_outbox
):
    user = make_user()
    sign_in(page, live_server.url, user, sms_outbox)
    expect(page.locator("#session-timeout-dialog")).to_be_visible(timeout=IDLE_SECONDS * 1000)
    page.wait_for_url(re.compile(r"/connexion/"), timeout=(IDLE_SECONDS + 6) * 1000)
    expect(page.locator(".messages")).to_contain_text("Vous avez été déconnecté")
    page.goto(live_server.url + "/espace/")
    assert "/connexion/" in page.url  # the server ended the session, not just the page


def test_payment_page_counts_down_the_shorter_limit(live_server, page: Page, short_limits, sms_outbox):
    user = make_user()
    loan = make_contract(user.customer, amount="5000.00", term_months=24)
    sign_in(page, live_server.url, user, sms_outbox)
    page.goto(f"{live_server.url}/espace/contrats/{loan.number}/date-de-prelevement/")
    if "/date-de-prelevement/" not in page.url:
        pytest.skip("the debit-date page asks for an identity check first")
    box = page.locator("#session-timeout")
    expect(box).to_have_attribute("data-idle-seconds", str(SENSITIVE_SECONDS))
    page.wait_for_url(re.compile(r"/connexion/"), timeout=(SENSITIVE_SECONDS + 6) * 1000)
    expect(page.locator(".messages")).to_contain_text("Vous avez été déconnecté")


def test_sign_out_from_the_dialog_ends_the_session(live_server, page: Page, short_limits, sms_outbox):
    user = make_user()
    sign_in(page, live_server.url, user, sms_outbox)
    dialog = page.locator("#session-timeout-dialog")
    expect(dialog).to_be_visible(timeout=IDLE_SECONDS * 1000)
    dialog.get_by_role("button", name="Me déconnecter").click()
    page.wait_for_url(re.compile(r"/connexion/"))
    expect(page.locator(".messages")).to_contain_text("Vous êtes déconnecté")
