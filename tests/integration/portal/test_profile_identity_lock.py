"""Email and mobile changes stay locked until the identity documents are approved: the services refuse
them (no code sent, nothing changed) and "Mon profil" says why with a link to "Mes justificatifs"."""

from __future__ import annotations

import pytest

from guichet.customers import profile_services as ps
from guichet.customers.models import OneTimeCode
from tests.factories import make_user


@pytest.fixture
def signed_in(client, db):
    user = make_user()
    client.force_login(user)
    return client, user


def test_profile_page_shows_the_lock_and_the_link_to_the_kyc_page(signed_in):
    client, _user = signed_in
    body = client.get("/espace/profil/").content.decode()
    assert 'data-testid="kyc-locked"' in body and 'href="/justificatifs/"' in body


def test_email_change_is_refused_before_identity_is_verified(signed_in, mailbox, sms_outbox):
    client, user = signed_in
    response = client.post("/espace/profil/email/", {"new_email": "nouvelle@example.test"})
    assert response.status_code == 400
    assert "justificatifs d'identité" in response.content.decode()
    assert not OneTimeCode.objects.filter(user=user).exists()
    assert mailbox.to("nouvelle@example.test") == []
    with pytest.raises(ps.IdentityNotVerified):
        ps.confirm_email_change(
            user=user, customer=user.customer, new_email="nouvelle@example.test", code="1", step_up_code="2"
        )
    user.refresh_from_db()
    assert user.email != "nouvelle@example.test"


def test_phone_change_is_refused_before_identity_is_verified(signed_in, sms_outbox):
    client, user = signed_in
    old_phone = user.customer.phone
    response = client.post("/espace/profil/telephone/", {"new_phone": "+33698765432"})
    assert response.status_code == 400
    assert "justificatifs d'identité" in response.content.decode()
    assert sms_outbox.messages() == []
    with pytest.raises(ps.IdentityNotVerified):
        ps.confirm_phone_change(
            user=user, customer=user.customer, new_phone="+33698765432", code="1", step_up_code="2"
        )
    user.customer.refresh_from_db()
    assert user.customer.phone == old_phone
