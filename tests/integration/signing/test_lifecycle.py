"""After the signature: withdrawal within 14 days (L312-19), financing from day 8 (L312-25), TSA outage."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import time_machine

from guichet.documents.models import Document
from guichet.documents.sealing import verify_pdf
from guichet.signing import services
from guichet.signing.exceptions import FundsNotReleasable, NotAllowed, WithdrawalClosed
from guichet.signing.models import Application, SignatureRequest

from .conftest import BROWSER, code_from, walk_to_code

# A Tuesday noon in Paris; the fr profile's time zone is Europe/Paris.
SIGNED_AT = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)


def _signed(signature_request, customer, sms_outbox):
    with time_machine.travel(SIGNED_AT, tick=False):
        walk_to_code(signature_request, customer)
        services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
        return services.sign_document(
            signature_request=signature_request,
            customer=customer,
            code=code_from(sms_outbox, customer),
            client=BROWSER,
        )


def test_withdrawal_deadline_is_fourteen_calendar_days_after_the_signature_day(
    signature_request, customer, sms_outbox
):
    signed = _signed(signature_request, customer, sms_outbox)
    # L312-19: 14 "jours calendaires révolus", the day of acceptance not counted → 24 March inclusive.
    assert signed.withdrawal_deadline == dt.date(2026, 3, 24)


def test_withdrawal_on_the_last_day_is_accepted_and_recorded(signature_request, customer, sms_outbox):
    signed = _signed(signature_request, customer, sms_outbox)
    with time_machine.travel(dt.datetime(2026, 3, 24, 22, 30, tzinfo=dt.UTC), tick=False):  # 23:30 in Paris
        app = services.withdraw(application=signed.application, customer=customer, client=BROWSER)
    assert app.status == Application.Status.WITHDRAWN
    signed.refresh_from_db()
    assert signed.status == SignatureRequest.Status.WITHDRAWN
    assert signed.evidence.content["events"][-1]["kind"] == "withdrawn"
    assert signed.evidence.content["withdrawal"]["withdrawn_at"]


def test_withdrawal_after_fourteen_days_is_refused(signature_request, customer, sms_outbox):
    signed = _signed(signature_request, customer, sms_outbox)
    at = dt.datetime(2026, 3, 24, 23, 30, tzinfo=dt.UTC)  # 25 March 00:30 in Paris
    with time_machine.travel(at, tick=False), pytest.raises(WithdrawalClosed):
        services.withdraw(application=signed.application, customer=customer, client=BROWSER)
    assert Application.objects.get(pk=signed.application_id).status == Application.Status.SIGNED


def test_financing_before_the_eighth_day_is_refused(signature_request, customer, supervisor, sms_outbox):
    signed = _signed(signature_request, customer, sms_outbox)
    day_7 = dt.datetime(2026, 3, 17, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(day_7, tick=False), pytest.raises(FundsNotReleasable, match="L312-25"):
        services.confirm_financing(application=signed.application, confirmed_by=supervisor)


def test_only_a_supervisor_confirms_financing(signature_request, customer, advisor, sms_outbox):
    signed = _signed(signature_request, customer, sms_outbox)
    day_8 = dt.datetime(2026, 3, 18, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(day_8, tick=False), pytest.raises(NotAllowed):
        services.confirm_financing(application=signed.application, confirmed_by=advisor)


def test_financing_opens_the_contract_sends_the_email_and_delivers_the_letter(
    signature_request, customer, supervisor, sms_outbox, mailbox
):
    signed = _signed(signature_request, customer, sms_outbox)
    with time_machine.travel(dt.datetime(2026, 3, 18, 9, 0, tzinfo=dt.UTC), tick=False):
        contract = services.confirm_financing(application=signed.application, confirmed_by=supervisor)
    app = Application.objects.get(pk=signed.application_id)
    assert app.status == Application.Status.FINANCED and app.contract_number == contract.number
    assert contract.principal_minor == app.amount_minor and contract.status == "open"
    assert contract.participants.filter(customer=customer).exists()
    message = mailbox.last_to(customer.email)
    assert "Votre espace client est prêt !" in message["Subject"]
    body = mailbox.text(message)
    assert "Confirmation de financement" in body and "Mes documents" in body
    letter = Document.objects.get(customer=customer, kind="funding_confirmation")
    assert letter.contract_id == contract.pk


def test_unreachable_timestamp_authority_seals_without_timestamp_and_says_so(
    settings, signature_request, customer, sms_outbox
):
    with socket.socket() as s:  # a local port nobody listens on: connection refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.GUICHET_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    signed = _signed(signature_request, customer, sms_outbox)
    assert signed.timestamp == "unavailable"
    seal = signed.evidence.content["seal"]
    assert seal["timestamp"] == "unavailable" and seal["tsa_url"].endswith("/tsa") and seal["timestamp_error"]
    assert seal["level"] == "B-B"
    check = verify_pdf(signed.signed_document.open("rb").read())
    assert check.valid and not check.timestamped


def test_the_withdraw_button_is_offered_exactly_while_withdraw_would_accept(
    signature_request, customer, sms_outbox
):
    signed = _signed(signature_request, customer, sms_outbox)
    last_evening = dt.datetime(2026, 3, 24, 22, 30, tzinfo=dt.UTC)  # 23:30 in Paris, the last day
    next_night = dt.datetime(2026, 3, 24, 23, 30, tzinfo=dt.UTC)  # 25 March 00:30 in Paris
    app = signed.application
    assert services.withdrawal_allowed(application=app, signed=signed, now=last_evening)
    assert not services.withdrawal_allowed(application=app, signed=signed, now=next_night)
    assert not services.withdrawal_allowed(application=app, signed=None, now=last_evening)
    with time_machine.travel(last_evening, tick=False):
        services.withdraw(application=app, customer=customer, client=BROWSER)
    app.refresh_from_db()
    assert not services.withdrawal_allowed(application=app, signed=signed, now=last_evening)
