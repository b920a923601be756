"""Issue 16: a customer with no mobile on file cannot finish "mot de passe oublié" online (seed 000: the
identity is validated by email AND SMS). The reset page says so and sends them to the agency, with the
lender's phone and hours; an advisor checks the caller's identity and records the mobile from the back
office (audited, the customer told by email); the customer then resets with the email link + SMS code.
Someone who holds only the mailbox never gets a reset."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from guichet.audit.models import StaffAction
from tests.factories import make_customer, make_staff, make_user
from tests.integration.backoffice.helpers import staff_session

from .helpers import NEW_PASSWORD, PASSWORD, link_in, sms_code

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def no_mobile_user():
    return make_user(make_customer(phone=""))


def _reset_path(mailbox, user) -> str:
    Client().post("/mot-de-passe/oublie/", {"by": "email", "email": user.email})
    return link_in(mailbox.text(mailbox.last_to(user.email)), "/mot-de-passe/reinitialiser/")


def test_without_a_mobile_the_reset_page_sends_to_the_agency_and_the_email_alone_resets_nothing(
    mailbox, sms_outbox, no_mobile_user
) -> None:
    path = _reset_path(mailbox, no_mobile_user)
    attacker = Client()  # holds the mailbox, nothing else
    page = attacker.get(path).content.decode()
    assert 'id="no-mobile"' in page and "Appelez votre agence" in page
    assert "0 800 035 035" in page  # the French demo lender's line
    assert "Lundi — de 08:00 à 20:00" in page and "Samedi — de 08:00 à 17:00" in page  # its hours
    assert 'name="password"' not in page  # no form that could not be finished
    assert "code que nous venons de vous envoyer par SMS" not in page  # no claim of a send
    assert sms_outbox.messages() == []
    for attempt in ({}, {"sms_code": "000000"}):
        attacker.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **attempt})
    no_mobile_user.refresh_from_db()
    assert no_mobile_user.check_password(PASSWORD)


def test_the_advisor_records_the_mobile_after_checking_identity_then_email_and_sms_reset_it(
    mailbox, sms_outbox, no_mobile_user
) -> None:
    customer = no_mobile_user.customer
    before = _reset_path(mailbox, no_mobile_user)  # asked for before the number was recorded
    advisor = Client()
    staff_session(advisor, make_staff(role="advisor"))
    page = advisor.get(reverse("backoffice:customer", args=[customer.pk])).content.decode()
    assert 'id="record-mobile" open' in page
    url = reverse("backoffice:record_mobile", args=[customer.pk])
    advisor.post(url, {"phone": "06 12 34 56 77"})  # identity check not said: refused
    customer.refresh_from_db()
    assert customer.phone == ""
    advisor.post(url, {"phone": "06 12 34 56 77", "identity_check": "call_back_questions"})
    customer.refresh_from_db()
    assert customer.phone == "+33612345677"
    action = StaffAction.objects.get(action="record_mobile", customer=customer)
    assert "date de naissance" in action.detail["identity_check"] and action.detail["had_mobile"] is False
    told = mailbox.text(mailbox.last_to(customer.email))
    assert "se terminant par 77" in told and "Si vous n'êtes pas à l'origine" in told

    assert Client().get(before).status_code == 410  # a new way to sign in ends older links
    path = _reset_path(mailbox, no_mobile_user)
    me = Client()
    page = me.get(path).content.decode()
    assert "code que nous venons de vous envoyer par SMS" in page
    code = sms_code(sms_outbox.last_to("+33612345677")["text"])
    done = me.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "sms_code": code})
    assert done.status_code == 302
    no_mobile_user.refresh_from_db()
    assert no_mobile_user.check_password(NEW_PASSWORD)


def test_a_read_only_role_cannot_record_a_mobile(no_mobile_user) -> None:
    compliance = Client()
    staff_session(compliance, make_staff(role="compliance"))
    url = reverse("backoffice:record_mobile", args=[no_mobile_user.customer.pk])
    response = compliance.post(url, {"phone": "06 12 34 56 77", "identity_check": "agency_id_document"})
    assert response.status_code == 403
    no_mobile_user.customer.refresh_from_db()
    assert no_mobile_user.customer.phone == ""
