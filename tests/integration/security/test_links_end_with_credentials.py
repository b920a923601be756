"""Issue 11, item 1: a reset link requested before the password changes (from the profile or by another
reset) must not work afterwards, and a new way to sign in (mobile, email) ends every outstanding link and
every other session. The attack: request a link, let the owner change the password, then use the link."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from guichet.customers import recovery
from guichet.customers.models import User
from tests.factories import make_user, verify_identity
from tests.integration.customers.helpers import NEW_PASSWORD, PASSWORD, link_in

pytestmark = pytest.mark.django_db
THIRD_PASSWORD = "Troisieme-Secret-2028!"


def _code(text: str) -> str:
    match = re.search(r"\b(\d{4,8})\b", text)
    assert match, text
    return match.group(1)


def _reset_link(mailbox, user: User) -> str:
    Client().post("/mot-de-passe/oublie/", {"by": "email", "email": user.email})
    return link_in(mailbox.text(mailbox.last_to(user.email)), "/mot-de-passe/reinitialiser/")


def _reset_through(link: str, password: str, sms_outbox, user: User):
    """Open the link and post a new password, with the SMS code when the page asks for one."""
    client = Client()
    client.get(link)
    sent = [m for m in sms_outbox.messages() if m["to"] == user.customer.phone]
    code = _code(sent[-1]["text"]) if sent else ""
    return client.post(link, {"password": password, "confirm": password, "sms_code": code})


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("portal:security_activity")).status_code == 200
    return client


def _still_signed_in(client: Client) -> bool:
    return client.get(reverse("portal:security_activity")).status_code == 200


def test_a_reset_link_requested_before_a_password_change_from_the_profile_no_longer_works(
    rf, mailbox, sms_outbox
) -> None:
    user = make_user()
    stolen = _reset_link(mailbox, user)
    owner = _signed_in(user)
    request = rf.post("/")
    request.user, request.session = user, owner.session
    recovery.change_password(request=request, user=user, raw=NEW_PASSWORD)

    response = _reset_through(stolen, THIRD_PASSWORD, sms_outbox, user)

    assert response.status_code == 410
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_activation_link_still_outstanding_ends_when_the_password_is_set(rf, mailbox) -> None:
    from datetime import timedelta

    from guichet.customers.links import check_link, issue_link
    from guichet.customers.models import AccessLink

    user = make_user()
    token = issue_link(kind=AccessLink.Kind.ACTIVATION, customer=user.customer, lifetime=timedelta(hours=48))
    owner = _signed_in(user)
    request = rf.post("/")
    request.user, request.session = user, owner.session
    recovery.change_password(request=request, user=user, raw=NEW_PASSWORD)
    with pytest.raises(Exception, match="déjà été utilisé"):
        check_link(kind=AccessLink.Kind.ACTIVATION, token=token)


def test_a_password_reset_ends_every_other_session(mailbox, sms_outbox) -> None:
    user = make_user()
    elsewhere = _signed_in(user)
    link = _reset_link(mailbox, user)
    assert _reset_through(link, NEW_PASSWORD, sms_outbox, user).status_code == 302
    assert not _still_signed_in(elsewhere)


def test_a_new_mobile_number_ends_outstanding_links_and_other_sessions_but_not_this_one(
    mailbox, sms_outbox
) -> None:
    user = make_user()
    verify_identity(user.customer)
    stolen = _reset_link(mailbox, user)
    elsewhere = _signed_in(user)
    owner = _signed_in(user)
    old_phone = user.customer.phone
    owner.post(reverse("portal:profile_phone"), {"new_phone": "+33 6 98 76 54 32"})
    codes = {
        "code": _code(sms_outbox.last_to("+33698765432")["text"]),
        "step_up_code": _code(sms_outbox.last_to(old_phone)["text"]),
    }
    assert owner.post(reverse("portal:profile_phone_confirm"), codes).status_code == 302

    assert Client().get(stolen).status_code == 410
    assert not _still_signed_in(elsewhere)
    assert _still_signed_in(owner)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
