"""Alert preferences of a customer: due-date reminder, balance threshold, contract updates; email/SMS."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertPreference(models.Model):
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="alert_preference"
    )
    due_reminder_days = models.PositiveSmallIntegerField(
        _("rappel d'échéance (jours avant)"),
        null=True,
        blank=True,
        default=3,
        help_text="Empty: no reminder.",
    )
    balance_threshold_minor = models.BigIntegerField(
        _("seuil d'alerte de solde"),
        null=True,
        blank=True,
        help_text="In the contract currency's minor units.",
    )
    contract_updates = models.BooleanField(_("mises à jour de contrat"), default=True)
    by_email = models.BooleanField(_("par email"), default=True)
    by_sms = models.BooleanField(_("par SMS"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_reminder_days__isnull=True) | models.Q(due_reminder_days__lte=30),
                name="notifications_due_reminder_days_lte_30",
            ),
            models.CheckConstraint(
                condition=models.Q(balance_threshold_minor__isnull=True)
                | models.Q(balance_threshold_minor__gte=0),
                name="notifications_balance_threshold_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"Alertes de {self.customer}"


class SentAlert(models.Model):
    """One alert sent on one channel: the unique ``key`` makes every sender idempotent (a re-run of the
    daily batch, or a retried commit hook, finds the row and sends nothing twice)."""

    class Kind(models.TextChoices):
        DUE_REMINDER = "due_reminder", _("rappel d'échéance")
        BALANCE = "balance", _("alerte de solde")
        CONTRACT_UPDATE = "contract_update", _("mise à jour de contrat")

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="sent_alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    key = models.CharField(max_length=200, unique=True)
    contract_number = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "sent_at"])]

    def __str__(self) -> str:
        return self.key


class OutboxMessage(models.Model):
    """An email or SMS written in the transaction of the work that caused it, sent after it commits.

    A business-day chunk holds its messages here (``notifications.outbox``): if the chunk is killed,
    its messages roll back with it and its retry writes them again; once committed, ``outbox.flush``
    sends each pending one and marks it sent in the transaction that claims it, so a message is sent
    once and a committed one is never lost.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    source = models.CharField(max_length=120, blank=True, help_text="What wrote it (e.g. a chunk).")
    to = models.CharField(max_length=320)
    from_email = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=400, blank=True)
    body = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(sent_at__isnull=True), name="notifications_outbox_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to} ({'sent' if self.sent_at else 'pending'})"
