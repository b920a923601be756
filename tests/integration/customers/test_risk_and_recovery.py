"""Suspicious sign-in (step-up SMS code or suspension with email + SMS notice), password reset by
email link (lifetime per profile, single use) or SMS code, recovery of a suspended account, and the
recent-activity page (seed 000 "Sécurisation", seed 003 "Mot de passe oublié ?")."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from guichet.customers.models import AccessLink, SecurityEvent
from guichet.lenders.profile import _profile_for
from tests.factories import make_customer, make_user

from .helpers import NEW_PASSWORD, PASSWORD, link_in, login, sms_code, without_csrf

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)
NIGHT = datetime(2026, 3, 11, 3, 0, tzinfo=PARIS)


def _first_login(user) -> Client:
    home = Client(REMOTE_ADDR="192.0.2.10")
    assert login(home, user.email).status_code == 302
    return home


def test_known_device_and_network_sign_in_without_extra_step(sms_outbox) -> None:
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        home = _first_login(user)
        home.post("/deconnexion/")
        assert login(home, user.email)["Location"] != "/connexion/code/"
    assert sms_outbox.messages() == []


def test_new_device_on_a_new_network_needs_the_sms_code(sms_outbox) -> None:
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        _first_login(user)
        stranger = Client(REMOTE_ADDR="203.0.113.50")
        response = login(stranger, user.email)
        assert response["Location"] == "/connexion/code/"
        assert "_auth_user_id" not in stranger.session
        bad = stranger.post("/connexion/code/", {"code": "not-it"})
        assert "Code incorrect" in bad.content.decode()
        code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
        response = stranger.post("/connexion/code/", {"code": code})
        assert response.status_code == 302
        assert stranger.session["_auth_user_id"] == str(user.pk)
    assert SecurityEvent.objects.filter(user=user, kind="step_up").exists()


def test_high_risk_sign_in_suspends_and_notifies_by_email_and_sms(mailbox, sms_outbox) -> None:
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        _first_login(user)
    with time_machine.travel(NIGHT, tick=False):
        stranger = Client(REMOTE_ADDR="203.0.113.50")
        response = login(stranger, user.email)
    # Only whoever typed the right password reads it: the account is suspended and how to lift it.
    assert "suspendu" in response.content.decode() and "Mot de passe oublié" in response.content.decode()
    user.refresh_from_db()
    assert user.is_suspended
    assert "suspendu" in mailbox.text(mailbox.last_to(user.email))
    assert "suspendu" in sms_outbox.last_to(user.customer.phone)["text"]
    assert "Mot de passe oublié" in sms_outbox.last_to(user.customer.phone)["text"]


def test_suspended_account_recovers_with_email_link_and_sms_code(mailbox, sms_outbox) -> None:
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        home = _first_login(user)
    with time_machine.travel(NIGHT, tick=False):
        login(Client(REMOTE_ADDR="203.0.113.50"), user.email)
    user.refresh_from_db()
    assert user.is_suspended
    assert home.get("/securite/activite/").status_code == 302  # every session ended
    with time_machine.travel(NIGHT + timedelta(hours=8), tick=False):
        client = Client()
        client.post("/mot-de-passe/oublie/", {"by": "email", "email": user.email})
        path = link_in(mailbox.text(mailbox.last_to(user.email)), "/mot-de-passe/reinitialiser/")
        page = client.get(path).content.decode()
        assert "code que nous venons de vous envoyer par SMS" in page
        code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
        refused = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "sms_code": "000"})
        assert "Code incorrect" in refused.content.decode()
        response = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "sms_code": code})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_suspended and user.check_password(NEW_PASSWORD)


def test_reset_link_lives_24_hours_on_the_french_profile_and_is_single_use(mailbox, sms_outbox) -> None:
    user = make_user()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        page = client.post("/mot-de-passe/oublie/", {"by": "email", "email": user.email}).content.decode()
        assert "24 heures" in page
        path = link_in(mailbox.text(mailbox.last_to(user.email)), "/mot-de-passe/reinitialiser/")
        traveller.shift(timedelta(hours=23, minutes=59))
        client.get(path)  # sends the SMS code: the reset needs the email link and the SMS (seed 000)
        code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
        response = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "sms_code": code})
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
        assert "a été modifié" in mailbox.text(mailbox.last_to(user.email))  # the notice
        again = Client().get(path)
        assert again.status_code == 410 and "déjà été utilisé" in again.content.decode()


def test_reset_link_dies_after_24_hours_on_the_french_profile(mailbox) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        Client().post("/mot-de-passe/oublie/", {"by": "email", "email": user.email})
        path = link_in(mailbox.text(mailbox.last_to(user.email)), "/mot-de-passe/reinitialiser/")
        traveller.shift(timedelta(hours=24, seconds=1))
        response = Client().post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and "expiré" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_link_dies_after_5_minutes_on_the_new_caledonian_profile(settings, mailbox) -> None:
    # Seed 003: "Ce lien est éphémère et expire après 5 minutes."
    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        Client().post("/mot-de-passe/oublie/", {"by": "email", "email": user.email})
        text = mailbox.text(mailbox.last_to(user.email))
        assert "5 minutes" in text
        path = link_in(text, "/mot-de-passe/reinitialiser/")
        traveller.shift(timedelta(minutes=4, seconds=59))
        assert Client().get(path).status_code == 200
        traveller.shift(timedelta(seconds=2))
        assert Client().get(path).status_code == 410


def test_unknown_email_at_reset_gets_the_same_answer_and_no_mail(mailbox) -> None:
    user = make_user()
    known = Client().post("/mot-de-passe/oublie/", {"by": "email", "email": user.email}).content.decode()
    unknown = (
        Client()
        .post("/mot-de-passe/oublie/", {"by": "email", "email": "nobody@example.test"})
        .content.decode()
    )
    assert without_csrf(known) == without_csrf(unknown)
    assert mailbox.to("nobody@example.test") == []
    assert AccessLink.objects.count() == 1


def test_reset_by_phone_sends_a_code_then_the_link_by_email_and_needs_no_second_code(
    sms_outbox, mailbox
) -> None:
    user = make_user()
    client = Client()
    response = client.post("/mot-de-passe/oublie/", {"by": "phone", "phone": user.customer.phone})
    assert response["Location"] == "/mot-de-passe/oublie/code/"
    code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
    response = client.post("/mot-de-passe/oublie/code/", {"code": code})
    assert response.status_code == 200 and "Votre code est vérifié" in response.content.decode()
    path = link_in(mailbox.text(mailbox.last_to(user.email)), "/mot-de-passe/reinitialiser/")
    sent = len(sms_outbox.messages())
    assert "code que nous venons" not in client.get(path).content.decode()
    response = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and len(sms_outbox.messages()) == sent
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_sms_code_alone_never_opens_the_reset_form(sms_outbox, mailbox) -> None:
    # Seed 000: recovery "nécessite la validation de votre identité par email et SMS".
    user = make_user()
    client = Client()
    client.post("/mot-de-passe/oublie/", {"by": "phone", "phone": user.customer.phone})
    code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
    response = client.post("/mot-de-passe/oublie/code/", {"code": code})
    assert not response.get("Location", "").startswith("/mot-de-passe/reinitialiser/")
    assert "/mot-de-passe/reinitialiser/" not in response.content.decode()
    assert mailbox.last_to(user.email)  # the link goes to the email address


def test_the_email_link_alone_does_not_reset_the_password(sms_outbox, mailbox) -> None:
    # Seed 000: "par email et SMS" -- also when the account is not suspended.
    user = make_user()
    client = Client()
    client.post("/mot-de-passe/oublie/", {"by": "email", "email": user.email})
    path = link_in(mailbox.text(mailbox.last_to(user.email)), "/mot-de-passe/reinitialiser/")
    page = client.get(path).content.decode()
    assert "code que nous venons de vous envoyer par SMS" in page
    refused = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert refused.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
    done = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "sms_code": code})
    assert done.status_code == 302


def test_a_phone_number_typed_the_french_way_gets_the_sms_code(sms_outbox) -> None:
    user = make_user(make_customer(phone="+33612345602"))
    response = Client().post("/mot-de-passe/oublie/", {"by": "phone", "phone": "06 12 34 56 02"})
    assert response["Location"] == "/mot-de-passe/oublie/code/"
    assert sms_outbox.last_to(user.customer.phone)


def test_a_number_that_cannot_be_a_phone_is_refused_and_nothing_claims_a_send(sms_outbox) -> None:
    page = Client().post("/mot-de-passe/oublie/", {"by": "phone", "phone": "12"}).content.decode()
    assert "pas valide" in page and "06 12 34 56 78" in page
    assert "vient d'être envoyé" not in page and sms_outbox.messages() == []


def test_the_forgotten_password_page_opens_without_an_error() -> None:
    page = Client().get("/mot-de-passe/oublie/").content.decode()
    assert "obligatoire" not in page and "errorlist" not in page


def test_the_new_caledonian_page_shows_a_new_caledonian_example_number(settings) -> None:
    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()
    page = Client().get("/mot-de-passe/oublie/").content.decode()
    assert "75.12.34" in page and "+336" not in page


def test_recent_activity_page_lists_sign_ins_and_failures() -> None:
    user = make_user()
    client = Client()
    login(client, user.email, "wrong-password")
    login(client, user.email)
    page = client.get("/securite/activite/").content.decode()
    assert "Connexion réussie" in page and "Échec de connexion" in page
