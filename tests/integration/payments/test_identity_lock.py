"""Until the identity documents are approved, changing bank details and confirming an early repayment are
refused by the services (not only hidden by the page): no code is sent, no mandate or instruction is
written, and the page explains why with a link to "Mes justificatifs"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guichet.customers.models import OneTimeCode
from guichet.payments import services
from guichet.payments.errors import IdentityNotVerified
from guichet.payments.models import Mandate, PaymentInstruction
from tests.factories import DEMO_PASSWORD, make_contract, make_customer, make_user, verify_identity

from .conftest import settle_past_installments

GOOD_IBAN = "FR7630006000011234567890189"


@pytest.fixture
def unverified(db):
    customer = make_customer(phone="+33612340000")
    make_user(customer)
    return customer


@pytest.fixture
def contract(unverified, today):
    from guichet.credit.dates import add_months

    loan = make_contract(
        unverified, amount="10000.00", term_months=48, start_on=add_months(today, -10, day=5)
    )
    settle_past_installments(loan, today)
    services.create_mandate(contract=loan, holder_name="Camille Martin", iban=GOOD_IBAN)
    return loan


@pytest.fixture
def signed_in(client, unverified):
    assert client.login(email=unverified.email, password=DEMO_PASSWORD)
    return client


def test_bank_details_change_is_refused_before_identity_is_verified(signed_in, contract, unverified):
    before = list(Mandate.objects.filter(contract=contract).values_list("reference", "status"))
    page = signed_in.post(
        f"/espace/contrats/{contract.number}/coordonnees-bancaires/",
        {"holder": "Camille Martin", "iban": "DE89370400440532013000", "action": "send_code"},
    )
    body = page.content.decode()
    assert "justificatifs d'identité" in body and 'href="/justificatifs/"' in body
    assert not OneTimeCode.objects.filter(purpose="bank_details").exists()
    with pytest.raises(IdentityNotVerified):
        services.change_bank_details(
            customer=unverified,
            contract=contract,
            holder_name="X",
            iban="DE89370400440532013000",
            code="123456",
        )
    assert list(Mandate.objects.filter(contract=contract).values_list("reference", "status")) == before


def test_early_repayment_confirmation_is_refused_before_identity_is_verified(
    signed_in, contract, unverified, today
):
    on = (today + timedelta(days=2)).isoformat()
    url = f"/espace/contrats/{contract.number}/remboursement-anticipe/"
    quote_page = signed_in.get(f"{url}?on={on}&amount=1000")
    assert "Réduire la durée" in quote_page.content.decode()  # the quote itself stays open
    page = signed_in.post(url, {"on": on, "amount": "1000", "mode": "reduce_term", "action": "send_code"})
    assert 'href="/justificatifs/"' in page.content.decode()
    assert not OneTimeCode.objects.filter(purpose="early_repayment").exists()
    quote = services.quote_early_repayment(
        contract=contract, on=today + timedelta(days=2), amount=None, mode=""
    )
    with pytest.raises(IdentityNotVerified):
        services.confirm_early_repayment(customer=unverified, quote=quote, code="123456")
    assert not PaymentInstruction.objects.filter(contract=contract).exists()


def test_bank_details_code_is_sent_once_identity_is_verified(signed_in, contract, unverified, sms_outbox):
    verify_identity(unverified)
    page = signed_in.post(
        f"/espace/contrats/{contract.number}/coordonnees-bancaires/",
        {"holder": "Camille Martin", "iban": "DE89370400440532013000", "action": "send_code"},
    )
    assert 'href="/justificatifs/"' not in page.content.decode()
    assert OneTimeCode.objects.filter(purpose="bank_details").count() == 1
