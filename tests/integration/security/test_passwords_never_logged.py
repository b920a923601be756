"""A password is never written anywhere it could leak (DESIGN.md "Security baseline": passwords
"never logged"; OWASP ASVS 2 V7.1.1): every log record at DEBUG, SQL included, and the security
events' data are searched for the raw password during a failed and a successful sign-in, a reset and a
registration."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from django.db import connection
from django.test import Client

from guichet.customers.models import SecurityEvent
from tests.factories import make_contract, make_customer, make_user
from tests.integration.customers.helpers import NEW_PASSWORD, PASSWORD, link_in, login, sms_code

pytestmark = pytest.mark.django_db
WRONG = "Mauvais-Secret-Unique-42!"


@pytest.fixture
def every_log(caplog):
    """Every record at DEBUG, with SQL statements and their parameters logged as in DEBUG mode."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django's own config holds "django" at INFO
    connection.force_debug_cursor = True
    try:
        yield caplog
    finally:
        connection.force_debug_cursor = False


def _assert_nowhere(secret: str, caplog) -> None:
    assert caplog.records, "nothing was captured: the check would prove nothing"
    for record in caplog.records:
        assert secret not in record.getMessage(), record.name
        assert secret not in json.dumps(getattr(record, "params", None), default=str), record.name
    for data in SecurityEvent.objects.values_list("data", flat=True):
        assert secret not in json.dumps(data, default=str)


def test_neither_a_wrong_nor_the_right_password_is_logged_at_sign_in(every_log) -> None:
    user = make_user()
    client = Client()
    assert login(client, user.email, WRONG).status_code == 400
    assert login(client, user.email, PASSWORD).status_code == 302
    assert any("SELECT" in r.getMessage() for r in every_log.records)  # SQL was really logged
    _assert_nowhere(WRONG, every_log)
    _assert_nowhere(PASSWORD, every_log)


def test_the_new_password_chosen_at_reset_is_not_logged(every_log, mailbox, sms_outbox) -> None:
    user = make_user()
    client = Client()
    client.post("/mot-de-passe/oublie/", {"by": "email", "email": user.email})
    path = link_in(mailbox.text(mailbox.last_to(user.email)), "/mot-de-passe/reinitialiser/")
    client.get(path)  # the reset needs the email link and an SMS code (seed 000)
    code = sms_code(sms_outbox.last_to(user.customer.phone)["text"])
    response = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "sms_code": code})
    assert response.status_code == 302
    _assert_nowhere(NEW_PASSWORD, every_log)


def test_the_password_chosen_at_registration_is_not_logged(every_log, mailbox) -> None:
    customer = make_customer(birth_date=date(1980, 2, 29), email="log.check@example.test")
    contract = make_contract(customer)
    client = Client()
    client.post(
        "/inscription/",
        {"contract_number": contract.number, "birth_date": "1980-02-29", "email": customer.email},
    )
    path = link_in(mailbox.text(mailbox.last_to(customer.email)), "/activation/")
    response = client.post(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    _assert_nowhere(NEW_PASSWORD, every_log)


@pytest.mark.parametrize(
    "url",
    ["/connexion/", "/backoffice/login/"],
)
def test_error_reports_hide_every_posted_field_of_the_sign_in_forms(client, url):
    """A 500 report mailed to admins would otherwise carry the password typed in the form."""
    from django.views.debug import SafeExceptionReporterFilter

    response = client.post(url, {"email": "x@example.fr", "password": "Secret-Typed-123!"})
    request = response.wsgi_request
    assert request.sensitive_post_parameters == "__ALL__"
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed["password"] != "Secret-Typed-123!"
