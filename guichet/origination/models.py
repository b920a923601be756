"""What origination keeps with an application: the four-eyes review of its exceptions and the
creditworthiness assessment (income, charges, evidence, analysis, outcome, human review)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApplicationReview(models.Model):
    """Exceptions of an application (off-tariff rate, amount above the product, usury alert) that a
    supervisor other than the creator must approve before a signature can be requested."""

    application = models.OneToOneField("signing.Application", on_delete=models.CASCADE, related_name="review")
    exception_reasons = models.JSONField(default=list, blank=True)
    usury_message = models.CharField(max_length=300, blank=True)
    catalogue_debit_rate = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="The tariff's rate for the application.",
    )
    rate_reason = models.TextField(blank=True, help_text="Why the advisor proposed a rate off the tariff.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "backoffice_applicationreview"  # moved from the back office with its rows

    def __str__(self) -> str:
        return f"Revue de la demande {self.application_id}"

    @property
    def needs_approval(self) -> bool:
        return bool(self.exception_reasons) and self.approved_at is None


class CreditAssessment(models.Model):
    """The creditworthiness assessment of an application (L312-16 as rewritten by ordonnance 2025-880;
    CCD2 art. 18): declared and evidenced income and charges, the optional FICP query, the analysis and
    its outcome; an automated outcome can be reviewed by a person on the borrower's request."""

    class Outcome(models.TextChoices):
        FAVOURABLE = "favourable", _("favorable")
        UNFAVOURABLE = "unfavourable", _("défavorable")

    application = models.OneToOneField(
        "signing.Application", on_delete=models.CASCADE, related_name="credit_assessment"
    )
    currency = models.CharField(max_length=3)
    monthly_income_minor = models.BigIntegerField()
    monthly_charges_minor = models.BigIntegerField()
    evidence = models.JSONField(
        default=list, help_text="The documents the income and charges were checked on."
    )
    ficp_consulted = models.BooleanField(default=False)
    ficp_registered = models.BooleanField(null=True, blank=True)
    ficp_source = models.CharField(max_length=80, blank=True)
    debt_ratio = models.DecimalField(max_digits=7, decimal_places=4)
    analysis = models.TextField()
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    automated = models.BooleanField(default=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)
    human_review_requested_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Solvabilité de la demande {self.application_id} : {self.outcome}"
