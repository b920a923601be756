"""The staff door: password then TOTP (correct, wrong, replayed), enrolment, lockout, customers refused."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from guichet.backoffice import totp
from guichet.backoffice.models import StaffProfile
from guichet.customers.models import User
from tests.factories import DEMO_PASSWORD, make_staff, make_user

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _staff_with_totp(role=User.Role.ADVISOR):
    from django.utils import timezone

    user = make_staff(role)
    StaffProfile.objects.create(user=user, totp_secret=SECRET, totp_confirmed_at=timezone.now())
    return user


def _password_step(client, user, password=DEMO_PASSWORD):
    return client.post(reverse("backoffice:login"), {"email": user.email, "password": password})


def test_correct_totp_opens_the_back_office(client):
    user = _staff_with_totp()
    assert _password_step(client, user)["Location"] == reverse("backoffice:login_verify")
    response = client.post(reverse("backoffice:login_verify"), {"code": totp.totp(SECRET)})
    assert response.status_code == 302 and response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200


def test_wrong_totp_is_refused_and_the_back_office_stays_closed(client):
    user = _staff_with_totp()
    _password_step(client, user)
    wrong = str((int(totp.totp(SECRET)) + 1) % 1_000_000).zfill(6)
    response = client.post(reverse("backoffice:login_verify"), {"code": wrong})
    assert response.status_code == 200 and "Code incorrect" in response.content.decode()
    assert client.get("/backoffice/").status_code == 302


def test_replayed_totp_is_refused_on_the_next_sign_in(client):
    user = _staff_with_totp()
    code = totp.totp(SECRET)
    _password_step(client, user)
    client.post(reverse("backoffice:login_verify"), {"code": code})
    client.post(reverse("backoffice:logout"))
    _password_step(client, user)
    response = client.post(reverse("backoffice:login_verify"), {"code": code})
    assert "Code incorrect" in response.content.decode()
    assert client.get("/backoffice/").status_code == 302


def test_first_sign_in_enrols_an_authenticator_shown_as_secret_and_otpauth_uri(client):
    user = make_staff()
    _password_step(client, user)
    page = client.get(reverse("backoffice:login_verify")).content.decode()
    secret = client.session["backoffice_pending"]["secret"]
    assert secret in page and "otpauth://totp/" in page
    client.post(reverse("backoffice:login_verify"), {"code": totp.totp(secret)})
    assert StaffProfile.objects.get(user=user).has_totp
    assert client.get("/backoffice/").status_code == 200


def test_sms_second_factor_when_the_staff_member_has_a_phone_but_no_authenticator(client, sms_outbox):
    user = make_staff()
    StaffProfile.objects.create(user=user, phone="+33611112222")
    _password_step(client, user)
    code = re.search(r"\b(\d{6})\b", sms_outbox.last_to("+33611112222")["text"]).group(1)
    client.post(reverse("backoffice:login_verify"), {"code": code})
    assert client.get("/backoffice/").status_code == 200


def test_customer_account_cannot_sign_in_at_the_staff_door(client):
    customer_user = make_user()
    response = _password_step(client, customer_user)
    assert response.status_code == 200 and "incorrect" in response.content.decode()
    assert "backoffice_pending" not in client.session


def test_three_wrong_passwords_lock_the_staff_account(client, mailbox):
    user = _staff_with_totp()
    for _ in range(3):
        _password_step(client, user, password="wrong-password")
    assert _password_step(client, user).status_code == 200  # right password, but locked
    assert "backoffice_pending" not in client.session


def test_the_staff_lock_ends_after_the_profiles_minutes_as_the_customer_lock_does(client, mailbox):
    """One rule for both doors (customers.signin.is_locked): locked for ``lockout_minutes`` (30 FR)."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as traveller:
        user = _staff_with_totp()
        for _ in range(3):
            _password_step(client, user, password="wrong-password")
        traveller.shift(timedelta(minutes=29))
        _password_step(client, user)
        assert "backoffice_pending" not in client.session
        traveller.shift(timedelta(minutes=2))
        _password_step(client, user)
        assert "backoffice_pending" in client.session
