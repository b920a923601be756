"""Staff-only records: the second factor of each staff account and the audit trail of staff actions.

They live with the back office because nothing outside it reads them; domain state changes stay in
the domain apps' services, this app only records who asked for them, allowed or refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffProfile(models.Model):
    """Second factor of a staff account: a TOTP secret (RFC 6238) and/or a mobile number for SMS codes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    display_name = models.CharField(max_length=120, blank=True)
    # The TOTP secret must be readable to verify codes, so it cannot be hashed; keep the database private.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    last_totp_step = models.BigIntegerField(null=True, blank=True, help_text="Refuses replay of a used code.")
    phone = models.CharField(max_length=20, blank=True, help_text="E.164; SMS second factor.")

    def __str__(self) -> str:
        return self.display_name or self.user.email

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class StaffAction(models.Model):
    """One staff action, allowed or refused (refusals are evidence too)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_actions"
    )
    role = models.CharField(max_length=16)
    action = models.CharField(max_length=40)
    allowed = models.BooleanField()
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff_actions"
    )
    target = models.CharField(max_length=120, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "created_at"]),
            models.Index(fields=["customer", "created_at"]),
        ]
        verbose_name = _("action du personnel")

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {'ok' if self.allowed else 'refused'}"
