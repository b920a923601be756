"""Onboarding models: invitations and self-registration (auth), identity verification (kyc_models)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .kyc_models import *  # noqa: F403


class Invitation(models.Model):
    """An advisor's (or the command's) invitation to open the customer space: an emailed link whose
    token is kept as a SHA-256 digest, plus an 8-character code (``customers.OneTimeCode``, purpose
    "invitation")."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    code_verified_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Superseded by a newer invitation.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.customer} {self.created_at:%Y-%m-%d}"

    @property
    def is_live(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and timezone.now() < self.expires_at
