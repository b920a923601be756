"""State changes of the signing journey: prepare an application, request a signature, record each step,
send the SMS code bound to the document's SHA-256, sign and seal; withdrawal and financing are in
``lifecycle.py`` and re-exported here.

The server refuses to send a code or to sign unless it recorded, for this very document, that it was
displayed, read to the end and consented to: the page's JavaScript reports those steps, but the
rule lives here, so a hand-made POST cannot skip them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.credit import Money
from guichet.customers.codes import issue_code, verify_code
from guichet.customers.exceptions import CodeError
from guichet.documents import sealing
from guichet.documents.services import deliver_document
from guichet.lenders.profile import get_profile
from guichet.notifications import send_sms

from .evidence import mask_phone, seal_details, write_evidence
from .exceptions import (
    DocumentChanged,
    InvalidApplication,
    JourneyIncomplete,
    NoMobilePhone,
    NotAllowed,
    SignatureNotPending,
)
from .journal import Client, Kind, contact_confirmed, contact_digest, pages_served, record, sha256, steps_done
from .lifecycle import confirm_financing, withdraw, withdrawal_allowed
from .models import Application, SignatureEvent, SignatureRequest
from .paperwork import CONSENT_VERSION, consent_text, render_offer
from .rules import withdrawal_deadline

__all__ = [
    "Client",
    "CodeSent",
    "confirm_financing",
    "create_application",
    "record_consent",
    "record_image_served",
    "record_page_served",
    "record_scrolled_to_end",
    "record_view",
    "request_signature",
    "send_signature_code",
    "sign_document",
    "withdraw",
    "withdrawal_allowed",
]

CODE_PURPOSE = "signature"
STAFF_ROLES = ("advisor", "supervisor")


@dataclass(frozen=True)
class CodeSent:
    phone_masked: str
    expires_at: datetime
    cooldown_seconds: int


def create_application(
    *,
    customer,
    product_code: str,
    amount: Money,
    term_months: int,
    created_by,
    co_borrower=None,
    product_name: str = "",
    debit_rate: Decimal | None = None,
    insurance: str = "",
    insurance_kind: str = "",
    insurance_rate: Decimal | None = None,
) -> Application:
    """A draft application prepared by an advisor (the back office validates the product terms first)."""
    if getattr(created_by, "role", None) not in STAFF_ROLES:
        raise NotAllowed(_("Seul un conseiller ou un superviseur peut préparer une demande de crédit."))
    if amount.minor <= 0 or term_months <= 0:
        raise InvalidApplication(_("Le montant et la durée doivent être positifs."))
    return Application.objects.create(
        customer=customer,
        co_borrower=co_borrower,
        product_code=product_code,
        product_name=product_name or product_code,
        amount_minor=amount.minor,
        currency=amount.currency.code,
        term_months=term_months,
        debit_rate=debit_rate,
        insurance=insurance,
        insurance_kind=insurance_kind,
        insurance_rate=insurance_rate,
        created_by=created_by,
    )


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def _signers(application: Application) -> list:
    """The borrower, then the co-borrower if any: each signs the same offer with their own code."""
    people = [application.customer] + ([application.co_borrower] if application.co_borrower_id else [])
    for person in people:
        if not person.phone:
            raise NoMobilePhone()
    return people


def request_signature(
    *, application: Application, requested_by, document_pdf: bytes | None = None
) -> SignatureRequest:
    """Put the offer up for signature (one request per borrower, all bound to the same document hash).

    Pending requests of the same application are cancelled. Returns the borrower's request.
    """
    if getattr(requested_by, "role", None) not in STAFF_ROLES:
        raise NotAllowed(_("Seul un conseiller ou un superviseur peut demander une signature."))
    signers = _signers(application)
    if application.status not in (Application.Status.DRAFT, Application.Status.AWAITING_SIGNATURE):
        raise InvalidApplication(
            _("Cette demande ne peut plus être signée (statut : %(s)s).")
            % {"s": application.get_status_display()}
        )
    requests = [
        SignatureRequest(application=application, customer=person, requested_by=requested_by)
        for person in signers
    ]
    if document_pdf is None:
        document_pdf, debit_rate, taeg = render_offer(
            application=application,
            reference=requests[0].public_id.hex[:12].upper(),
            language=signers[0].language or "fr",
        )
        application.debit_rate, application.taeg = debit_rate, taeg
    if not document_pdf.startswith(b"%PDF-"):
        raise InvalidApplication(_("Le document à signer n'est pas un PDF."))
    with transaction.atomic():
        SignatureRequest.objects.filter(
            application=application, status=SignatureRequest.Status.PENDING
        ).update(status=SignatureRequest.Status.CANCELLED)
        for request in requests:
            request.title = _("Offre de contrat de crédit — %(p)s") % {"p": application.product_name}
            request.document_sha256 = sha256(document_pdf)
            request.page_count = _page_count(document_pdf)
            request.consent_text = consent_text(request.customer.language or "fr")
            request.consent_version = CONSENT_VERSION
            request.document.save("offer.pdf", ContentFile(document_pdf), save=False)
            request.save()
            record(request, Kind.REQUESTED, Client(), by=requested_by.email, signers=len(requests))
        application.status = Application.Status.AWAITING_SIGNATURE
        application.save(update_fields=["status", "debit_rate", "taeg"])
    return requests[0]


def _pending_of(request: SignatureRequest, customer) -> None:
    if request.customer_id != customer.pk:
        raise NotAllowed(_("Ce document n'est pas à votre nom."))
    if request.status != SignatureRequest.Status.PENDING:
        raise SignatureNotPending()


def _require(request: SignatureRequest, *kinds: str) -> None:
    done = steps_done(request)
    if Kind.VIEWED in kinds and Kind.VIEWED not in done:
        raise JourneyIncomplete(_("Le document n'a pas été affiché : ouvrez-le avant de le signer."))
    if Kind.SCROLLED_TO_END in kinds and Kind.SCROLLED_TO_END not in done:
        raise JourneyIncomplete(_("Faites défiler le document jusqu'à la dernière page avant de continuer."))
    if Kind.CONSENT_TICKED in kinds and Kind.CONSENT_TICKED not in done:
        raise JourneyIncomplete(_("Cochez la case de consentement avant de continuer."))


def confirm_contact_details(
    *, signature_request: SignatureRequest, customer, client: Client
) -> SignatureEvent:
    """The signer confirms the email and mobile on file before the e-signature (seed 003, step 1: « en
    vérifiant que toutes mes coordonnées sont à jour »). A form the server received: a server-observed
    event bound to those details, so changing either afterwards asks for a new confirmation."""
    _pending_of(signature_request, customer)
    if not customer.phone:
        raise NoMobilePhone()
    return record(
        signature_request,
        Kind.CONTACT_CONFIRMED,
        client,
        email=customer.email,
        phone_masked=mask_phone(customer.phone),
        digest=contact_digest(customer.email, customer.phone),
    )


def _require_contact(request: SignatureRequest, customer) -> None:
    if not contact_confirmed(request, customer):
        raise JourneyIncomplete(
            _(
                "Confirmez d'abord votre adresse email et votre numéro de mobile : "
                "le code de signature y est envoyé."
            )
        )


def record_page_served(*, signature_request: SignatureRequest, customer, client: Client) -> SignatureEvent:
    """The server sent the signing page to the signer: a fact it observed itself."""
    _pending_of(signature_request, customer)
    return record(signature_request, Kind.PAGE_SERVED, client)


def record_image_served(
    *, signature_request: SignatureRequest, customer, client: Client, page: int
) -> SignatureEvent:
    """The server sent page ``page`` of the document (as an image) to the signer."""
    _pending_of(signature_request, customer)
    return record(signature_request, Kind.IMAGE_SERVED, client, page=page, of=signature_request.page_count)


def record_view(*, signature_request: SignatureRequest, customer, client: Client) -> SignatureEvent:
    """The browser reports the document on screen; accepted only once the server has sent the page."""
    _pending_of(signature_request, customer)
    page, _images = pages_served(signature_request)
    if not page:
        raise JourneyIncomplete(_("Le document n'a pas été affiché : ouvrez-le avant de le signer."))
    return record(signature_request, Kind.VIEWED, client, pages=signature_request.page_count)


def record_scrolled_to_end(
    *, signature_request: SignatureRequest, customer, client: Client
) -> SignatureEvent:
    """The browser reports the last page reached; accepted only once the server has sent every page."""
    _pending_of(signature_request, customer)
    _require(signature_request, Kind.VIEWED)
    _page, images = pages_served(signature_request)
    if not set(range(1, signature_request.page_count + 1)) <= images:
        raise JourneyIncomplete(_("Faites défiler le document jusqu'à la dernière page avant de continuer."))
    return record(signature_request, Kind.SCROLLED_TO_END, client, pages=signature_request.page_count)


def record_consent(*, signature_request: SignatureRequest, customer, client: Client) -> SignatureEvent:
    _pending_of(signature_request, customer)
    _require(signature_request, Kind.VIEWED, Kind.SCROLLED_TO_END)
    return record(
        signature_request, Kind.CONSENT_TICKED, client, consent_version=signature_request.consent_version
    )


def send_signature_code(*, signature_request: SignatureRequest, customer, client: Client) -> CodeSent:
    """SMS a code bound to the document's SHA-256; raises ``CodeCooldown`` when asked again too soon."""
    _pending_of(signature_request, customer)
    _require(signature_request, Kind.VIEWED, Kind.SCROLLED_TO_END, Kind.CONSENT_TICKED)
    if not customer.phone:
        raise NoMobilePhone()
    _require_contact(signature_request, customer)
    issued = issue_code(
        customer=customer,
        purpose=CODE_PURPOSE,
        bound_to=signature_request.document_sha256,
        channel="sms",
        deliver=False,
    )
    minutes = max(1, int((issued.expires_at - timezone.now()).total_seconds() // 60))
    send_sms(
        to=customer.phone,
        text=_(
            "%(lender)s : votre code de signature du contrat est %(code)s (valable %(m)d min). "
            "Ne le communiquez à personne."
        )
        % {"lender": get_profile().name, "code": issued.code, "m": minutes},
    )
    masked = mask_phone(customer.phone)
    record(
        signature_request,
        Kind.CODE_SENT,
        client,
        channel="sms",
        to=masked,
        expires_at=issued.expires_at.isoformat(),
    )
    return CodeSent(masked, issued.expires_at, get_profile().security.otp_resend_cooldown_seconds)


def sign_document(
    *, signature_request: SignatureRequest, customer, code: str, client: Client
) -> SignatureRequest:
    """Check the steps and the code against the exact stored document, then seal, store and deliver it.

    ``verify_code`` runs outside any transaction so a wrong try is counted even though we raise.
    """
    request = signature_request
    _pending_of(request, customer)
    _require(request, Kind.VIEWED, Kind.SCROLLED_TO_END, Kind.CONSENT_TICKED)
    _require_contact(request, customer)
    sealing.ensure_seal_ready()
    with request.document.open("rb") as fh:
        pdf = fh.read()
    current = sha256(pdf)
    try:
        verify_code(purpose=CODE_PURPOSE, bound_to=current, code=code, customer=customer)
    except CodeError as exc:
        record(request, Kind.CODE_FAILED, client, reason=type(exc).__name__)
        raise
    if current != request.document_sha256:
        record(request, Kind.CODE_FAILED, client, reason="DocumentChanged")
        raise DocumentChanged()
    record(request, Kind.CODE_VERIFIED, client)
    return _seal_and_store(request, pdf, client)


def _round_of(request: SignatureRequest):  # type: ignore[no-untyped-def]
    """The requests of the same offer (borrower and co-borrower), bound to the same document hash."""
    return SignatureRequest.objects.filter(
        application_id=request.application_id,
        document_sha256=request.document_sha256,
        status__in=(SignatureRequest.Status.PENDING, SignatureRequest.Status.SIGNED),
    )


def _seal_and_store(request: SignatureRequest, pdf: bytes, client: Client) -> SignatureRequest:
    """Seal the offer (on top of a co-borrower's seal when they signed first) and record the signature.

    The application row is locked while sealing, so two borrowers signing at the same instant end up
    with one document carrying both seals. The offer counts as accepted (and the L312-25 and L312-19
    periods start) when the last borrower has signed; then the fully signed contract is delivered to
    every borrower. Each signer's evidence printout goes to their own inbox right away.
    """
    reason = _("Signature électronique de %(name)s") % {"name": request.customer.full_name}
    with transaction.atomic():
        app = Application.objects.select_for_update(of=("self",)).get(pk=request.application_id)
        locked = (
            SignatureRequest.objects.select_for_update(of=("self",))
            .select_related("customer")
            .get(pk=request.pk)
        )
        if locked.status != SignatureRequest.Status.PENDING:
            raise SignatureNotPending()
        earlier = (
            _round_of(locked).filter(status=SignatureRequest.Status.SIGNED).order_by("-signed_at").first()
        )
        if earlier is not None:
            with earlier.signed_document.open("rb") as fh:
                pdf = fh.read()
        outcome = sealing.seal_pdf_with_outcome(pdf, reason=reason, location=get_profile().name)
        now = timezone.now()
        locked.signed_document.save("signed.pdf", ContentFile(outcome.pdf), save=False)
        locked.signed_sha256 = sha256(outcome.pdf)
        locked.status, locked.signed_at, locked.timestamp = (
            SignatureRequest.Status.SIGNED,
            now,
            outcome.timestamp,
        )
        # Until the contract is concluded and its information delivered, the long stop of L312-19 III.
        locked.withdrawal_deadline = withdrawal_deadline(now, offered_at=app.created_at)
        locked.save()
        record(locked, Kind.SIGNED, client, sha256_after=locked.signed_sha256, timestamp=outcome.timestamp)
        if not _round_of(locked).filter(status=SignatureRequest.Status.PENDING).exists():
            app.status, app.signed_at = Application.Status.SIGNED, now
            _deliver_signed_contract(locked, app, outcome.pdf)
            app.information_delivered_at = timezone.now()
            app.save(update_fields=["status", "signed_at", "information_delivered_at"])
            _set_withdrawal_deadlines(app)
            locked.refresh_from_db(fields=["withdrawal_deadline"])
            for earlier_signer in _round_of(locked).exclude(pk=locked.pk).select_related("customer"):
                write_evidence(earlier_signer)  # their deadline moved with the conclusion
        evidence = write_evidence(locked, seal=seal_details(outcome, reason=reason))
        _deliver_evidence(locked, evidence)
    locked.application = app
    return locked


def _set_withdrawal_deadlines(app: Application) -> None:
    """Every signed request of ``app`` gets the deadline of L312-19 from the conclusion (the last
    signature) and the delivery of the contractual information (CCD2: the later of the two)."""
    deadline = withdrawal_deadline(
        app.signed_at, offered_at=app.created_at, information_at=app.information_delivered_at
    )
    app.signature_requests.filter(status=SignatureRequest.Status.SIGNED).update(withdrawal_deadline=deadline)


def record_information_delivered(*, application: Application, at: datetime) -> Application:
    """Record that the contractual information reached the borrower at ``at`` (e.g. a re-delivery after
    the first one failed); the withdrawal deadline moves with it (L312-19 II 2°)."""
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        if app.signed_at is None:
            raise InvalidApplication(_("Le contrat n'est pas encore conclu."))
        app.information_delivered_at = at
        app.save(update_fields=["information_delivered_at"])
        _set_withdrawal_deadlines(app)
    return app


def _deliver_evidence(request: SignatureRequest, evidence) -> None:  # type: ignore[no-untyped-def]
    """The signer gets the human-readable evidence of their own signature (sealed PDF, their data only).

    Everything in it is about the signer (their name, masked phone, the IP addresses and browsers
    of their own steps) or the lender, so giving it to them discloses nothing about anyone else and
    lets them verify, without asking, what the lender would show a judge.
    """
    with evidence.pdf_file.open("rb") as fh:
        printout = fh.read()
    deliver_document(
        customer=request.customer,
        kind="evidence",
        title=_("Fichier de preuve de signature — %(title)s") % {"title": request.application.product_name},
        pdf=printout,
        notify=False,  # the signed contract's arrival email covers both
    )


def _deliver_signed_contract(request: SignatureRequest, app: Application, pdf: bytes) -> None:
    for person in [app.customer] + ([app.co_borrower] if app.co_borrower_id else []):
        deliver_document(
            customer=person,
            kind="signed_contract",
            title=_("Contrat signé — %(title)s") % {"title": app.product_name},
            pdf=pdf,
        )
