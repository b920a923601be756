"""Credit applications and their electronic signature: the request, every event of the journey, the evidence.

An ``Application`` is what an advisor prepares and the customer signs; once financed it points to
the ``loans.Contract`` number. A ``SignatureRequest`` holds the exact PDF shown (and its SHA-256),
the consent text and version, and after signing the sealed PDF; ``SignatureEvent`` rows are the
journal the evidence file is built from. Files live in the private storage (never served).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.credit import Money, currency


def _request_path(instance: SignatureRequest, filename: str) -> str:
    return f"signing/{instance.public_id.hex}/{filename}"


def _evidence_path(instance: Evidence, filename: str) -> str:
    return f"signing/{instance.request.public_id.hex}/{filename}"


class Application(models.Model):
    """A credit application prepared by staff for a customer (and an optional co-borrower)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        AWAITING_SIGNATURE = "awaiting_signature", _("En attente de signature")
        SIGNED = "signed", _("Signée")
        WITHDRAWN = "withdrawn", _("Rétractée")
        FINANCED = "financed", _("Financée")
        REFUSED = "refused", _("Refusée")

    class InsuranceKind(models.TextChoices):
        NONE = "", _("Sans assurance")
        MONTHLY_ON_BORROWED = "monthly_on_borrowed", _("% mensuel du montant emprunté")
        # xgettext:no-python-format
        ON_BORROWED = "on_borrowed", _("% du montant emprunté")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="applications")
    co_borrower = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="co_applications"
    )
    product_code = models.CharField(max_length=60)
    product_name = models.CharField(max_length=120, blank=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    term_months = models.PositiveSmallIntegerField()
    insurance = models.CharField(
        max_length=120, blank=True, help_text="Insurance option chosen (label), empty = none."
    )
    insurance_kind = models.CharField(max_length=24, choices=InsuranceKind.choices, blank=True, default="")
    insurance_rate = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    debit_rate = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    taeg = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    information_delivered_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the contractual information (the signed contract, L312-28) reached the borrower's "
        "space: the CCD2 withdrawal period runs from the later of this and the signature (L312-19).",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    financed_at = models.DateTimeField(null=True, blank=True)
    financed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contract_number = models.CharField(max_length=10, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["customer", "status"]),
            models.Index(fields=["status", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="signing_application_amount_gt_0"
            ),
            models.CheckConstraint(
                condition=models.Q(term_months__gt=0), name="signing_application_term_gt_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name or self.product_code} — {self.customer}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, currency(self.currency))


class SignatureRequest(models.Model):
    """One document put up for signature; a new version of the document is a new request."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À signer")
        SIGNED = "signed", _("Signé")
        WITHDRAWN = "withdrawn", _("Rétracté")
        CANCELLED = "cancelled", _("Annulé")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="signature_requests")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="signature_requests"
    )
    title = models.CharField(max_length=200)
    document = models.FileField(upload_to=_request_path, max_length=200)
    document_sha256 = models.CharField(max_length=64)
    page_count = models.PositiveSmallIntegerField(default=1)
    consent_text = models.TextField()
    consent_version = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_document = models.FileField(upload_to=_request_path, max_length=200, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    timestamp = models.CharField(
        max_length=16, blank=True, help_text="applied | unavailable | not_configured"
    )
    withdrawal_deadline = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "status"])]

    def __str__(self) -> str:
        return self.title


class SignatureEvent(models.Model):
    """One step of the signing journey, with the instant (UTC), IP address and browser."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Signature demandée")
        CONTACT_CONFIRMED = (
            "contact_confirmed",
            _("Coordonnées (email et mobile) confirmées par le signataire"),
        )
        PAGE_SERVED = "page_served", _("Page de signature envoyée au navigateur")
        IMAGE_SERVED = "image_served", _("Page du document envoyée au navigateur")
        VIEWED = "viewed", _("Document affiché")
        SCROLLED_TO_END = "scrolled_to_end", _("Fin du document atteinte")
        CONSENT_TICKED = "consent_ticked", _("Case de consentement cochée")
        CODE_SENT = "code_sent", _("Code envoyé par SMS")
        CODE_VERIFIED = "code_verified", _("Code vérifié")
        CODE_FAILED = "code_failed", _("Code refusé")
        SIGNED = "signed", _("Document signé et scellé")
        WITHDRAWN = "withdrawn", _("Rétractation")

    request = models.ForeignKey(SignatureRequest, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]  # append order: the journal is written in sequence
        indexes = [models.Index(fields=["request", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.at.isoformat()}"


class Evidence(models.Model):
    """The evidence file of a signed request: JSON (machine) and a sealed PDF (human), with their hashes."""

    request = models.OneToOneField(SignatureRequest, on_delete=models.PROTECT, related_name="evidence")
    content = models.JSONField()
    json_file = models.FileField(upload_to=_evidence_path, max_length=200)
    json_sha256 = models.CharField(max_length=64)
    pdf_file = models.FileField(upload_to=_evidence_path, max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"evidence {self.request_id}"
