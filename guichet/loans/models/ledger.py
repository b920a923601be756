"""The double-entry ledger: accounts, journal entries and their postings (after beancount / hordak).

A posting's amount is signed: debit positive, credit negative. The postings of one entry sum
to zero per currency; ``services.post_entry`` checks it before writing and, on PostgreSQL, a
deferred constraint trigger (migration 0002) refuses any transaction that leaves an entry
unbalanced. ``idempotency_key`` is unique so a retried request or batch posts nothing twice.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    """A ledger account: ``contract:<number>:<part>`` per contract, ``<kind>:<currency>`` lender-wide."""

    class Kind(models.TextChoices):
        PRINCIPAL = "principal", _("Capital restant dû (non échu)")
        PRINCIPAL_DUE = "principal_due", _("Capital échu")
        INTEREST_DUE = "interest_due", _("Intérêts échus")
        INSURANCE_DUE = "insurance_due", _("Assurance échue")
        FEES_DUE = "fees_due", _("Frais échus")
        SUSPENSE = "suspense", _("Trop-perçu / en attente d'affectation")
        CLEARING = "clearing", _("Banque (compte de passage)")
        INTEREST_INCOME = "interest_income", _("Produits d'intérêts")
        FEE_INCOME = "fee_income", _("Produits de frais")
        INSURANCE_PAYABLE = "insurance_payable", _("Assurance à reverser")
        WRITE_OFF = "write_off", _("Pertes sur créances")

    code = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    currency = models.CharField(max_length=3)
    contract = models.ForeignKey(
        "loans.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )

    def __str__(self) -> str:
        return self.code


class JournalEntry(models.Model):
    """One balanced movement of money; never edited, only reversed by another entry."""

    class Kind(models.TextChoices):
        DRAWDOWN = "drawdown", _("Déblocage des fonds")
        INSTALLMENT_DUE = "installment_due", _("Échéance")
        PAYMENT = "payment", _("Paiement")
        PAYMENT_RETURN = "payment_return", _("Rejet de paiement")
        FEE = "fee", _("Frais")
        INTEREST = "interest", _("Intérêts")
        INSURANCE = "insurance", _("Assurance")
        EARLY_REPAYMENT = "early_repayment", _("Remboursement anticipé")
        WRITE_OFF = "write_off", _("Passage en perte")
        REVERSAL = "reversal", _("Contre-passation")

    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # No index of its own: (contract, effective_on) below serves every lookup by contract, and each index
    # is one more write per entry on a business day (two million entries, issue 14).
    contract = models.ForeignKey(
        "loans.Contract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_entries",
        db_index=False,
    )
    effective_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    memo = models.CharField(max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    # sha256 of what was asked (kind, date, contract, lines) so a replayed key with another payload is caught.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "journal entries"
        indexes = [
            models.Index(fields=["contract", "effective_on"]),
            models.Index(fields=["kind", "effective_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.kind})"


class Posting(models.Model):
    """One signed line of a journal entry (debit > 0, credit < 0)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="postings")
    # Indexed by (account, entry) below, which serves lookups by account alone too (issue 14).
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings", db_index=False)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount_minor=0), name="loans_posting_not_zero")
        ]
        indexes = [models.Index(fields=["account", "entry"])]

    def __str__(self) -> str:
        return f"{self.account.code} {self.amount_minor} {self.currency}"
