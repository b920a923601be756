"""Sign-in rules: lockout, per-IP rate limit, no enumeration, session rotation, CSRF, safe `next=`,
staff kept out, inactivity and absolute session limits, logout everywhere (issue 4, DESIGN.md baseline)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from guichet.customers.models import SecurityEvent, User
from tests.factories import make_staff, make_user

from .helpers import PASSWORD, login

pytestmark = pytest.mark.django_db
WRONG = "Email ou mot de passe incorrect."


def test_correct_password_signs_in_and_redirects_home(client: Client) -> None:
    user = make_user()
    response = login(client, user.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert SecurityEvent.objects.filter(user=user, kind="login_ok").exists()


def test_lockout_after_three_failures_gives_the_same_message_as_a_wrong_password(
    client: Client, mailbox
) -> None:
    user = make_user()
    for _ in range(3):
        response = login(client, user.email, "wrong-password")
        assert WRONG in response.content.decode()
    user.refresh_from_db()
    assert user.locked_until is not None
    response = login(client, user.email)  # the right password, during the lockout
    assert response.status_code == 400
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(user=user, kind="lockout").count() == 1
    assert "bloqué pendant 30 minutes" in mailbox.text(mailbox.last_to(user.email))


def test_lockout_ends_after_profile_minutes(client: Client, mailbox) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            login(client, user.email, "wrong-password")
        traveller.shift(timedelta(minutes=29))
        assert login(client, user.email).status_code == 400
        traveller.shift(timedelta(minutes=2))
        assert login(client, user.email).status_code == 302


def test_per_ip_rate_limit_refuses_the_21st_attempt_in_ten_minutes(client: Client) -> None:
    user = make_user()
    for n in range(20):
        login(client, f"nobody{n}@example.test", "x")
    response = login(client, user.email)
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other_ip = Client(REMOTE_ADDR="198.51.100.7")
    assert login(other_ip, user.email).status_code == 302


def test_unknown_email_gets_exactly_the_answer_of_a_wrong_password(client: Client) -> None:
    user = make_user()
    unknown = login(client, "nobody@example.test", "Whatever-2026!").content.decode()
    wrong = login(client, user.email, "Whatever-2026!").content.decode()
    assert WRONG in unknown and WRONG in wrong

    def strip(html: str) -> str:  # the typed email and the masked CSRF token differ by construction
        html = html.replace("nobody@example.test", "").replace(user.email, "")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert strip(unknown) == strip(wrong)


def test_session_key_changes_at_login(client: Client) -> None:
    user = make_user()
    client.get("/connexion/")
    session = client.session
    session["planted"] = "1"
    session.save()
    before = session.session_key
    login(client, user.email)
    assert client.session.session_key != before


def test_login_post_without_csrf_token_is_refused() -> None:
    user = make_user()
    strict = Client(enforce_csrf_checks=True)
    response = login(strict, user.email)
    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_next_to_another_site_is_ignored(client: Client) -> None:
    user = make_user()
    response = client.post(
        "/connexion/?next=https://evil.example/steal", {"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    client.logout()
    response = client.post(
        "/connexion/", {"email": user.email, "password": PASSWORD, "next": "//evil.example/"}
    )
    assert not response["Location"].startswith("//")


def test_next_on_this_site_is_followed(client: Client) -> None:
    user = make_user()
    response = client.post(
        "/connexion/", {"email": user.email, "password": PASSWORD, "next": "/securite/activite/"}
    )
    assert response["Location"] == "/securite/activite/"


def test_staff_account_cannot_sign_in_to_the_customer_space(client: Client) -> None:
    staff = make_staff()
    response = login(client, staff.email)
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client: Client) -> None:
    user = make_user()
    login(client, user.email)
    assert client.get("/deconnexion/").status_code == 405
    client.post("/deconnexion/")
    assert "_auth_user_id" not in client.session


def test_logout_everywhere_ends_the_sessions_of_other_devices(time_machine) -> None:
    # At 10:00 in Paris: after midnight the second device's sign-in is "unusual hour" + "new device"
    # and asks for an SMS code, so the laptop would never be signed in.
    time_machine.move_to(datetime(2026, 12, 15, 9, 0, tzinfo=UTC), tick=True)
    user = make_user()
    phone, laptop = Client(), Client()
    login(phone, user.email)
    login(laptop, user.email)
    assert laptop.get("/securite/activite/").status_code == 200
    phone.post("/deconnexion/partout/")
    assert laptop.get("/securite/activite/").status_code == 302
    assert SecurityEvent.objects.filter(user=user, kind="logout_all").exists()


def test_inactivity_ends_the_session_after_profile_minutes_and_polls_do_not_count(client: Client) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, user.email)
        assert client.get("/securite/activite/").status_code == 200
        traveller.shift(timedelta(minutes=10))
        client.get("/securite/activite/", headers={"X-Guichet-Passive": "1"})  # background poll
        traveller.shift(timedelta(minutes=6))
        response = client.get("/securite/activite/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert "inactivité" in client.get("/connexion/").content.decode()


def test_activity_within_the_limit_keeps_the_session(client: Client) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, user.email)
        for _ in range(3):
            traveller.shift(timedelta(minutes=14))
            assert client.get("/securite/activite/").status_code == 200


def test_absolute_session_limit_applies_even_when_active(client: Client, settings) -> None:
    settings.SESSION_COOKIE_AGE = 3600
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, user.email)
        for _ in range(4):
            traveller.shift(timedelta(minutes=14))
            assert client.get("/securite/activite/").status_code == 200
        traveller.shift(timedelta(minutes=14))
        assert client.get("/securite/activite/").status_code == 302


def test_keepalive_counts_as_activity(client: Client) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, user.email)
        traveller.shift(timedelta(minutes=14))
        assert client.post("/session/prolonger/").status_code == 204
        traveller.shift(timedelta(minutes=14))
        assert client.get("/securite/activite/").status_code == 200


def test_expired_password_leads_to_the_renewal_page(client: Client) -> None:
    user = make_user()
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    response = login(client, user.email)
    assert response["Location"] == "/securite/mot-de-passe/"
    page = client.get(response["Location"]).content.decode()
    assert "Vous devez changer votre mot de passe." in page
    assert client.get("/securite/activite/")["Location"] == "/securite/mot-de-passe/"
