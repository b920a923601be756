"""The tariff catalogue in the database: versioned tariffs, their products, rate tiers, insurance,
usury ceilings as printed, card fees, FX margins, complaint commitments and other clauses.

Rows are written only by ``services.load_tariff`` from a validated tariff file and never edited:
a new tariff is a new ``Tariff`` row with a later ``effective_on``; lookups pick the one in force
on a date (``selectors``). Money: ``*_minor`` + ``currency``; rates: Decimal fractions.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models

from guichet.credit import Money, currency

RATE = {"max_digits": 12, "decimal_places": 10}


class Tariff(models.Model):
    """One tariff sheet, in force from ``effective_on`` until the next one."""

    effective_on = models.DateField(unique=True)
    title = models.CharField(max_length=300)
    issuer = models.CharField(max_length=120)
    currency = models.CharField(max_length=3)
    source_file = models.CharField(max_length=300)
    source = models.CharField(max_length=300, blank=True)
    checksum = models.CharField(max_length=64, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"Tarif du {self.effective_on:%d/%m/%Y}"


class Product(models.Model):
    FAMILIES = [
        ("split", "Paiement en plusieurs fois"),
        ("revolving", "Crédit renouvelable"),
        ("amortizable", "Crédit amortissable"),
        ("personal_loan", "Prêt personnel"),
        ("consolidation", "Regroupement de crédits"),
    ]
    KINDS = [("amortizable", "Amortissable"), ("revolving", "Renouvelable"), ("lease", "LOA")]

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="products")
    position = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    family = models.CharField(max_length=16, choices=FAMILIES)
    kind = models.CharField(max_length=16, choices=KINDS)
    section = models.CharField(max_length=200)
    speed = models.CharField(max_length=16, blank=True)
    taeg_type = models.CharField(max_length=16)
    # For split products the "term" is the number of monthly payments ("en N fois").
    min_term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    max_term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    min_amount_minor = models.BigIntegerField(default=0)
    max_amount_minor = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    first_installment_days = models.PositiveSmallIntegerField(null=True, blank=True)
    assumed = models.JSONField(default=list, blank=True)
    assumption_note = models.TextField(blank=True)
    insurance_note = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["tariff", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "code"], name="catalogue_product_code_per_tariff"),
            models.CheckConstraint(
                condition=models.Q(max_amount_minor__isnull=True)
                | models.Q(max_amount_minor__gte=models.F("min_amount_minor")),
                name="catalogue_product_amount_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def min_amount(self) -> Money:
        return Money(self.min_amount_minor, currency(self.currency))

    @property
    def max_amount(self) -> Money | None:
        return (
            None if self.max_amount_minor is None else Money(self.max_amount_minor, currency(self.currency))
        )


class RateTier(models.Model):
    """Rates for amounts up to ``up_to_minor`` inclusive (borrowed amount, or used amount if revolving)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="tiers")
    position = models.PositiveSmallIntegerField()
    up_to_minor = models.BigIntegerField(null=True, blank=True)
    debit_rate = models.DecimalField(**RATE)
    max_taeg = models.DecimalField(**RATE)
    daily_period_rate = models.DecimalField(**RATE, null=True, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["product", "position"]
        constraints = [
            models.UniqueConstraint(fields=["product", "position"], name="catalogue_tier_position")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} tranche {self.position + 1}"

    def covers(self, amount_minor: int) -> bool:
        return self.up_to_minor is None or amount_minor <= self.up_to_minor


class TermBand(models.Model):
    """Longest term for amounts up to ``up_to_minor`` ("durée en fonction du montant emprunté")."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="term_bands")
    position = models.PositiveSmallIntegerField()
    up_to_minor = models.BigIntegerField(null=True, blank=True)
    max_term_months = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["product", "position"]

    def __str__(self) -> str:
        return f"{self.product_id} bande {self.position + 1} : {self.max_term_months} mois"


class InsuranceOption(models.Model):
    """One insurance option. Ages: ``age_min`` inclusive, ``age_max`` exclusive, ``age_max_at_adhesion``
    inclusive; adhesion window: ``adhesion_from`` ≤ date of adhesion ≤ ``adhesion_until``."""

    KINDS = [
        ("monthly_on_borrowed", "% mensuel du montant emprunté"),
        ("on_borrowed", "% du montant emprunté"),
        ("on_outstanding_monthly", "% du total mensuel des sommes restant dues, arrondi au décime supérieur"),
    ]

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="insurance_options")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=KINDS)
    rate = models.DecimalField(**RATE)
    is_maximum = models.BooleanField(default=False)
    cover = models.CharField(max_length=64)
    guarantees = models.TextField(blank=True)
    heads = models.PositiveSmallIntegerField(null=True, blank=True)
    age_band = models.CharField(max_length=32, blank=True)
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max_at_adhesion = models.PositiveSmallIntegerField(null=True, blank=True)
    adhesion_from = models.DateField(null=True, blank=True)
    adhesion_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["product", "position"]

    def __str__(self) -> str:
        return f"{self.cover} {self.rate * 100} %"

    def open_on(self, day: date) -> bool:
        """Whether a new adhesion on ``day`` gets this option."""
        return (self.adhesion_from is None or self.adhesion_from <= day) and (
            self.adhesion_until is None or day <= self.adhesion_until
        )

    def fits_age(self, age: int) -> bool:
        if self.age_min is not None and age < self.age_min:
            return False
        if self.age_max is not None and age >= self.age_max:
            return False
        return self.age_max_at_adhesion is None or age <= self.age_max_at_adhesion


class UsuryCeiling(models.Model):
    """A usury ceiling as printed on the sheet; cross-check only (guichet.credit.usury is authoritative)."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="usury_ceilings")
    effective_on = models.DateField()
    up_to_minor = models.BigIntegerField(null=True, blank=True)
    rate = models.DecimalField(**RATE)
    label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["tariff", "effective_on", models.F("up_to_minor").asc(nulls_last=True)]

    def __str__(self) -> str:
        return f"{self.label} : {self.rate * 100} %"


class CardFee(models.Model):
    """A fee or a cap of a payment card, for the card variant requested in a date window."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="card_fees")
    card_code = models.CharField(max_length=64)
    card_name = models.CharField(max_length=200)
    requested_from = models.DateField(null=True, blank=True)
    requested_until = models.DateField(null=True, blank=True)
    applies_to = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=[("fee", "Frais"), ("cap", "Plafond")])
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    charged_to_credit = models.BooleanField(default=False)
    free_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["tariff", "card_code", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "card_code", "code"], name="catalogue_card_fee_code")
        ]

    def __str__(self) -> str:
        return f"{self.card_code} {self.code}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, currency(self.currency))

    def for_card_requested_on(self, day: date) -> bool:
        return (self.requested_from is None or self.requested_from <= day) and (
            self.requested_until is None or day <= self.requested_until
        )


class FxMargin(models.Model):
    """Card network margin over the ECB reference rate for one currency."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="fx_margins")
    currency_code = models.CharField(max_length=3)
    currency_name = models.CharField(max_length=64)
    network = models.CharField(max_length=32)
    margin = models.DecimalField(**RATE)

    class Meta:
        ordering = ["tariff", "currency_code"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "network", "currency_code"], name="catalogue_fx_margin")
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.currency_code} {self.margin_percent} %"

    @property
    def margin_percent(self) -> Decimal:
        return self.margin * 100


