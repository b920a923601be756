"""Issue 11, items 3 and 4: a neighbour on the same address must not get a customer suspended (unknown
emails count for nothing, what others do there asks at most an SMS code, and the suspended owner is told
so and how to lift it), and anyone who knows an email can still lock it for 30 minutes, but the owner
lifts the lock at once with an SMS code from a browser that signed in before."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.factories import make_user
from tests.integration.customers.helpers import login, sms_code

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
CAFE = "203.0.113.50"
WRONG = "Email ou mot de passe incorrect."


def test_five_unknown_emails_from_a_shared_address_do_not_get_the_next_customer_suspended(
    sms_outbox,
) -> None:
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        assert login(Client(REMOTE_ADDR="192.0.2.10"), user.email).status_code == 302  # at home
        for n in range(5):  # the neighbour, at the café
            login(Client(REMOTE_ADDR=CAFE), f"made-up-{n}@example.test", "whatever")
        victim = Client(REMOTE_ADDR=CAFE)  # the customer's first visit there, on a new browser
        response = login(victim, user.email)
    user.refresh_from_db()
    assert not user.is_suspended
    assert response["Location"] == "/connexion/code/"  # a new browser on a new network: an SMS code
    assert sms_outbox.last_to(user.customer.phone)


def test_other_real_accounts_failing_from_the_same_address_ask_a_code_but_never_suspend(sms_outbox) -> None:
    user = make_user()
    others = [make_user() for _ in range(5)]
    with time_machine.travel(NOON, tick=False):
        assert login(Client(REMOTE_ADDR="192.0.2.10"), user.email).status_code == 302
        for other in others:
            login(Client(REMOTE_ADDR=CAFE), other.email, "wrong-password")
        response = login(Client(REMOTE_ADDR=CAFE), user.email)
    user.refresh_from_db()
    assert not user.is_suspended
    assert response["Location"] == "/connexion/code/"


def test_a_suspended_customer_with_the_right_password_is_told_so_and_how_to_lift_it(
    mailbox, sms_outbox
) -> None:
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        assert login(Client(REMOTE_ADDR="192.0.2.10"), user.email).status_code == 302
    with time_machine.travel(NOON.replace(hour=3) + timedelta(days=1), tick=False):
        login(Client(REMOTE_ADDR=CAFE), user.email)  # new browser, new network, 3 a.m.: suspended
        user.refresh_from_db()
        assert user.is_suspended
        page = login(Client(REMOTE_ADDR="192.0.2.10"), user.email).content.decode()
        wrong_password = login(Client(REMOTE_ADDR="192.0.2.10"), user.email, "not-it").content.decode()
    assert "suspendu" in page and "Mot de passe oublié" in page and WRONG not in page
    assert "suspendu" not in wrong_password and WRONG in wrong_password  # nothing said without the password


def test_the_owner_lifts_a_lockout_at_once_with_an_sms_code_from_a_known_browser(mailbox, sms_outbox) -> None:
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        home = Client(REMOTE_ADDR="192.0.2.10")
        assert login(home, user.email).status_code == 302  # the browser is now known
        home.post("/deconnexion/")
        attacker = Client(REMOTE_ADDR="198.51.100.66")
        for _ in range(3):
            login(attacker, user.email, "guess")
        user.refresh_from_db()
        assert user.locked_until is not None
        assert "appareil que vous avez déjà utilisé" in mailbox.text(mailbox.last_to(user.email))
        # The attacker, even with the right password, stays locked out on an unknown browser.
        assert WRONG in login(attacker, user.email).content.decode()
        response = login(home, user.email)
        assert response["Location"] == "/connexion/code/"
        code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
        assert home.post("/connexion/code/", {"code": code}).status_code == 302
        assert home.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.locked_until is None and user.failed_logins == 0


def test_a_wrong_password_on_a_known_browser_does_not_lift_or_extend_the_lock(mailbox, sms_outbox) -> None:
    user = make_user()
    with time_machine.travel(NOON, tick=False):
        home = Client(REMOTE_ADDR="192.0.2.10")
        assert login(home, user.email).status_code == 302
        home.post("/deconnexion/")
        for _ in range(3):
            login(Client(REMOTE_ADDR="198.51.100.66"), user.email, "guess")
        user.refresh_from_db()
        locked_until = user.locked_until
        response = login(home, user.email, "still-wrong")
    assert WRONG in response.content.decode()
    user.refresh_from_db()
    assert user.locked_until == locked_until
