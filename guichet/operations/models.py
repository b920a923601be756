"""The record of a business day: one row per date, one per step, one per chunk of contracts.

A chunk is the unit of work and of claiming: a worker locks it with ``SELECT … FOR UPDATE SKIP
LOCKED``, does its work and marks it done **in the same transaction**, so a worker killed in the
middle leaves the chunk pending (its transaction is rolled back with the lock) and the next worker
does it whole; nothing is half-done and nothing is done twice. The ledger's idempotency keys are the
second line of defence.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("En échec")


class BusinessDay(models.Model):
    """One run of the business day for a date (re-starting a date resumes the same run)."""

    business_date = models.DateField(unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-business_date"]

    def __str__(self) -> str:
        return f"business day {self.business_date} ({self.status})"


class StepRun(models.Model):
    """One step of a business day; it starts only when the previous one is done for that date."""

    day = models.ForeignKey(BusinessDay, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    chunks_total = models.PositiveIntegerField(default=0)
    contracts_total = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "position"]
        constraints = [
            models.UniqueConstraint(fields=["day", "position"], name="operations_one_step_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.day.business_date} {self.position}. {self.name}"

    @property
    def duration_s(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class Chunk(models.Model):
    """A range of contract ids (``first_id``–``last_id``) one step handles in one transaction."""

    step = models.ForeignKey(StepRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    contracts = models.PositiveIntegerField(default=0, help_text="Contracts with something to do, planned.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True, help_text="Retry backoff: not claimed before.")
    error = models.TextField(blank=True)
    items = models.PositiveIntegerField(default=0, help_text="What the chunk wrote (entries, debits, …).")
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    worker = models.CharField(max_length=120, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["step", "number"]
        constraints = [
            models.UniqueConstraint(fields=["step", "number"], name="operations_one_chunk_per_number"),
        ]
        indexes = [models.Index(fields=["step", "status"])]

    def __str__(self) -> str:
        return f"{self.step} chunk {self.number} [{self.first_id}–{self.last_id}] {self.status}"
