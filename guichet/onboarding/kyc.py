"""Identity verification (KYC): submission by the customer, review by staff, and the gate other apps check.

``identity_verified(customer)`` is the one question the portal and payments ask before a
sensitive operation. Every state change happens here; the customer is told by email of the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.audit import trail
from guichet.customers.models import Customer, User
from guichet.errors import GuichetError
from guichet.notifications import send_email

from .kyc_models import KycDocument, KycFile
from .uploads import UploadRefused, check_upload, delete_stored, open_stored, store_upload

REVIEW_DELAY_TEXT = "24 à 72 h"


class KycError(GuichetError):
    """A KYC action was refused; the message says why."""

    code = "kyc_refused"


@dataclass(frozen=True)
class KycStatus:
    state: str  # "missing" | "pending" | "approved" | "rejected"
    file: KycFile | None

    @property
    def verified(self) -> bool:
        return self.state == KycFile.Status.APPROVED

    @property
    def can_submit(self) -> bool:
        return self.state in ("missing", KycFile.Status.REJECTED)


def identity_verified(customer: Customer) -> bool:
    """Whether identity documents were approved; sensitive operations stay locked until then."""
    return KycFile.objects.filter(customer=customer, status=KycFile.Status.APPROVED).exists()


def kyc_status(customer: Customer) -> KycStatus:
    if identity_verified(customer):
        return KycStatus(
            "approved", KycFile.objects.filter(customer=customer, status=KycFile.Status.APPROVED).first()
        )
    latest = KycFile.objects.filter(customer=customer).prefetch_related("documents").first()
    return KycStatus(latest.status if latest else "missing", latest)


def submit_identity_documents(
    *,
    customer: Customer,
    identity: IO[bytes] | bytes,
    address: IO[bytes] | bytes,
    names: tuple[str, str] = ("", ""),
) -> KycFile:
    """Check both files BEFORE storing either, then record the file; nothing is kept if anything fails."""
    status = kyc_status(customer)
    if not status.can_submit:
        raise KycError(
            _("Vos justificatifs sont déjà validés.")
            if status.verified
            else _("Vos justificatifs sont en cours d'examen, généralement sous 24 à 72 h.")
        )
    checked = [
        (KycDocument.Kind.IDENTITY, _prefixed(check_upload, identity, names[0], _("Pièce d'identité"))),
        (
            KycDocument.Kind.PROOF_OF_ADDRESS,
            _prefixed(check_upload, address, names[1], _("Justificatif de domicile")),
        ),
    ]
    stored: list[str] = []
    try:
        with transaction.atomic():
            kyc_file = KycFile.objects.create(customer=customer)
            for kind, upload in checked:
                path = store_upload(upload, folder="kyc")
                stored.append(path)
                KycDocument.objects.create(
                    file=kyc_file,
                    kind=kind,
                    path=path,
                    mime=upload.mime,
                    size=upload.size,
                    sha256=upload.sha256,
                    original_name=upload.original_name,
                )
    except Exception:
        for path in stored:  # the database rolled back; the disk must not keep orphans either
            delete_stored(path)
        raise
    return kyc_file


def _prefixed(check, source, name: str, label: str):  # type: ignore[no-untyped-def]
    try:
        return check(source, name=name)
    except UploadRefused as exc:
        raise UploadRefused(f"{label} : {exc}") from exc


def pending_reviews():  # type: ignore[no-untyped-def]
    """The review queue, oldest first (the 24–72 h promise runs from submission)."""
    return (
        KycFile.objects.filter(status=KycFile.Status.PENDING)
        .select_related("customer")
        .prefetch_related("documents")
        .order_by("submitted_at")
    )


def approve_identity(*, kyc_file: KycFile, reviewer: User) -> KycFile:
    return _decide(kyc_file=kyc_file, reviewer=reviewer, status=KycFile.Status.APPROVED, reason="")


def reject_identity(*, kyc_file: KycFile, reviewer: User, reason: str) -> KycFile:
    reason = (reason or "").strip()
    if not reason:
        raise KycError(_("Indiquez le motif du refus : il sera communiqué au client."))
    return _decide(kyc_file=kyc_file, reviewer=reviewer, status=KycFile.Status.REJECTED, reason=reason[:500])


def _decide(*, kyc_file: KycFile, reviewer: User, status: str, reason: str) -> KycFile:
    with transaction.atomic():
        locked = KycFile.objects.select_for_update().select_related("customer").get(pk=kyc_file.pk)
        if locked.status != KycFile.Status.PENDING:
            raise KycError(_("Ce dossier a déjà été traité."))
        locked.status = status
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = reviewer
        locked.rejection_reason = reason
        locked.save(update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason"])
        approved = status == KycFile.Status.APPROVED
        trail.record_if_staff(
            by=reviewer,
            action="kyc_approve" if approved else "kyc_reject",
            customer=locked.customer,
            target=f"kyc:{locked.pk}",
            **({} if approved else {"reason": reason[:200]}),
        )
    _notify_decision(locked)
    return locked


def _notify_decision(kyc_file: KycFile) -> None:
    customer = kyc_file.customer
    approved = kyc_file.status == KycFile.Status.APPROVED
    send_email(
        to=customer.email,
        subject=gettext_lazy("Vos justificatifs ont été validés")
        if approved
        else gettext_lazy("Vos justificatifs n'ont pas pu être validés"),
        template="kyc_decision",
        context={"customer": customer, "file": kyc_file, "approved": approved},
        language=customer.language,
    )


def document_for_customer(customer: Customer, document_id: int) -> KycDocument:
    """The customer's own document or 404: another customer's id is indistinguishable from a missing one."""
    doc = KycDocument.objects.filter(pk=document_id, file__customer=customer).first()
    if doc is None:
        raise Http404
    return doc


def document_for_staff(document_id: int, *, by: User) -> KycDocument:
    """The document a staff member opens; the opening is in the staff audit trail (personal data)."""
    doc = KycDocument.objects.select_related("file__customer").filter(pk=document_id).first()
    if doc is None:
        raise Http404
    trail.record_if_staff(
        by=by, action="view_kyc_document", customer=doc.file.customer, target=f"kyc_document:{doc.pk}"
    )
    return doc


def document_bytes(document: KycDocument) -> bytes:
    return open_stored(document.path)


def kyc_task_rows(customer: Customer) -> QuerySet:
    """One row (``ref``, ``detail``) while documents are missing or were rejected, none otherwise:
    the rule of ``kyc_task`` as a query, for the dashboard's single tasks query."""
    latest = KycFile.objects.filter(customer=OuterRef("pk")).order_by("-submitted_at").values("status")[:1]
    approved = KycFile.objects.filter(customer=OuterRef("pk"), status=KycFile.Status.APPROVED)
    return (
        Customer.objects.filter(pk=customer.pk)
        .annotate(latest=Subquery(latest))
        .filter(~Exists(approved), Q(latest__isnull=True) | Q(latest=KycFile.Status.REJECTED))
        .annotate(ref=Value(""), detail=Value(""))
    )


def kyc_task(customer: Customer) -> list[dict[str, str]]:
    """Dashboard task "Justificatifs à fournir" while documents are missing or were rejected."""
    status = kyc_status(customer)
    if not status.can_submit:
        return []
    from django.urls import reverse

    return [
        {
            "title": _("Justificatifs à fournir"),
            "text": _("Envoyez une pièce d'identité et un justificatif de domicile récent."),
            "url": reverse("portal:kyc"),
        }
    ]
