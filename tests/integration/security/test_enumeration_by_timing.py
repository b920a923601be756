"""Issue 11, item 2: self-registration, "mot de passe oublié" (email or mobile) and the lost-email
recovery answered an unknown account about 4x slower than a known one (an Argon2 verification on one
branch only); after that was evened out, the known branch still sent its email or SMS inline, so a slow
SMTP relay or SMS gateway still told them apart.

Now the page does the same work whatever was typed: it records the attempt and enqueues a task; the
worker looks the account up and sends. Shown here with the production task backend (django-tasks'
database backend), three ways: during the request nothing is sent; the request runs the very same SQL
statements (values aside) for a known and an unknown account, and the same number of Argon2
verifications; then the real worker (`db_worker --batch`) delivers to the known account only, through
the real SMTP server or the SMS outbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tests.factories import make_contract, make_customer, make_user

# The real worker commits and reopens connections, as in production: no test-wide transaction.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|%s")


@pytest.fixture
def queued(settings) -> None:
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def argon2_calls(monkeypatch) -> list[int]:
    calls: list[int] = []
    verify = Argon2PasswordHasher.verify

    def counting(self, password, encoded):
        calls.append(1)
        return verify(self, password, encoded)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", counting)
    return calls


def _shape(action: Callable[[], object], argon2_calls: list[int]) -> tuple[list[str], int]:
    """The SQL the request ran, values blanked out, and how many Argon2 verifications it did."""
    before = len(argon2_calls)
    with CaptureQueriesContext(connection) as ctx:
        response = action()
    assert response.status_code in (200, 302)  # type: ignore[attr-defined]
    return [LITERAL.sub("?", q["sql"]) for q in ctx.captured_queries], len(argon2_calls) - before


def _work_off_the_queue() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_forgotten_password_by_email_does_the_same_work_and_sends_nothing_inline(
    queued, argon2_calls, mailbox
) -> None:
    user = make_user()

    def forgot(email: str):  # a fresh browser each time, as an attacker would
        return lambda: Client().post("/mot-de-passe/oublie/", {"by": "email", "email": email})

    known = _shape(forgot(user.email), argon2_calls)
    unknown = _shape(forgot("nobody@example.test"), argon2_calls)
    assert not mailbox.messages  # nothing left the page: the relay cannot be timed
    assert known == unknown
    assert DBTaskResult.objects.count() == 2  # one task each, known or not

    _work_off_the_queue()
    assert len(mailbox.to(user.email)) == 1
    assert len(mailbox.messages) == 1  # the unknown address got nothing
    # The worker builds the link for the site the request came to, not for a default host.
    assert "http://testserver/mot-de-passe/reinitialiser/" in mailbox.text(mailbox.to(user.email)[0])


def test_forgotten_password_by_phone_does_the_same_work_and_texts_nothing_inline(
    queued, argon2_calls, sms_outbox
) -> None:
    user = make_user()

    def forgot(phone: str):  # a fresh browser each time: the page keeps the number in the session
        return lambda: Client().post("/mot-de-passe/oublie/", {"by": "phone", "phone": phone})

    known = _shape(forgot(user.customer.phone), argon2_calls)
    unknown = _shape(forgot("+33699999999"), argon2_calls)
    assert sms_outbox.messages() == []
    assert known == unknown

    _work_off_the_queue()
    texts = sms_outbox.messages()
    assert [t["to"] for t in texts] == [user.customer.phone]


def test_self_registration_does_the_same_work_and_sends_nothing_inline(queued, argon2_calls, mailbox) -> None:
    customer = make_customer(birth_date=date(1980, 2, 29), email="timing.register@example.test")
    contract = make_contract(customer)

    def register(number: str, email: str):
        return lambda: Client().post(
            "/inscription/", {"contract_number": number, "birth_date": "29/02/1980", "email": email}
        )

    known = _shape(register(contract.number, customer.email), argon2_calls)
    unknown = _shape(register("9999999999", "nobody@example.test"), argon2_calls)
    assert not mailbox.messages
    assert known == unknown

    _work_off_the_queue()
    assert len(mailbox.messages) == 1
    assert len(mailbox.to(customer.email)) == 1


def test_lost_email_recovery_does_the_same_work_and_texts_nothing_inline(
    queued, argon2_calls, sms_outbox
) -> None:
    user = make_user()
    contract = make_contract(user.customer)
    birth = user.customer.birth_date.isoformat()

    def start(phone: str, number: str):
        # A fresh browser each time: the page keeps its step in the session.
        return lambda: Client().post(
            "/email-perdu/", {"phone": phone, "birth_date": birth, "contract_number": number}
        )

    known = _shape(start(user.customer.phone, contract.number), argon2_calls)
    unknown = _shape(start("+33699999999", "9999999999"), argon2_calls)
    assert sms_outbox.messages() == []
    assert known == unknown

    _work_off_the_queue()
    assert [t["to"] for t in sms_outbox.messages()] == [user.customer.phone]
