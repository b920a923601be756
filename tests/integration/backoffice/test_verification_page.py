"""The back office's seal verification page: advisors, supervisors and compliance officers upload a PDF
and see whether the lender's seal is intact; a tampered copy is reported, customers are refused, and
every check is in the staff audit trail."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.backoffice.models import StaffAction
from guichet.documents.sealing import seal_pdf
from guichet.signing.certificates import make_demo_certificates
from tests.factories import make_staff, make_user

from .helpers import pdf_bytes, staff_session

pytestmark = pytest.mark.django_db
URL = reverse("backoffice:verify_signature")


@pytest.fixture
def sealed(settings, tmp_path) -> bytes:
    files = make_demo_certificates(directory=tmp_path / "seal", organisation="Crédit Démo Vérif")
    settings.GUICHET_SEAL_KEY, settings.GUICHET_SEAL_CERT, settings.GUICHET_SEAL_CA = (
        files.key,
        files.cert,
        files.ca,
    )
    settings.GUICHET_TSA_URL = ""
    return seal_pdf(pdf_bytes(), reason="Test")


def _upload(client, data: bytes):
    return client.post(URL, {"pdf": SimpleUploadedFile("contrat.pdf", data, content_type="application/pdf")})


@pytest.mark.parametrize("role", ["advisor", "supervisor", "compliance"])
def test_staff_of_every_role_can_verify_a_sealed_pdf(client, sealed, role):
    staff_session(client, make_staff(role=role))
    body = _upload(client, sealed).content.decode()
    assert "Signature valide" in body and "Crédit Démo Vérif" in body
    action = StaffAction.objects.get(action="verify_signature", allowed=True)
    assert action.detail == {"valid": True, "intact": True}


def test_a_pdf_with_one_byte_flipped_is_reported_as_modified(client, sealed):
    staff_session(client, make_staff(role="compliance"))
    tampered = bytearray(sealed)
    tampered[400] ^= 0x01
    body = _upload(client, bytes(tampered)).content.decode()
    assert "Signature non valide" in body
    assert StaffAction.objects.get(action="verify_signature").detail["valid"] is False


def test_a_customer_cannot_reach_the_staff_verification_page(client, sealed):
    client.force_login(make_user())
    assert _upload(client, sealed).status_code == 403


def test_no_file_is_refused_with_a_message(client):
    staff_session(client, make_staff(role="advisor"))
    response = client.post(URL, {})
    assert response.status_code == 400 and "10 Mo" in response.content.decode()
