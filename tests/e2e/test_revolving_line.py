"""In Chromium: Camille asks for a drawdown on her revolving line, confirms it with the SMS code bound to
the amount, sees the amount used go up; the statement drawn up on the debit day reaches "Mes documents"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from guichet.credit import EUR, Money
from guichet.documents.statements import deliver_statements
from guichet.loans.services.revolving import close_revolving_statements, draw_revolving, open_revolving
from tests.factories import make_customer, make_user, verify_identity

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page: Page, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}])


def test_drawdown_with_its_sms_code_then_the_statement_in_the_inbox(
    live_server, page: Page, sms_outbox
) -> None:
    from guichet.catalogue.services import load_tariff

    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=True) as clock:
        load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
        customer = verify_identity(make_customer(phone="+33611113333"))
        user = make_user(customer)
        line = open_revolving(product_code="accessio-confort", limit=Money.of("5000", EUR),
                              start_on=date(2026, 1, 2), customers=[customer], debit_day=5, insured=True,
                              bank_account_masked="FR76 **** 0189")  # fmt: skip
        draw_revolving(contract=line, amount=Money.of("1000", EUR), on=date(2026, 1, 3), key="e2e-d0")
        _sign_in(page, live_server.url, user)
        page.goto(f"{live_server.url}/espace/contrats/{line.number}/")
        page.click("#drawdown")
        page.fill("#amount", "750")
        page.click("form[method=get] button[type=submit]")
        expect(page.locator("#quote")).to_contain_text("750,00")
        page.click("button[value=send_code]")
        code = re.search(r"\b(\d{4,8})\b", sms_outbox.last_to(customer.phone)["text"]).group(1)
        page.fill("#code", code)
        page.click("button[value=confirm]")
        expect(page.locator("#terms")).to_contain_text("1 750,00")

        clock.move_to(datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
        assert close_revolving_statements(contracts=[line], on=date(2026, 3, 5)) == 1
        assert deliver_statements(on=date(2026, 3, 5)) == 1
        _sign_in(page, live_server.url, user)  # three days later: a new session
        page.goto(f"{live_server.url}/espace/documents/")
        link = page.get_by_role("link", name="Relevé de compte du 05/03/2026", exact=True)
        expect(link).to_be_visible()
        with page.expect_download() as download:
            page.locator("a.dl").first.click()
        assert download.value.path().read_bytes().startswith(b"%PDF-")
