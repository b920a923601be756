"""Complaints with their regulatory deadlines, and secure message threads between customer and advisor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Complaint(models.Model):
    """A complaint (réclamation); due dates fixed at receipt (ACPR 2022-R-01: 10 business days, 2 months)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Reçue")
        ACKNOWLEDGED = "acknowledged", _("Accusé de réception envoyé")
        ANSWERED = "answered", _("Réponse apportée")

    reference = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="complaints")
    contract = models.ForeignKey(
        "loans.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    subject = models.CharField(_("objet"), max_length=150)
    body = models.TextField(_("votre réclamation"), max_length=5000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(default=timezone.now)
    received_on = models.DateField()
    ack_due_on = models.DateField()
    answer_due_on = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Which stage (received -> acknowledgement due, acknowledged -> answer due) was last escalated.
    escalated_stage = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["answer_due_on", "received_at"]
        indexes = [
            models.Index(fields=["status", "ack_due_on"]),
            models.Index(fields=["status", "answer_due_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def next_due_on(self):
        if self.status == self.Status.RECEIVED:
            return self.ack_due_on
        if self.status == self.Status.ACKNOWLEDGED:
            return self.answer_due_on
        return None


class Thread(models.Model):
    """A conversation between one customer and the lender's advisors."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField(_("objet"), max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_message_at"]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    """One message; ``read_at`` is set when the OTHER side opens the thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_customer = models.BooleanField()
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "from_customer", "read_at"])]

    def __str__(self) -> str:
        return f"message {self.pk} in thread {self.thread_id}"


class Attachment(models.Model):
    """A message attachment, checked by the same gate as identity documents; stored with a random name."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    path = models.CharField(max_length=200, unique=True)
    mime = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.original_name


class ArrearsReminder(models.Model):
    """One reminder per contract, delinquency episode (oldest unpaid due date) and bucket."""

    contract = models.ForeignKey("loans.Contract", on_delete=models.CASCADE, related_name="arrears_reminders")
    episode_started_on = models.DateField()
    bucket = models.CharField(max_length=8)
    channels = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "episode_started_on", "bucket"], name="support_one_reminder_per_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.bucket} {self.episode_started_on}"


class ForbearanceOffer(models.Model):
    """Renegotiation measures offered to a borrower in arrears before any enforcement (L312-35-1 as
    rewritten by ordonnance n° 2025-880), with the free referral to debt advice; one per contract and
    delinquency episode. The borrower's request from the space and the first enforcement step are
    recorded on it, so the order "offer, then (reasonable delay), then enforcement" can be proven."""

    class Measure(models.TextChoices):
        # L312-35-1: 1° refinancing; 2° a) to i) changes of the contract's terms (i: currency, not offered).
        REFINANCING = "refinancing", _("refinancement total ou partiel du crédit")
        LONGER_TERM = "longer_term", _("allongement de la durée du crédit")
        CHANGE_TYPE = "change_type", _("changement du type de crédit")
        DEFERRAL = "deferral", _("report de tout ou partie des échéances pendant une période")
        LOWER_RATE = "lower_rate", _("réduction du taux débiteur")
        RESCHEDULE = "reschedule", _("réaménagement de l'échéancier (échéances réduites)")
        PARTIAL_REPAYMENTS = "partial_repayments", _("remboursements partiels")
        PARTIAL_REMISSION = "partial_remission", _("remise de dette partielle et consolidation")
        TEMPORARY_WAIVER = "temporary_waiver", _("dispense temporaire de remboursement")

    class Status(models.TextChoices):
        OFFERED = "offered", _("proposées")
        REQUESTED = "requested", _("demandée par le client")
        ANSWERED = "answered", _("demande traitée")
        ENFORCEMENT = "enforcement", _("procédure engagée")

    contract = models.ForeignKey(
        "loans.Contract", on_delete=models.CASCADE, related_name="forbearance_offers"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+", null=True)
    episode_started_on = models.DateField(
        help_text="Oldest unpaid due date of the episode (or the request day)."
    )
    offered_at = models.DateTimeField(default=timezone.now)
    measures = models.JSONField(default=list)
    debt_advice = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OFFERED)
    requested_measure = models.CharField(max_length=20, choices=Measure.choices, blank=True)
    request_note = models.TextField(blank=True, max_length=2000)
    requested_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True, max_length=2000)
    answered_at = models.DateTimeField(null=True, blank=True)
    enforcement_started_at = models.DateTimeField(null=True, blank=True)
    enforcement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "episode_started_on"], name="support_one_forbearance_offer_per_episode"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.episode_started_on} {self.status}"
