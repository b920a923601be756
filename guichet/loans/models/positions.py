"""A contract's position kept as data: balances, arrears and next installment, updated with the ledger.

The ledger stays the truth: ``guichet.loans.positions`` computes a position from the postings.
This row is that computation stored by the ledger writers (``services.ledger.post_entry`` and
``services.bulk.post_entries``) in the same transaction as the entry, so pages read one row
instead of summing the ledger; ``manage.py check_positions`` proves both agree for every
contract and ``manage.py rebuild_positions`` rewrites them from the ledger.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone

from .contracts import Contract


class ContractPosition(models.Model):
    """Balances in minor units of the contract's currency (signed: debit > 0, as the ledger's).

    ``unpaid`` holds the amounts fallen due and not yet paid, oldest first, as
    ``[due_on ISO, account kind, amount]``: arrears on any day are the ones due before it.
    ``next_line_number`` is the first line of ``schedule_version`` that payments do not cover.
    """

    contract = models.OneToOneField(
        Contract, primary_key=True, on_delete=models.CASCADE, related_name="position"
    )
    principal_minor = models.BigIntegerField(default=0)
    principal_due_minor = models.BigIntegerField(default=0)
    interest_due_minor = models.BigIntegerField(default=0)
    insurance_due_minor = models.BigIntegerField(default=0)
    fees_due_minor = models.BigIntegerField(default=0)
    suspense_minor = models.BigIntegerField(default=0)
    lent_minor = models.BigIntegerField(default=0)
    paid_minor = models.BigIntegerField(default=0)
    installments_covered_minor = models.BigIntegerField(default=0)
    unpaid = models.JSONField(default=list)
    oldest_unpaid_on = models.DateField(null=True, blank=True)
    schedule_version = models.ForeignKey(
        "loans.ScheduleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_line_number = models.PositiveSmallIntegerField(null=True, blank=True)
    next_due_on = models.DateField(null=True, blank=True)
    next_amount_minor = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    # Bumped by every refresh in this process: a row cached on a Contract instance is trusted only
    # if no refresh happened since it was read (``selectors.stored_position``).
    generation = 0

    class Meta:
        indexes = [models.Index(fields=["oldest_unpaid_on"])]

    def __str__(self) -> str:
        return f"position {self.contract_id}"

    # The reading interface of guichet.loans.positions.Position, so selectors take either.
    BALANCE_FIELDS = {
        "principal": "principal_minor",
        "principal_due": "principal_due_minor",
        "interest_due": "interest_due_minor",
        "insurance_due": "insurance_due_minor",
        "fees_due": "fees_due_minor",
        "suspense": "suspense_minor",
    }

    def balance(self, kind: str) -> int:
        field = self.BALANCE_FIELDS.get(kind)
        return getattr(self, field) if field else 0

    @property
    def outstanding_principal_minor(self) -> int:
        return self.principal_minor + self.principal_due_minor

    @property
    def due_unpaid_minor(self) -> int:
        return (
            self.principal_due_minor
            + self.interest_due_minor
            + self.insurance_due_minor
            + self.fees_due_minor
        )

    def unpaid_items(self) -> list[tuple[date, str, int]]:
        return [(date.fromisoformat(d), kind, amount) for d, kind, amount in self.unpaid]

    def arrears_minor(self, on: date) -> int:
        """Unpaid amounts that fell due strictly before ``on``."""
        iso = on.isoformat()
        return sum(amount for d, _, amount in self.unpaid if d < iso)

    def days_past_due(self, on: date) -> int:
        oldest = self.oldest_unpaid_on
        return (on - oldest).days if oldest is not None and oldest < on else 0
