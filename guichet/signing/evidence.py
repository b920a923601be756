"""The evidence file of a signature: who signed what, when, from where, and how it was sealed.

Events are labelled by source: what the server observed itself (pages and page images it sent, with
their times; forms and codes it received) is kept apart from what the signer's browser reported
("viewed", "scrolled to the end"), so nobody reads a browser's claim as a server's fact (issue 11, 10).

Built from the ``SignatureEvent`` journal at signing and rebuilt on withdrawal. Two files are kept
under the request's private folder: ``evidence.json`` (the reference, its SHA-256 in the row) and
``evidence.pdf`` (a human-readable printout, itself sealed with the lender's certificate).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.credit.consumer_law import Regime
from guichet.documents import sealing
from guichet.lenders.profile import get_profile

from .journal import source_of
from .models import Application, Evidence, SignatureEvent, SignatureRequest
from .paperwork import render_evidence_pdf
from .rules import funds_release_on, regime_of

FORMAT = "guichet-signature-evidence/2"  # /2: each event says its source (server or browser)
SOURCES = {
    "server": "constaté par le serveur (page ou image envoyée, formulaire reçu, code vérifié)",
    "browser": "déclaré par le navigateur du signataire (script de la page), non constaté par le serveur",
}


def mask_phone(phone: str) -> str:
    """ "+687 •• •• 12": the country code and the last two digits, enough for the customer to recognise it."""
    import phonenumbers

    try:
        number = phonenumbers.parse(phone, None)
        prefix = f"+{number.country_code}"
    except phonenumbers.NumberParseException:
        prefix = phone[:3]
    return f"{prefix} •• •• {phone[-2:]}" if len(phone) >= 6 else "••"


def _event(e: SignatureEvent) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "source": source_of(e.kind),
        "at": e.at.astimezone(UTC).isoformat(),
        "ip": e.ip,
        "user_agent": e.user_agent,
        "data": e.data,
    }


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat() if at else None


def _withdrawal_basis(app: Application) -> str:
    if regime_of(app.created_at) is Regime.CCD2:
        return (
            "Code de la consommation, art. L312-19 (ordonnance n° 2025-880) : 14 jours calendaires à compter "
            "de la conclusion ou, si elle est postérieure, de la réception des informations contractuelles"
        )
    return "Code de la consommation, art. L312-19 (14 jours calendaires révolus)"


def _release_on(app: Application, signed: datetime | None) -> str | None:
    if signed is None:
        return None
    ccd2 = regime_of(app.created_at) is Regime.CCD2
    return funds_release_on(signed, information_at=app.information_delivered_at if ccd2 else None).isoformat()


def build_content(request: SignatureRequest, *, seal: dict[str, Any] | None = None) -> dict[str, Any]:
    """The evidence as a JSON-ready dict (``seal`` carries the sealing outcome at signing time)."""
    customer = request.customer
    previous = getattr(request, "evidence", None) if request.pk else None
    seal = seal or (previous.content.get("seal") if previous else {}) or {}
    signed = request.signed_at
    events = [_event(e) for e in request.events.all()]
    return {
        "format": FORMAT,
        "generated_at": timezone.now().astimezone(UTC).isoformat(),
        "lender": {"name": get_profile().name, "legal_name": get_profile().legal_name},
        "request": {
            "id": str(request.public_id),
            "application": str(request.application.public_id),
            "requested_by": request.requested_by.email,
            "requested_at": request.requested_at.astimezone(UTC).isoformat(),
            "status": request.status,
        },
        "signer": {
            "name": customer.full_name,
            "reference": customer.reference,
            "email": customer.email,
            "phone_masked": mask_phone(customer.phone),
        },
        "document": {
            "title": request.title,
            "pages": request.page_count,
            "sha256_before": request.document_sha256,
            "sha256_after": request.signed_sha256,
        },
        "consent": {"text": request.consent_text, "version": request.consent_version},
        "code": {"channel": "sms", "bound_to": "sha256_before", "single_use": True},
        "seal": seal,
        "withdrawal": {
            "deadline": request.withdrawal_deadline.isoformat() if request.withdrawal_deadline else None,
            "information_delivered_at": _iso(request.application.information_delivered_at),
            "legal_basis": _withdrawal_basis(request.application),
            "withdrawn_at": request.withdrawn_at.astimezone(UTC).isoformat()
            if request.withdrawn_at
            else None,
        },
        "funds": {
            "release_on": _release_on(request.application, signed),
            "legal_basis": "Code de la consommation, art. L312-25 (aucun paiement pendant 7 jours)",
        },
        "sources": SOURCES,
        "events": events,
        "server_observed": [e for e in events if e["source"] == "server"],
        "browser_reported": [e for e in events if e["source"] == "browser"],
    }


def seal_details(outcome: sealing.SealOutcome, *, reason: str) -> dict[str, Any]:
    """What the evidence says about the seal: certificate, PAdES level and the timestamp outcome."""
    return {
        "format": "PAdES (ETSI EN 319 142-1), ETSI.CAdES.detached, SHA-256",
        "level": "B-T" if outcome.timestamp == "applied" else "B-B",
        "reason": reason,
        "certificate": sealing.seal_certificate_info(),
        "timestamp": outcome.timestamp,
        "tsa_url": outcome.tsa_url,
        "timestamp_error": outcome.timestamp_error,
    }


def write_evidence(request: SignatureRequest, *, seal: dict[str, Any] | None = None) -> Evidence:
    """(Re)write the JSON and the sealed PDF printout of the evidence for ``request``."""
    content = build_content(request, seal=seal)
    raw = json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    language = request.customer.language or "fr"
    printout = sealing.seal_pdf(
        render_evidence_pdf(content=content, language=language),
        reason="Fichier de preuve de signature électronique",
        location=get_profile().name,
    )
    evidence = Evidence.objects.filter(request=request).first() or Evidence(request=request)
    evidence.content = content
    evidence.json_sha256 = hashlib.sha256(raw).hexdigest()
    evidence.updated_at = timezone.now()
    evidence.json_file.save("evidence.json", ContentFile(raw), save=False)
    evidence.pdf_file.save("evidence.pdf", ContentFile(printout), save=False)
    evidence.save()
    return evidence
