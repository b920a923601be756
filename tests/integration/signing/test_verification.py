"""Seal verification: the command and the page re-validate a signed PDF and detect any tampering."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from guichet.documents.sealing import seal_pdf, verify_pdf


@pytest.fixture
def sealed_pdf() -> bytes:
    from guichet.documents import render_pdf

    pdf = render_pdf(
        template="signing/pdf/evidence.html",
        context={"ev": {"events": []}, "issued_on": date(2026, 3, 10)},
        language="fr",
    )
    return seal_pdf(pdf, reason="Test", location="Lille")


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


def test_sealed_pdf_verifies_as_intact_and_trusted(sealed_pdf):
    check = verify_pdf(sealed_pdf)
    assert check.intact and check.valid and "cachet" in check.signer


def test_flipping_one_byte_of_a_sealed_pdf_fails_verification(sealed_pdf):
    check = verify_pdf(_flip(sealed_pdf, 400))
    assert not check.intact and not check.valid


def test_bytes_appended_after_the_seal_fail_verification(sealed_pdf):
    check = verify_pdf(sealed_pdf + b"\n1 0 obj << >> endobj\n")
    assert not check.valid


def test_seal_by_an_unknown_certificate_is_not_trusted(settings, sealed_pdf, tmp_path):
    from guichet.signing.certificates import make_demo_certificates

    other = make_demo_certificates(directory=tmp_path / "other", organisation="Faussaire")
    settings.GUICHET_SEAL_CA = other.ca
    check = verify_pdf(sealed_pdf)
    assert check.intact and not check.valid


def test_verify_signature_command_accepts_a_sealed_pdf_and_rejects_a_tampered_one(
    sealed_pdf, tmp_path, capsys
):
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(sealed_pdf)
    bad.write_bytes(_flip(sealed_pdf, 400))
    call_command("verify_signature", str(good))
    assert "valid: yes" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("verify_signature", str(bad))
    assert "intact: no" in capsys.readouterr().out


def test_make_seal_certificate_writes_files_that_seal_and_verify(settings, tmp_path):
    settings.GUICHET_SEAL_CERT = tmp_path / "seal" / "seal-cert.pem"
    settings.GUICHET_SEAL_KEY = tmp_path / "seal" / "seal-key.pem"
    settings.GUICHET_SEAL_CA = tmp_path / "seal" / "ca-cert.pem"
    call_command("make_seal_certificate")
    from guichet.documents import render_pdf

    pdf = render_pdf(
        template="signing/pdf/evidence.html",
        context={"ev": {"events": []}, "issued_on": date(2026, 3, 10)},
        language="fr",
    )
    assert verify_pdf(seal_pdf(pdf, reason="Test")).valid
    with pytest.raises(CommandError):
        call_command("make_seal_certificate")
