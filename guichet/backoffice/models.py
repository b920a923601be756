"""Staff-only records: the second factor of each staff account.

The audit trail of staff actions (``StaffAction``) lives in ``guichet.audit``, written by the services
that change state; it is re-exported here for the back office's pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guichet.audit.models import StaffAction


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


__all__ = ["StaffAction", "StaffProfile"]
