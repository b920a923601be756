"""One-time codes at rest and under attack (DESIGN.md "Security baseline"; PSD2 RTS 2018/389 art. 4
and 5): the database never holds a code as sent (SMS, email, invitation), five wrong tries through the
sign-in page kill the code, and a bank-details code is bound to the payee account it was sent for."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from guichet.customers.models import OneTimeCode
from guichet.customers.services import CodeInvalid, issue_code
from guichet.lenders.profile import _profile_for
from guichet.onboarding.invitations import invite_customer
from guichet.onboarding.models import Invitation
from guichet.payments import services as payments
from guichet.payments.models import Mandate
from tests.factories import make_contract, make_customer, make_user, verify_identity
from tests.integration.customers.helpers import link_in, login, sms_code

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
FIRST_IBAN = "FR7630006000011234567890189"
OTHER_IBAN = "FR1420041010050500013M02606"
ATTACKER_IBAN = "FR7630006000000000123456723"


def _stored_values() -> list[str]:
    """Every column of every row where a code or its proof could be kept, as text."""
    rows = [*OneTimeCode.objects.values(), *Invitation.objects.values()]
    return [str(value) for row in rows for value in row.values()]


def test_no_database_row_holds_a_code_as_it_was_sent(mailbox, sms_outbox, settings) -> None:
    user = make_user()
    by_sms = issue_code(user=user, purpose="bank_details", bound_to="iban:FR76", channel="sms").code
    by_email = issue_code(
        user=user, purpose="email_change", bound_to="new@example.test", channel="email"
    ).code
    assert by_sms in sms_outbox.last_to(user.customer.phone)["text"]
    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()
    invited = make_customer(email="invited@example.test")
    invite_customer(customer=invited)
    text = mailbox.text(mailbox.last_to(invited.email))
    invitation_code = re.search(r"^\s+([A-Z0-9]{8})\s*$", text, re.M).group(1)
    token = link_in(text, "/invitation/").rstrip("/").rsplit("/", 1)[-1]
    stored = _stored_values()
    assert len(stored) > 10 and len(token) >= 20
    for secret in (by_sms, by_email, invitation_code, token):
        assert not any(secret in value for value in stored), secret


def test_five_wrong_codes_at_the_sign_in_step_kill_the_code_and_the_right_one_no_longer_opens(sms_outbox):
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        assert login(Client(REMOTE_ADDR="192.0.2.10"), user.email).status_code == 302
        stranger = Client(REMOTE_ADDR="203.0.113.50")
        assert login(stranger, user.email)["Location"] == "/connexion/code/"
        code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            stranger.post("/connexion/code/", {"code": wrong})
        stranger.post("/connexion/code/", {"code": code})
        assert "_auth_user_id" not in stranger.session
    assert OneTimeCode.objects.get(user=user, purpose__contains="login").attempts == 5


def test_a_bank_details_code_sent_for_one_iban_cannot_confirm_another(sms_outbox) -> None:
    customer = make_customer(phone="+33612345678")
    make_user(customer)
    verify_identity(customer)
    contract = make_contract(customer)
    payments.create_mandate(contract=contract, holder_name="Camille Martin", iban=FIRST_IBAN)
    payments.request_bank_details_change(
        customer=customer, contract=contract, holder_name="Camille Martin", iban=OTHER_IBAN
    )
    code = sms_code(sms_outbox.last_to(customer.phone)["text"])
    with pytest.raises(CodeInvalid):
        payments.change_bank_details(
            customer=customer, contract=contract, holder_name="Camille Martin", iban=ATTACKER_IBAN, code=code
        )
    assert list(Mandate.objects.filter(contract=contract).values_list("iban", "status")) == [
        (FIRST_IBAN, Mandate.Status.ACTIVE)
    ]
