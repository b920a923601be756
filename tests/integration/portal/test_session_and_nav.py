"""Every signed-in page carries the inactivity countdown (15 min, 5 after a payment or signature page,
issue 4 and DESIGN.md "Security baseline"); the login page says why the session ended; the site
navigation lists every area of the customer space and the public simulations for visitors."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import DEMO_PASSWORD, make_contract, make_customer, make_user

pytestmark = pytest.mark.django_db

CUSTOMER_NAV = [
    "dashboard",
    "contracts",
    "payments",
    "simulations",
    "applications",
    "documents",
    "messages",
    "complaints",
    "profile",
    "support",
]


@pytest.fixture
def signed_in(client):
    customer = make_customer(phone="+33612345678")
    make_user(customer)
    assert client.login(email=customer.email, password=DEMO_PASSWORD)
    client.customer = customer
    return client


def idle_seconds(html: str) -> int:
    match = re.search(r'id="session-timeout"[^>]*data-idle-seconds="(\d+)"', html, flags=re.S)
    assert match, "no inactivity countdown on the page"
    return int(match.group(1))


def test_every_signed_in_page_carries_the_countdown_once_with_the_profile_limit(signed_in) -> None:
    for name in ("dashboard", "profile", "documents", "security_activity"):
        html = signed_in.get(reverse(f"portal:{name}")).content.decode()
        assert html.count('id="session-timeout"') == 1, name
        assert idle_seconds(html) == 15 * 60, name
        assert "session-timeout.js" in html and "<script>" not in html  # CSP: no inline script


def test_payment_pages_use_the_shorter_limit(signed_in) -> None:
    loan = make_contract(signed_in.customer, amount="5000.00", term_months=24)
    for name in ("early_repayment", "debit_date", "bank_details"):
        response = signed_in.get(reverse(f"portal:{name}", args=[loan.number]), follow=True)
        if response.redirect_chain:  # an identity check (KYC) page first: it is not a payment page
            assert "/kyc" in response.redirect_chain[-1][0] or "identit" in response.content.decode()
            continue
        assert idle_seconds(response.content.decode()) == 5 * 60, name


def test_payment_and_signature_views_are_marked_sensitive() -> None:
    from guichet.portal.views import payments, signing

    views = (payments.early_repayment, payments.debit_date, payments.bank_details)
    views += (signing.sign, signing.sign_code, signing.withdraw)
    for view in views:
        assert getattr(view, "guichet_sensitive", False), view.__name__


def test_idle_session_ends_and_the_login_page_says_after_how_many_minutes(signed_in) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert signed_in.get("/espace/").status_code == 200
        traveller.shift(timedelta(minutes=16))
        response = signed_in.get("/espace/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    body = signed_in.get("/connexion/").content.decode()
    assert "Vous avez été déconnecté après 15 minutes d&#x27;inactivité" in body or (
        "Vous avez été déconnecté après 15 minutes d'inactivité" in body
    )


def test_keepalive_counts_as_activity(signed_in) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        signed_in.get("/espace/")
        traveller.shift(timedelta(minutes=14))
        assert signed_in.post(reverse("portal:session_keepalive")).status_code == 204
        traveller.shift(timedelta(minutes=14))
        assert signed_in.get("/espace/").status_code == 200


def test_customer_navigation_lists_every_area(signed_in) -> None:
    html = signed_in.get("/espace/").content.decode()
    nav = html[html.index('class="nav"') : html.index("</nav>")]
    for name in CUSTOMER_NAV:
        assert f'href="{reverse(f"portal:{name}")}"' in nav, name
    assert "<details" in nav and "Déconnexion" in nav
    assert 'aria-current="page"' in nav  # the dashboard link marks the current section


def test_visitors_see_the_public_simulations_and_no_countdown(client) -> None:
    html = client.get("/connexion/").content.decode()
    nav = html[html.index('class="nav"') : html.index("</nav>")]
    assert f'href="{reverse("portal:simulations")}"' in nav
    assert reverse("portal:payments") not in nav
    assert 'id="session-timeout"' not in html


def test_scheduled_transfers_appear_in_the_contract_calendar(signed_in) -> None:
    """Issue 5: a scheduled transfer "appears in the calendar" — on the contract page too."""
    from guichet.credit import EUR, Money
    from guichet.payments.services.transfers import schedule_transfer

    today = timezone.localdate()
    loan = make_contract(signed_in.customer, amount="5000.00", term_months=24, start_on=today)
    schedule_transfer(
        customer=signed_in.customer,
        contract=loan,
        amount=Money.of("150.00", EUR),
        first_on=today + timedelta(days=20),
        monthly=True,
    )
    url = reverse("portal:contract", args=[loan.number])
    upcoming = signed_in.get(url).content.decode()
    assert upcoming.count('class="transfer-row"') == 12  # monthly, the coming 12 months
    assert "Versement programmé" in upcoming
    assert 'class="transfer-row"' not in signed_in.get(url + "?vue=passees").content.decode()
