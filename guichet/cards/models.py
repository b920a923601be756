"""Credit cards on a revolving line, their operations and the currency notices sent (seed 004)."""

from __future__ import annotations

from django.conf import settings
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


class CardRequest(models.Model):
    """A holder's request on her card from "Ma carte" (PIN reissue, replacement, opposition), confirmed
    by an SMS code bound to it, with the sheet's fee posted to the line (seed 004). An opposition for
    loss or theft is free; the back office may classify it as abusive use by the holder (25 €)."""

    class Kind(models.TextChoices):
        PIN_REISSUE = "pin_reissue", _("Réédition du code")
        REPLACEMENT = "card_replacement", _("Remplacement de la carte")
        OPPOSITION = "opposition", _("Mise en opposition")

    class Reason(models.TextChoices):
        LOSS = "loss", _("Perte")
        THEFT = "theft", _("Vol")
        THIRD_PARTY_MISUSE = "third_party", _("Usage abusif par un tiers")

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="requests")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=12, choices=Reason.choices, blank=True)
    on = models.DateField()
    key = models.CharField(max_length=80, unique=True, help_text="One request per confirming code.")
    fee_code = models.CharField(max_length=64, help_text="The catalogue's fee code charged.")
    fee_minor = models.BigIntegerField(default=0, help_text="In the line's currency.")
    classified_abusive_at = models.DateTimeField(null=True, blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.card_id} {self.kind} {self.on}"

    @property
    def fee(self) -> Money:
        return self.card.contract.money(self.fee_minor)


class SplitPlan(models.Model):
    """A purchase at a partner paid in several installments (seed 004, "Paiement en plusieurs fois lié à
    un achat effectué chez nos partenaires": 3x–24x, 33x for Fraxio) at the sheet's fixed maximum TAEG:
    an amortizable sub-plan of the card, opened as its own contract (``plan``) whose installments fall
    on the line's statement days and are added to the line's statements."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="split_plans")
    operation = models.OneToOneField(CardOperation, on_delete=models.PROTECT, related_name="split_plan")
    plan = models.OneToOneField("loans.Contract", on_delete=models.PROTECT, related_name="card_split_plan")
    product_code = models.CharField(max_length=64)
    installments = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.operation.external_id} {self.installments}x"
