"""Identity verification (KYC) records: one file per submission round, with its checked documents.

A file is submitted with an identity document and a proof of address (seed 000: "pièce
d'identité ou justificatif de domicile récent", ACPR), then approved or rejected by staff.
The documents themselves live under MEDIA_ROOT with random names (see ``uploads.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["KycDocument", "KycFile"]


class KycFile(models.Model):
    """One submission of identity documents and its review outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En cours d'examen")
        APPROVED = "approved", _("Validé")
        REJECTED = "rejected", _("Refusé")

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="kyc_files")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            # At most one file under review per customer: a second submission must wait for the first.
            models.UniqueConstraint(
                fields=["customer"], condition=models.Q(status="pending"), name="kyc_one_pending_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"KYC {self.pk} ({self.status})"


class KycDocument(models.Model):
    """One checked upload; ``path`` is relative to MEDIA_ROOT and random."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Pièce d'identité")
        PROOF_OF_ADDRESS = "address", _("Justificatif de domicile")

    file = models.ForeignKey(KycFile, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    path = models.CharField(max_length=200, unique=True)
    mime = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=120)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["file", "kind"], name="kyc_one_document_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.original_name})"