class ManagementFee(models.Model):
    """A servicing fee of the tariff (all "GRATUIT" in seed 004)."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="management_fees")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["tariff", "position"]

    def __str__(self) -> str:
        return self.label

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, currency(self.currency))


class ComplaintPolicy(models.Model):
    """The lender's complaint commitments as published: channels, deadlines, mediator."""

    tariff = models.OneToOneField(Tariff, on_delete=models.CASCADE, related_name="complaint_policy")
    advisor_phone = models.CharField(max_length=32)
    advisor_phone_note = models.CharField(max_length=100, blank=True)
    written_address = models.CharField(max_length=200)
    acknowledge_within_days = models.PositiveSmallIntegerField()
    answer_within_months = models.PositiveSmallIntegerField()
    answer_from = models.CharField(max_length=200, blank=True)
    mediator = models.CharField(max_length=200)
    mediator_address = models.CharField(max_length=300)
    steps = models.JSONField(default=list)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Réclamations ({self.tariff_id})"


class TariffClause(models.Model):
    """Other published sections kept as data: ``contacts``, ``card_security``, ``fx`` (notice text)."""

    tariff = models.ForeignKey(Tariff, on_delete=models.CASCADE, related_name="clauses")
    code = models.CharField(max_length=32)
    body = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tariff", "code"], name="catalogue_clause_code")]

    def __str__(self) -> str:
        return self.code
