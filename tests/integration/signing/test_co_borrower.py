"""A co-borrower signs too: each borrower with their own SMS code, both bound to the same offer's hash;
the application is signed (and can be financed) only once both have signed, and the final PDF carries
both seals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine

from guichet.credit import Money, currency
from guichet.customers.exceptions import CodeInvalid
from guichet.documents.models import Document
from guichet.documents.sealing import verify_pdf
from guichet.signing import services
from guichet.signing.exceptions import InvalidApplication, NoMobilePhone
from guichet.signing.models import Application, SignatureRequest
from tests.factories import make_customer, make_user

from .conftest import BROWSER, code_from, walk_to_code

SIGNED_AT = dt.datetime(2026, 3, 10, 11, 0, tzinfo=dt.UTC)


@pytest.fixture
def co_borrower(db):
    person = make_customer(phone="+687751255", language="fr", first_name="Noa")
    make_user(person)
    return person


@pytest.fixture
def joint_application(customer, co_borrower, advisor):
    return services.create_application(
        customer=customer,
        co_borrower=co_borrower,
        product_code="pret_personnel",
        product_name="Prêt personnel",
        amount=Money(1_000_000, currency("EUR")),
        term_months=24,
        created_by=advisor,
        debit_rate=Decimal("0.0590"),
    )


def _sign(request, person, sms_outbox):
    walk_to_code(request, person)
    services.send_signature_code(signature_request=request, customer=person, client=BROWSER)
    return services.sign_document(
        signature_request=request, customer=person, code=code_from(sms_outbox, person), client=BROWSER
    )


def _requests(application):
    return {r.customer_id: r for r in application.signature_requests.filter(status="pending")}


def test_each_borrower_gets_a_request_bound_to_the_same_document(joint_application, advisor, co_borrower):
    main = services.request_signature(application=joint_application, requested_by=advisor)
    both = _requests(joint_application)
    assert set(both) == {joint_application.customer_id, co_borrower.pk}
    assert main == both[joint_application.customer_id]
    assert both[co_borrower.pk].document_sha256 == main.document_sha256


def test_a_co_borrower_without_mobile_blocks_the_request(joint_application, advisor, co_borrower):
    co_borrower.phone = ""
    co_borrower.save(update_fields=["phone"])
    with pytest.raises(NoMobilePhone):
        services.request_signature(application=joint_application, requested_by=advisor)
    assert not SignatureRequest.objects.filter(application=joint_application).exists()


def test_the_borrowers_code_does_not_sign_for_the_co_borrower(
    joint_application, advisor, customer, co_borrower, sms_outbox
):
    services.request_signature(application=joint_application, requested_by=advisor)
    both = _requests(joint_application)
    walk_to_code(both[customer.pk], customer)
    services.send_signature_code(signature_request=both[customer.pk], customer=customer, client=BROWSER)
    walk_to_code(both[co_borrower.pk], co_borrower)
    with pytest.raises(CodeInvalid):
        services.sign_document(
            signature_request=both[co_borrower.pk],
            customer=co_borrower,
            code=code_from(sms_outbox, customer),
            client=BROWSER,
        )
    assert SignatureRequest.objects.get(pk=both[co_borrower.pk].pk).status == "pending"


def test_first_signer_is_told_the_contract_waits_for_the_co_borrower(
    client, joint_application, advisor, customer, sms_outbox
):
    from django.urls import reverse

    services.request_signature(application=joint_application, requested_by=advisor)
    first = _sign(_requests(joint_application)[customer.pk], customer, sms_outbox)
    client.force_login(customer.user)
    page = client.get(reverse("portal:sign", args=[first.public_id])).content.decode()
    assert "co-emprunteur" in page


def test_application_is_signed_and_financeable_only_once_both_have_signed(
    joint_application, advisor, supervisor, customer, co_borrower, sms_outbox
):
    services.request_signature(application=joint_application, requested_by=advisor)
    both = _requests(joint_application)
    with time_machine.travel(SIGNED_AT, tick=False):
        _sign(both[customer.pk], customer, sms_outbox)
    joint_application.refresh_from_db()
    assert joint_application.status == Application.Status.AWAITING_SIGNATURE
    with time_machine.travel(SIGNED_AT + dt.timedelta(days=9)), pytest.raises(InvalidApplication):
        services.confirm_financing(application=joint_application, confirmed_by=supervisor)
    assert not Document.objects.filter(customer=customer, kind="signed_contract").exists()
    assert Document.objects.filter(customer=customer, kind="evidence").count() == 1

    with time_machine.travel(SIGNED_AT + dt.timedelta(days=1), tick=False):
        last = _sign(both[co_borrower.pk], co_borrower, sms_outbox)
    joint_application.refresh_from_db()
    assert joint_application.status == Application.Status.SIGNED
    assert joint_application.signed_at == SIGNED_AT + dt.timedelta(days=1)  # acceptance = last signature
    final = last.signed_document.open("rb").read()
    assert verify_pdf(final).valid
    from pyhanko.pdf_utils.reader import PdfFileReader

    assert len(PdfFileReader(BytesIO(final)).embedded_signatures) == 2
    for person in (customer, co_borrower):
        assert Document.objects.filter(customer=person, kind="signed_contract").count() == 1
        assert Document.objects.filter(customer=person, kind="evidence").count() == 1

    with time_machine.travel(SIGNED_AT + dt.timedelta(days=9)):
        contract = services.confirm_financing(application=joint_application, confirmed_by=supervisor)
    roles = set(contract.participants.values_list("customer_id", "role"))
    assert roles == {(customer.pk, "borrower"), (co_borrower.pk, "co_borrower")}
