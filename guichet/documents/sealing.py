"""The lender's electronic seal on PDFs (PAdES with pyHanko) and its verification.

``seal_pdf`` signs with the lender's seal certificate (settings ``GUICHET_SEAL_KEY`` /
``GUICHET_SEAL_CERT``, chain ``GUICHET_SEAL_CA``) and asks the timestamp authority at
``GUICHET_TSA_URL`` for an RFC 3161 token when one is configured (PAdES B-T, else B-B).

When the TSA is configured but unreachable, the document is still sealed, without the
timestamp (B-B), and the outcome says ``timestamp="unavailable"`` with the error: the customer
has already typed a single-use code, and the signing instant is also proved by the signed
``signingTime`` attribute and the evidence log. Callers record that outcome in the evidence.

``verify_pdf`` re-validates the last signature against the lender's CA: ``intact`` is the
cryptographic check of the signed bytes (a flipped byte makes it False), ``valid`` adds the
certificate chain and that nothing was appended after the seal.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from guichet.audit import trail

logger = logging.getLogger(__name__)
T = TypeVar("T")

FIELD_NAME = "GuichetCachet"


class SealingError(RuntimeError):
    """The document could not be sealed (missing certificate, unreadable PDF)."""


class SealCertificateMissing(SealingError):
    """No seal key/certificate at the configured paths."""


@dataclass(frozen=True)
class SealOutcome:
    """A sealed PDF and what happened to its timestamp: ``applied``, ``unavailable`` or ``not_configured``."""

    pdf: bytes
    timestamp: str
    tsa_url: str = ""
    timestamp_error: str = ""


@dataclass(frozen=True)
class SealCheck:
    intact: bool
    valid: bool
    signer: str
    signed_at: datetime | None
    timestamped: bool
    message: str


def _outside_event_loop(fn: Callable[[], T]) -> T:
    """Run ``fn`` here, or in a worker thread when this thread already runs an asyncio loop.

    pyHanko's synchronous API calls ``asyncio.run``, which refuses to start inside a running loop
    (an ASGI worker, Playwright's sync API in tests).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


def _paths() -> tuple[Path, Path, Path]:
    key = Path(settings.GUICHET_SEAL_KEY)
    cert = Path(settings.GUICHET_SEAL_CERT)
    ca = Path(getattr(settings, "GUICHET_SEAL_CA", "") or cert.parent / "ca-cert.pem")
    return key, cert, ca


def _signer():
    from pyhanko.sign import signers

    key, cert, ca = _paths()
    if not key.exists() or not cert.exists():
        raise SealCertificateMissing(
            f"Aucun certificat de cachet en {cert} : lancez « manage.py make_seal_certificate »."
        )
    chain = (str(ca),) if ca.exists() else None
    return signers.SimpleSigner.load(str(key), str(cert), ca_chain_files=chain)


def _free_field_name(writer) -> str:
    """``GuichetCachet`` for the first seal, then ``GuichetCachet2``…: a co-borrower's seal goes on top."""
    count = len(writer.prev.embedded_signatures)
    return FIELD_NAME if count == 0 else f"{FIELD_NAME}{count + 1}"


def _sign(pdf: bytes, *, reason: str, location: str, timestamper) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=_free_field_name(writer),
        reason=reason,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(meta, signer=_signer(), timestamper=timestamper)
    return _outside_event_loop(lambda: pdf_signer.sign_pdf(writer).getvalue())


def seal_pdf_with_outcome(pdf: bytes, *, reason: str, location: str = "") -> SealOutcome:
    """Seal ``pdf``; with a TSA configured but unreachable, seal without timestamp (see module doc)."""
    if not pdf.startswith(b"%PDF-"):
        raise SealingError("Le document à sceller n'est pas un PDF.")
    tsa_url = getattr(settings, "GUICHET_TSA_URL", "")
    if not tsa_url:
        return SealOutcome(
            pdf=_sign(pdf, reason=reason, location=location, timestamper=None), timestamp="not_configured"
        )
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    timeout = int(getattr(settings, "GUICHET_TSA_TIMEOUT_SECONDS", 10))
    try:
        sealed = _sign(
            pdf, reason=reason, location=location, timestamper=HTTPTimeStamper(tsa_url, timeout=timeout)
        )
    except (TimestampRequestError, OSError) as exc:
        # requests' errors are OSError subclasses; a TSA outage must not make the signature impossible.
        logger.warning("TSA %s unreachable, sealing without timestamp: %s", tsa_url, exc)
        sealed = _sign(pdf, reason=reason, location=location, timestamper=None)
        return SealOutcome(
            pdf=sealed, timestamp="unavailable", tsa_url=tsa_url, timestamp_error=str(exc)[:300]
        )
    return SealOutcome(pdf=sealed, timestamp="applied", tsa_url=tsa_url)


def seal_pdf(pdf: bytes, *, reason: str, location: str = "") -> bytes:
    """Seal ``pdf`` with the lender's certificate (PAdES); see ``seal_pdf_with_outcome`` for the TSA rule."""
    return seal_pdf_with_outcome(pdf, reason=reason, location=location).pdf


def _trust_roots() -> list:
    from asn1crypto import pem, x509

    _key, cert, ca = _paths()
    source = ca if ca.exists() else cert
    if not source.exists():
        raise SealCertificateMissing(f"Aucun certificat de confiance en {source}.")
    return [x509.Certificate.load(der) for _t, _h, der in pem.unarmor(source.read_bytes(), multiple=True)]


def _refused(message: str, *, intact: bool = False, signer: str = "") -> SealCheck:
    return SealCheck(
        intact=intact, valid=False, signer=signer, signed_at=None, timestamped=False, message=message
    )


def _common_name(cert) -> str:
    if cert is None:
        return ""
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)


