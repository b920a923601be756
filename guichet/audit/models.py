"""The one record of a staff action (moved from the back office with its table and rows, issue 10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        db_table = "backoffice_staffaction"  # moved from the back office with its rows
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "created_at"], name="backoffice__actor_i_aa0fbe_idx"),
            models.Index(fields=["customer", "created_at"], name="backoffice__custome_90395f_idx"),
        ]
        verbose_name = _("action du personnel")

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} {'ok' if self.allowed else 'refused'}"
