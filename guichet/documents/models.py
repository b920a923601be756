"""The documents inbox ("Mes documents"): PDFs delivered to a customer, stored outside any served URL.

Files live in the default storage (``MEDIA_ROOT`` = ``var/private``), which no URL serves; the
portal streams a file only after fetching its row through the current customer.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _document_path(instance: Document, filename: str) -> str:
    # A random name: the path reveals neither the customer's identity nor the document's kind.
    return f"documents/{instance.customer_id}/{uuid.uuid4().hex}.pdf"


class Document(models.Model):
    """One document in a customer's inbox; ``read_at`` is empty until the customer opens it."""

    class Kind(models.TextChoices):
        CONTRACT_SUMMARY = "contract_summary", _("Récapitulatif du contrat")
        AMORTIZATION_TABLE = "amortization_table", _("Tableau d'amortissement")
        CREDIT_ATTESTATION = "credit_attestation", _("Attestation de crédit")
        BALANCE_ATTESTATION = "balance_attestation", _("Attestation de solde")
        FUNDING_CONFIRMATION = "funding_confirmation", _("Confirmation de financement")
        STATEMENT = "statement", _("Relevé de compte")
        SIGNED_CONTRACT = "signed_contract", _("Contrat signé")
        EVIDENCE = "evidence", _("Fichier de preuve")
        NOTICE = "notice", _("Courrier")

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="documents")
    contract = models.ForeignKey(
        "loans.Contract", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(upload_to=_document_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["customer", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def download_name(self) -> str:
        stamp = self.created_at.strftime("%Y%m%d")
        return f"{self.kind}-{stamp}-{self.pk}.pdf"
