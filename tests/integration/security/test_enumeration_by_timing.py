"""Issue 11, item 2: self-registration and "mot de passe oublié" answered an unknown contract or email
about 4x slower than a known one, because only the unknown branch verified an Argon2 hash. Both branches
must do the same work: here, the same number of Argon2 verifications (a count, not a stopwatch)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from guichet.customers.models import User
from tests.factories import make_contract, make_customer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def argon2_calls(monkeypatch) -> list[int]:
    calls: list[int] = []
    verify = Argon2PasswordHasher.verify

    def counting(self, password, encoded):
        calls.append(1)
        return verify(self, password, encoded)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", counting)
    return calls


def _work(calls: list[int], action) -> int:
    before = len(calls)
    response = action()
    assert response.status_code in (200, 302)
    return len(calls) - before


def test_self_registration_does_the_same_argon2_work_for_a_known_and_an_unknown_contract(
    argon2_calls, mailbox
) -> None:
    customer = make_customer(birth_date=date(1980, 2, 29), email="timing.register@example.test")
    contract = make_contract(customer)
    client = Client()

    def register(number: str, email: str):
        return lambda: client.post(
            "/inscription/", {"contract_number": number, "birth_date": "29/02/1980", "email": email}
        )

    known = _work(argon2_calls, register(contract.number, customer.email))
    unknown = _work(argon2_calls, register("9999999999", "nobody@example.test"))
    assert len(mailbox.to(customer.email)) == 1  # the known branch really did its own work too
    assert known == unknown >= 1


def test_forgotten_password_does_the_same_argon2_work_for_a_known_and_an_unknown_email(
    argon2_calls, mailbox
) -> None:
    user = make_user()
    client = Client()

    def forgot(email: str):
        return lambda: client.post("/mot-de-passe/oublie/", {"by": "email", "email": email})

    known = _work(argon2_calls, forgot(user.email))
    unknown = _work(argon2_calls, forgot("nobody@example.test"))
    assert mailbox.to(user.email)
    assert known == unknown >= 1


def test_forgotten_password_by_phone_does_the_same_argon2_work_for_a_known_and_an_unknown_number(
    argon2_calls, sms_outbox
) -> None:
    user: User = make_user()
    client = Client()

    def forgot(phone: str):
        return lambda: client.post("/mot-de-passe/oublie/", {"by": "phone", "phone": phone})

    known = _work(argon2_calls, forgot(user.customer.phone))
    unknown = _work(argon2_calls, forgot("+33699999999"))
    assert known == unknown >= 1
