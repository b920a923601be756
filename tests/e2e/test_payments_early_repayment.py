"""In Chromium: quote an early repayment, confirm it with the SMS code from the outbox, post the transfer
through the back-office service, and see the contract closed; the public simulation page updates live."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.credit.dates import add_months
from guichet.loans.models import Contract
from guichet.payments.models import PaymentInstruction
from guichet.payments.services import post_received_payment
from tests.factories import make_contract, make_customer, make_user, verify_identity
from tests.integration.payments.conftest import settle_past_installments

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page: Page, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}])


def test_total_early_repayment_quote_confirm_and_posting(
    live_server, page: Page, sms_outbox, time_machine
) -> None:
    # A fixed day, clock ticking (the live server runs in this process): the repayment date, three
    # days later, is then never an installment's due day (that case is the payoff quote's own test).
    time_machine.move_to(datetime(2026, 12, 15, 9, 0, tzinfo=UTC), tick=True)
    today = timezone.localdate()
    customer = verify_identity(make_customer(phone="+33611112222"))  # early repayment needs the KYC
    user = make_user(customer)
    loan = make_contract(customer, amount="6000.00", term_months=24, start_on=add_months(today, -6, day=5))
    settle_past_installments(loan, today)
    _sign_in(page, live_server.url, user)
    on = (today + timedelta(days=3)).isoformat()
    page.goto(f"{live_server.url}/espace/contrats/{loan.number}/remboursement-anticipe/")
    page.fill("#on", on)
    page.click("#early-form button[type=submit]")
    expect(page.locator("#quote")).to_contain_text("Total à payer")
    page.click("button[value=send_code]")
    text = sms_outbox.last_to(customer.phone)["text"]
    code = re.search(r"\b(\d{4,8})\b", text).group(1)
    page.fill("#code", code)
    page.click("button[value=confirm]")
    reference = page.locator("#transfer-reference").inner_text().strip()
    instr = PaymentInstruction.objects.get(reference=reference)
    post_received_payment(reference=reference, amount=instr.amount)  # the demo back office's command
    loan.refresh_from_db()
    assert loan.status == Contract.Status.CLOSED
    page.goto(f"{live_server.url}/espace/contrats/{loan.number}/")
    expect(page.locator("body")).to_contain_text("Soldé")


def test_credit_simulation_page_shows_results_in_chromium(live_server, page: Page) -> None:
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/simulations/credit/?product=pret-sur-mesure&amount=10000&term=60")
    expect(page.locator("#sim-result")).to_contain_text("Exemple représentatif")
    page.fill("#term", "48")
    expect(page.locator("#sim-result")).to_contain_text("48 mois")
