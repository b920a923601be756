"""The signing journey at the service level: the happy path and every refusal the issue lists."""

from __future__ import annotations

import json

import pytest

from guichet.customers.codes import verify_code
from guichet.customers.exceptions import CodeInvalid, CodeUsed
from guichet.documents.models import Document
from guichet.documents.sealing import verify_pdf
from guichet.signing import services
from guichet.signing.exceptions import DocumentChanged, JourneyIncomplete, SignatureNotPending
from guichet.signing.models import Application, SignatureRequest

from .conftest import BROWSER, code_from, served, walk_to_code


def _sign(req, customer, sms_outbox):
    walk_to_code(req, customer)
    services.send_signature_code(signature_request=req, customer=customer, client=BROWSER)
    return services.sign_document(
        signature_request=req, customer=customer, code=code_from(sms_outbox, customer), client=BROWSER
    )


def test_signed_contract_is_sealed_delivered_and_has_evidence(signature_request, customer, sms_outbox):
    signed = _sign(signature_request, customer, sms_outbox)

    assert signed.status == SignatureRequest.Status.SIGNED
    assert Application.objects.get(pk=signed.application_id).status == Application.Status.SIGNED
    pdf = signed.signed_document.open("rb").read()
    check = verify_pdf(pdf)
    assert check.intact and check.valid, check.message
    doc = Document.objects.get(customer=customer, kind="signed_contract")
    assert doc.sha256 == signed.signed_sha256
    evidence = json.loads(signed.evidence.json_file.open("rb").read())
    assert evidence["document"]["sha256_before"] == signature_request.document_sha256
    assert evidence["document"]["sha256_after"] == signed.signed_sha256
    assert (
        evidence["consent"]["version"] and "clause de désignation bénéficiaire" in evidence["consent"]["text"]
    )
    kinds = [e["kind"] for e in evidence["events"]]
    pages = ["image_served"] * signature_request.page_count
    assert kinds == [
        "requested",
        "contact_confirmed",  # seed 003, step 1: email and mobile confirmed before anything else
        "page_served",
        *pages,
        "viewed",
        "scrolled_to_end",
        "consent_ticked",
        "code_sent",
        "code_verified",
        "signed",
    ]
    assert all(e["ip"] == "203.0.113.7" for e in evidence["events"][1:])
    assert evidence["seal"]["timestamp"] == "not_configured"


def test_code_length_follows_the_lender_profile(settings, signature_request, customer, sms_outbox):
    # data/lenders/nc.toml: signature_code_length = 4 (seed 003: "un code à 4 chiffres par SMS").
    settings.GUICHET_LENDER = "nc"
    walk_to_code(signature_request, customer)
    services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
    assert len(code_from(sms_outbox, customer)) == 4


def test_signing_without_scrolling_or_consent_is_refused_by_the_server(signature_request, customer):
    served(signature_request, customer)
    services.record_view(signature_request=signature_request, customer=customer, client=BROWSER)
    with pytest.raises(JourneyIncomplete):
        services.record_consent(signature_request=signature_request, customer=customer, client=BROWSER)
    with pytest.raises(JourneyIncomplete):
        services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
    with pytest.raises(JourneyIncomplete):
        services.sign_document(
            signature_request=signature_request, customer=customer, code="1234", client=BROWSER
        )
    signature_request.refresh_from_db()
    assert signature_request.status == SignatureRequest.Status.PENDING


def test_code_issued_for_another_document_is_refused(application, advisor, customer, sms_outbox):
    from guichet.signing.services import create_application, request_signature

    other_app = create_application(
        customer=customer,
        product_code="pret_personnel",
        amount=application.amount,
        term_months=12,
        created_by=advisor,
        debit_rate=application.debit_rate,
    )
    first = request_signature(application=application, requested_by=advisor)
    second = request_signature(application=other_app, requested_by=advisor)
    walk_to_code(first, customer)
    walk_to_code(second, customer)
    services.send_signature_code(signature_request=first, customer=customer, client=BROWSER)
    with pytest.raises(CodeInvalid):
        services.sign_document(
            signature_request=second, customer=customer, code=code_from(sms_outbox, customer), client=BROWSER
        )
    second.refresh_from_db()
    assert second.status == SignatureRequest.Status.PENDING
    assert second.events.filter(kind="code_failed").exists()


def test_replayed_code_is_refused(signature_request, customer, sms_outbox):
    _sign(signature_request, customer, sms_outbox)
    code = code_from(sms_outbox, customer)
    signature_request.refresh_from_db()
    with pytest.raises(SignatureNotPending):
        services.sign_document(
            signature_request=signature_request, customer=customer, code=code, client=BROWSER
        )
    # The code itself is spent: presenting it again for the same document is a replay.
    with pytest.raises(CodeUsed):
        verify_code(
            purpose="signature", bound_to=signature_request.document_sha256, code=code, customer=customer
        )


def test_replayed_code_on_a_new_version_of_the_document_is_refused(
    application, advisor, signature_request, customer, sms_outbox
):
    walk_to_code(signature_request, customer)
    services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
    old_code = code_from(sms_outbox, customer)
    # The advisor issues a new version: the code was bound to the SHA-256 of the old one.
    new = services.request_signature(application=application, requested_by=advisor)
    walk_to_code(new, customer)
    with pytest.raises(CodeInvalid):
        services.sign_document(signature_request=new, customer=customer, code=old_code, client=BROWSER)


def test_document_altered_after_the_code_was_sent_cannot_be_signed(signature_request, customer, sms_outbox):
    walk_to_code(signature_request, customer)
    services.send_signature_code(signature_request=signature_request, customer=customer, client=BROWSER)
    path = signature_request.document.path
    with open(path, "rb") as fh:
        data = bytearray(fh.read())
    data[-20] ^= 0x01
    with open(path, "wb") as fh:
        fh.write(bytes(data))
    with pytest.raises((CodeInvalid, DocumentChanged)):
        services.sign_document(
            signature_request=signature_request,
            customer=customer,
            code=code_from(sms_outbox, customer),
            client=BROWSER,
        )
    signature_request.refresh_from_db()
    assert signature_request.status == SignatureRequest.Status.PENDING
