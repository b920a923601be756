"""Credit contracts (amortizable loan, revolving credit, LOA), who holds them and their versioned schedules.

Amounts are integer minor units in the contract's currency; balances are never stored here,
they are sums over the ledger (see ``ledger.py`` and ``selectors.py``).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.credit import Currency, Money, currency


class Contract(models.Model):
    """One credit contract. Product code and name are copied so a later tariff cannot rewrite history."""

    class Kind(models.TextChoices):
        AMORTIZABLE = "amortizable", _("Prêt amortissable")
        REVOLVING = "revolving", _("Crédit renouvelable")
        LEASE = "lease", _("Location avec option d'achat")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        OPEN = "open", _("Ouvert")
        DELINQUENT = "delinquent", _("Impayé")
        CLOSED = "closed", _("Soldé")
        WITHDRAWN = "withdrawn", _("Rétracté")

    class PaymentMethod(models.TextChoices):
        DIRECT_DEBIT = "direct_debit", _("Prélèvement SEPA")
        TRANSFER = "transfer", _("Virement")
        LOCAL_DEBIT = "local_debit", _("Prélèvement local")

    class InsuranceKind(models.TextChoices):
        NONE = "", _("Sans assurance")
        MONTHLY_ON_BORROWED = "monthly_on_borrowed", _("% mensuel du montant emprunté")
        # xgettext:no-python-format
        ON_BORROWED = "on_borrowed", _("% du montant emprunté")
        ON_OUTSTANDING = "on_outstanding", _("% mensuel des sommes restant dues")

    class Speed(models.TextChoices):
        NONE = "", "—"
        CONFORT = "confort", _("Confort")
        RAPIDE = "rapide", _("Rapide")
        EXPRESS = "express", _("Express")

    number = models.CharField(
        _("numéro de contrat"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^\d{10}$", _("Un numéro de contrat compte 10 chiffres."))],
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    product_code = models.CharField(max_length=60)
    product_name = models.CharField(max_length=120)
    # The tariff version's product, kept for reference; SET_NULL so reloading a tariff never loses a contract.
    product = models.ForeignKey(
        "catalogue.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    currency = models.CharField(max_length=3)
    principal_minor = models.BigIntegerField(help_text="Amount lent (financed amount for a lease).")
    credit_limit_minor = models.BigIntegerField(null=True, blank=True, help_text="Revolving credit only.")
    debit_rate = models.DecimalField(max_digits=9, decimal_places=6)
    taeg = models.DecimalField(max_digits=9, decimal_places=6)
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    start_on = models.DateField()
    first_due_on = models.DateField(null=True, blank=True)
    debit_day = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    signed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    payment_method = models.CharField(
        max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.DIRECT_DEBIT
    )
    bank_account_masked = models.CharField(
        max_length=40, blank=True, help_text="Display only, e.g. FR76 **** 0189."
    )
    insurance_kind = models.CharField(max_length=24, choices=InsuranceKind.choices, blank=True, default="")
    insurance_rate = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    insurance_monthly_minor = models.BigIntegerField(default=0)
    insurance_adhesion_on = models.DateField(null=True, blank=True)
    residual_value_minor = models.BigIntegerField(null=True, blank=True, help_text="Lease purchase option.")
    revolving_speed = models.CharField(max_length=10, choices=Speed.choices, blank=True, default="")
    # Revolving only. The holder stopped using the line (L312-65): no more drawdowns, the amount used
    # is repaid on the contract's terms. A speed change restarts D312-27's period like a drawdown.
    use_stopped_on = models.DateField(null=True, blank=True)
    speed_changed_on = models.DateField(null=True, blank=True)
    current_schedule = models.ForeignKey(
        "loans.ScheduleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["debit_day", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(principal_minor__gte=0), name="loans_contract_principal_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} n° {self.number}"

    @property
    def currency_obj(self) -> Currency:
        return currency(self.currency)

    def money(self, minor: int | None) -> Money:
        """An amount of this contract's currency (``None`` reads as zero)."""
        return Money(int(minor or 0), self.currency_obj)

    @property
    def principal(self) -> Money:
        return self.money(self.principal_minor)

    @property
    def credit_limit(self) -> Money | None:
        return None if self.credit_limit_minor is None else self.money(self.credit_limit_minor)

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.DELINQUENT)


class Participant(models.Model):
    """A customer's part in a contract; portal reads go through this table (``contracts_for``)."""

    class Role(models.TextChoices):
        BORROWER = "borrower", _("Emprunteur")
        CO_BORROWER = "co_borrower", _("Co-emprunteur")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="participants")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "customer"], name="loans_participant_unique"),
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(role="borrower"),
                name="loans_one_borrower_per_contract",
            ),
        ]
        indexes = [models.Index(fields=["customer", "contract"])]

    def __str__(self) -> str:
        return f"{self.customer} ({self.get_role_display()}) — {self.contract.number}"


class ScheduleVersion(models.Model):
    """One version of a contract's schedule; a new one replaces it after early repayment or a date change."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="schedule_versions")
    number = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="loans_schedule_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} v{self.number}"


class ScheduleLine(models.Model):
    """One installment of a schedule version; ``installment_minor`` excludes insurance."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="schedule_lines")
    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    installment_minor = models.BigIntegerField()
    interest_minor = models.BigIntegerField()
    principal_minor = models.BigIntegerField()
    insurance_minor = models.BigIntegerField(default=0)
    balance_after_minor = models.BigIntegerField()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="loans_schedule_line_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    installment_minor=models.F("interest_minor") + models.F("principal_minor")
                ),
                name="loans_line_installment_is_interest_plus_principal",
            ),
        ]
        indexes = [models.Index(fields=["due_on", "version"])]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.number} {self.due_on}"

    @property
    def total_due_minor(self) -> int:
        return self.installment_minor + self.insurance_minor
