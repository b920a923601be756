"""Mon profil: details saved with an audit event; email and phone changes need a code sent to the NEW
channel plus the SMS step-up on the current mobile (issue 4, "Profile"); alerts and language.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guichet.customers.models import SecurityEvent
from guichet.notifications.models import AlertPreference
from tests.conftest import Mailbox
from tests.factories import make_user, verify_identity

pytestmark = pytest.mark.django_db


def _code(text: str) -> str:
    match = re.search(r"\b(\d{4,8})\b", text)  # numeric one-time codes (purpose other than invitation)
    assert match, f"no code in {text!r}"
    return match.group(1)


@pytest.fixture
def signed_in(client):
    user = make_user()
    verify_identity(user.customer)  # email and mobile changes need the identity approved
    client.force_login(user)
    return client, user


def test_personal_details_are_saved_with_an_audit_event(signed_in):
    client, user = signed_in
    response = client.post(
        reverse("portal:profile_details"),
        {
            "address_line1": "3 place du Marché",
            "postal_code": "98800",
            "city": "Nouméa",
            "country": "nc",
            "family_situation": "married",
            "professional_situation": "civil_servant",
        },
    )
    assert response.status_code == 302
    user.customer.refresh_from_db()
    assert (user.customer.city, user.customer.country, user.customer.family_situation) == (
        "Nouméa",
        "NC",
        "married",
    )
    event = SecurityEvent.objects.filter(user=user, kind="profile_updated").get()
    assert "city" in event.data["fields"]


def test_phone_change_needs_the_code_sent_to_the_new_phone_and_the_current_one(
    signed_in, sms_outbox, mailbox
):
    client, user = signed_in
    old_phone = user.customer.phone
    response = client.post(reverse("portal:profile_phone"), {"new_phone": "06 12 34 56 78"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:profile_phone_confirm")
    new_code = _code(sms_outbox.last_to("+33612345678")["text"])
    step_code = _code(sms_outbox.last_to(old_phone)["text"])
    confirm = reverse("portal:profile_phone_confirm")
    swapped = client.post(confirm, {"code": step_code, "step_up_code": new_code})
    assert swapped.status_code == 400  # each code is bound to its own channel's purpose
    user.customer.refresh_from_db()
    assert user.customer.phone == old_phone


def test_phone_change_succeeds_with_both_codes(signed_in, sms_outbox, mailbox):
    client, user = signed_in
    old_phone = user.customer.phone
    client.post(reverse("portal:profile_phone"), {"new_phone": "+33 6 98 76 54 32"})
    new_code = _code(sms_outbox.last_to("+33698765432")["text"])
    step_code = _code(sms_outbox.last_to(old_phone)["text"])
    response = client.post(
        reverse("portal:profile_phone_confirm"), {"code": new_code, "step_up_code": step_code}
    )
    assert response.status_code == 302
    user.customer.refresh_from_db()
    assert user.customer.phone == "+33698765432"
    assert SecurityEvent.objects.filter(user=user, kind="phone_changed").exists()


def test_email_change_code_goes_to_the_new_address_and_the_old_one_is_told(
    signed_in, sms_outbox, mailbox: Mailbox
):
    client, user = signed_in
    old_email = user.email
    client.post(reverse("portal:profile_email"), {"new_email": "Nouvelle.Adresse@example.test"})
    mail_code = _code(Mailbox.text(mailbox.last_to("nouvelle.adresse@example.test")))
    assert not mailbox.to(old_email)  # the code is never sent to the old address
    step_code = _code(sms_outbox.last_to(user.customer.phone)["text"])
    response = client.post(
        reverse("portal:profile_email_confirm"), {"code": mail_code, "step_up_code": step_code}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    user.customer.refresh_from_db()
    assert user.email == user.customer.email == "nouvelle.adresse@example.test"
    assert "nouvelle.adresse@example.test" in Mailbox.text(mailbox.last_to(old_email))


def test_email_change_refuses_an_address_used_by_another_account(signed_in, sms_outbox, mailbox):
    client, _user = signed_in
    other = make_user()
    response = client.post(reverse("portal:profile_email"), {"new_email": other.email})
    assert response.status_code == 400
    assert "ne peut pas être utilisée" in response.content.decode()
    assert not mailbox.to(other.email)


def test_wrong_code_changes_nothing(signed_in, sms_outbox, mailbox):
    client, user = signed_in
    client.post(reverse("portal:profile_phone"), {"new_phone": "0611223344"})
    response = client.post(
        reverse("portal:profile_phone_confirm"), {"code": "000000", "step_up_code": "000000"}
    )
    assert response.status_code == 400
    assert "Code incorrect" in response.content.decode()
    user.customer.refresh_from_db()
    assert user.customer.phone != "+33611223344"


def test_alert_preferences_are_saved(signed_in):
    client, user = signed_in
    response = client.post(
        reverse("portal:profile_alerts"),
        {"due_reminder_enabled": "on", "due_reminder_days": "5", "balance_threshold": "1500.00",
         "contract_updates": "on", "by_email": "on", "by_sms": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    pref = AlertPreference.objects.get(customer=user.customer)
    assert (pref.due_reminder_days, pref.balance_threshold_minor, pref.by_sms) == (5, 150000, True)


def test_language_choice_is_saved_and_used(signed_in):
    client, user = signed_in
    response = client.post(reverse("portal:profile_language"), {"language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert response.cookies["django_language"].value == "en"
