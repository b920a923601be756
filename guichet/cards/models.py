"""Credit cards on a revolving line, their operations and the currency notices sent (seed 004)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.credit import Currency, Money
from guichet.credit.card import foreign_exponent


class Card(models.Model):
    """A card drawing on a revolving line; the request date sets its fees (before/after 09/09/2013)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        OPPOSED = "opposed", _("En opposition")

    class Notice(models.TextChoices):
        EMAIL = "email", _("Par email")
        SMS = "sms", _("Par SMS")
        NONE = "none", _("Je ne souhaite pas la recevoir")

    contract = models.ForeignKey("loans.Contract", on_delete=models.PROTECT, related_name="cards")
    holder = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="cards")
    reference = models.CharField(max_length=32, unique=True, help_text="The processor's card id.")
    masked_number = models.CharField(max_length=19, help_text="e.g. 4970 **** **** 1234")
    requested_on = models.DateField()
    professional = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    fx_notice = models.CharField(max_length=5, choices=Notice.choices, default=Notice.EMAIL)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.masked_number} ({self.contract.number})"


class CardOperation(models.Model):
    """One operation presented by the processor, authorized or refused (with the reason)."""

    class Kind(models.TextChoices):
        ATM = "atm", _("Retrait")
        PAYMENT = "payment", _("Paiement")

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="operations")
    external_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    on = models.DateField()
    amount_minor = models.BigIntegerField(help_text="In the line's currency (converted for a foreign one).")
    fee_minor = models.BigIntegerField(default=0)
    original_currency = models.CharField(max_length=3, blank=True)
    original_amount_minor = models.BigIntegerField(null=True, blank=True)
    ecb_rate = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    margin_percent = models.DecimalField(max_digits=9, decimal_places=5, null=True, blank=True)
    merchant = models.CharField(max_length=120, blank=True)
    authorized = models.BooleanField()
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["card", "authorized", "on"])]

    def __str__(self) -> str:
        return f"{self.external_id} {self.kind} {self.amount_minor}"

    @property
    def amount(self) -> Money:
        return self.card.contract.money(self.amount_minor)

    @property
    def original_amount(self) -> Money | None:
        if not self.original_currency or self.original_amount_minor is None:
            return None

        return Money(
            self.original_amount_minor,
            Currency(self.original_currency, foreign_exponent(self.original_currency)),
        )


class FxNotice(models.Model):
    """A currency-conversion notice sent: at most one per card, currency and calendar month."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="fx_notices")
    currency = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=5)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["card", "currency", "year", "month"], name="cards_one_fx_notice_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.card_id} {self.currency} {self.year}-{self.month:02d}"