def verify_pdf(pdf: bytes) -> SealCheck:
    """Re-validate the last signature of ``pdf`` against the lender's CA; never raises on a bad file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:  # a damaged file may break the parser in many ways; it is simply not valid.
        return _refused(_("Le fichier n'est pas un PDF lisible (%(error)s).") % {"error": type(exc).__name__})
    if not signatures:
        return _refused(_("Le document ne porte aucune signature électronique."))
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
    try:
        status = _outside_event_loop(lambda: validate_pdf_signature(signatures[-1], context))
    except Exception as exc:  # a corrupted CMS blob raises instead of returning a status.
        return _refused(_("La signature est illisible (%(error)s).") % {"error": type(exc).__name__})
    signer = _common_name(status.signing_cert)
    timestamped = status.timestamp_validity is not None
    signed_at = status.timestamp_validity.timestamp if timestamped else status.signer_reported_dt
    covers_all = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not status.intact or not status.valid:
        return _refused(
            _("Le document a été modifié après sa signature : l'empreinte ne correspond plus."), signer=signer
        )
    if not status.trusted:
        return _refused(
            _("Le certificat du signataire n'est pas reconnu par le prêteur."), intact=True, signer=signer
        )
    if not covers_all:
        return _refused(
            _("Des données ont été ajoutées au document après sa signature."), intact=True, signer=signer
        )
    return SealCheck(
        intact=True,
        valid=True,
        signer=signer,
        signed_at=signed_at,
        timestamped=timestamped,
        message=_("Signature valide : le document est intact depuis son scellement."),
    )


def verify_pdf_for_staff(pdf: bytes, *, by: object) -> SealCheck:
    """``verify_pdf`` for a staff member: the check, the file's SHA-256 and the outcome are in the
    staff audit trail."""
    check = verify_pdf(pdf)
    trail.record_if_staff(
        by=by,
        action="verify_signature",
        target=hashlib.sha256(pdf).hexdigest()[:32],
        valid=check.valid,
        intact=check.intact,
    )
    return check


def seal_certificate_info() -> dict[str, str]:
    """Subject and SHA-256 fingerprint of the seal certificate, recorded in evidence files."""
    from cryptography import x509

    _key, cert_path, _ca = _paths()
    if not cert_path.exists():
        raise SealCertificateMissing(f"Aucun certificat de cachet en {cert_path}.")
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "sha256": hashlib.sha256(cert.public_bytes(_der())).hexdigest(),
        "not_after": cert.not_valid_after_utc.isoformat(),
    }


def ensure_seal_ready() -> None:
    """Raise ``SealCertificateMissing`` now rather than after a customer's single-use code is spent."""
    key, cert, _ca = _paths()
    if not key.exists() or not cert.exists():
        raise SealCertificateMissing(
            f"Aucun certificat de cachet en {cert} : lancez « manage.py make_seal_certificate »."
        )


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER
