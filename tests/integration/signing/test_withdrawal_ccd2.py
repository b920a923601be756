"""Withdrawal under CCD2 (L312-19 as rewritten by ordonnance n° 2025-880, offers from 20 November 2026):
fourteen calendar days from the later of the conclusion and the receipt of the contractual information;
the deadline shown, the evidence file and the release of funds (L312-25) all follow it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from guichet.signing import services
from guichet.signing.exceptions import FundsNotReleasable, InvalidApplication
from guichet.signing.models import Application

from .conftest import BROWSER, code_from, walk_to_code

OFFERED_AT = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
SIGNED_AT = dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.UTC)  # Tuesday noon in Paris
LATE_INFO_AT = dt.datetime(2026, 12, 5, 15, 0, tzinfo=dt.UTC)


def _signed(signature_request, customer, sms_outbox):
    Application.objects.filter(pk=signature_request.application_id).update(created_at=OFFERED_AT)
    with time_machine.travel(SIGNED_AT, tick=False):
        walk_to_code(signature_request, customer)
        services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
        return services.sign_document(
            signature_request=signature_request,
            customer=customer,
            code=code_from(sms_outbox, customer),
            client=BROWSER,
        )


def test_the_information_delivered_with_the_signed_contract_is_recorded_and_starts_the_period(
    signature_request, customer, sms_outbox
):
    signed = _signed(signature_request, customer, sms_outbox)
    assert signed.application.information_delivered_at == SIGNED_AT
    assert signed.withdrawal_deadline == dt.date(2026, 12, 15)
    withdrawal = signed.evidence.content["withdrawal"]
    assert withdrawal["information_delivered_at"].startswith("2026-12-01")
    assert "réception des informations contractuelles" in withdrawal["legal_basis"]


def test_withdrawal_deadline_runs_from_the_information_date_when_it_comes_after_the_signature(
    signature_request, customer, sms_outbox
):
    signed = _signed(signature_request, customer, sms_outbox)
    services.record_information_delivered(application=signed.application, at=LATE_INFO_AT)
    signed.refresh_from_db()
    # Information received on 5 December → 14 calendar days → 19 December inclusive (not 15 December).
    assert signed.withdrawal_deadline == dt.date(2026, 12, 19)
    with time_machine.travel(dt.datetime(2026, 12, 18, 12, 0, tzinfo=dt.UTC), tick=False):
        app = services.withdraw(application=signed.application, customer=customer, client=BROWSER)
    assert app.status == Application.Status.WITHDRAWN
    signed.refresh_from_db()
    assert signed.evidence.content["withdrawal"]["deadline"] == "2026-12-19"


def test_funds_wait_seven_days_from_the_late_information_and_never_go_before_it(
    signature_request, customer, supervisor, sms_outbox
):
    signed = _signed(signature_request, customer, sms_outbox)
    Application.objects.filter(pk=signed.application_id).update(information_delivered_at=None)
    with (
        time_machine.travel(dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC), tick=False),
        pytest.raises(InvalidApplication, match="informations contractuelles"),
    ):
        services.confirm_financing(application=signed.application, confirmed_by=supervisor)
    services.record_information_delivered(application=signed.application, at=LATE_INFO_AT)
    # Day 8 after the signature (9 December) is too early: the seven days run from 5 December.
    with (
        time_machine.travel(dt.datetime(2026, 12, 12, 9, 0, tzinfo=dt.UTC), tick=False),
        pytest.raises(FundsNotReleasable),
    ):
        services.confirm_financing(application=signed.application, confirmed_by=supervisor)
    with time_machine.travel(dt.datetime(2026, 12, 13, 9, 0, tzinfo=dt.UTC), tick=False):
        contract = services.confirm_financing(application=signed.application, confirmed_by=supervisor)
    assert contract.status == "open"


def test_an_offer_made_before_20_november_2026_keeps_the_old_fourteen_days_from_acceptance(
    signature_request, customer, sms_outbox
):
    Application.objects.filter(pk=signature_request.application_id).update(
        created_at=dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
    )
    with time_machine.travel(SIGNED_AT, tick=False):
        walk_to_code(signature_request, customer)
        services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
        signed = services.sign_document(
            signature_request=signature_request,
            customer=customer,
            code=code_from(sms_outbox, customer),
            client=BROWSER,
        )
    services.record_information_delivered(application=signed.application, at=LATE_INFO_AT)
    signed.refresh_from_db()
    assert signed.withdrawal_deadline == dt.date(2026, 12, 15)


@pytest.mark.parametrize(
    ("offered_at", "wording"),
    [
        (OFFERED_AT, "si elle est postérieure, de la réception des conditions contractuelles"),
        (dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC), "à compter du jour de votre acceptation"),
    ],
)
def test_the_offer_states_the_withdrawal_start_of_its_regime(application, offered_at, wording):
    from guichet.signing.paperwork import render_offer
    from tests.integration.portal.helpers import pdf_text

    Application.objects.filter(pk=application.pk).update(created_at=offered_at)
    application.refresh_from_db()
    pdf, _, _ = render_offer(application=application, reference="TEST", language="fr")
    assert wording in pdf_text(pdf)
