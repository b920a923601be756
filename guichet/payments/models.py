"""Payments: direct-debit mandates and collections, returns, payment instructions (early repayment,
scheduled transfers) and debit-date changes.

Money never lives here as a balance: every movement is posted to the loans ledger, these rows only
record what was asked, what was sent to the bank and what came back. Amounts are integer minor
units with their currency.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.credit import Money, currency

from .sepa import mask_iban


class Mandate(models.Model):
    """A SEPA Core mandate (or, for the XPF lender, a local debit authorisation) for one contract."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Actif")
        REVOKED = "revoked", _("Révoqué")

    class Channel(models.TextChoices):
        SEPA = "sepa", _("Prélèvement SEPA")
        LOCAL = "local", _("Prélèvement local")

    contract = models.ForeignKey("loans.Contract", on_delete=models.PROTECT, related_name="mandates")
    reference = models.CharField(_("référence unique de mandat"), max_length=35, unique=True)
    creditor_id = models.CharField(_("identifiant créancier"), max_length=35, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.SEPA)
    holder_name = models.CharField(_("titulaire du compte"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11)
    signed_on = models.DateField(_("date de signature"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    first_collected_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract"], condition=models.Q(status="active"), name="payments_one_active_mandate"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def iban_masked(self) -> str:
        return mask_iban(self.iban)


class DebitBatch(models.Model):
    """One collection file sent to the bank (pain.008 for SEPA, CSV for the local channel).

    A business day posts its debits in chunks, on several workers, into one *open* batch of the date;
    its last step writes the one file of all of them and marks the batch *sent*
    (``payments.services.debits``). A batch of ``run_direct_debits`` is sent in the transaction that
    posts it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Débits en cours de passation, fichier à écrire")
        SENT = "sent", _("Fichier écrit")

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENT)
    channel = models.CharField(max_length=8, choices=Mandate.Channel.choices)
    collection_on = models.DateField()
    message_id = models.CharField(max_length=35, unique=True)
    currency = models.CharField(max_length=3)
    count = models.PositiveIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One file per collection date and channel while a business day posts into it.
            models.UniqueConstraint(
                fields=["collection_on", "channel"],
                condition=models.Q(status="open"),
                name="payments_one_open_batch_per_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.collection_on} ({self.count})"


class DebitFilePart(models.Model):
    """A business-day chunk's share of its date's collection file, kept until the file is written.

    The chunk writes it with its debits (the pain.008 transactions of each PmtInf, validated against
    the XSD, or the local CSV's lines); the ``file`` step joins the parts in chunk order, checks they
    cover exactly the batch's debits, writes the file and deletes them (issue 14: the file step no
    longer reads and formats 100 000 debits again on one worker).
    """

    batch = models.ForeignKey(DebitBatch, on_delete=models.CASCADE, related_name="parts")
    first_contract_id = models.BigIntegerField(
        help_text="The chunk's first contract id: parts join in this order."
    )
    key = models.CharField(
        max_length=40, help_text="PmtInf key (sequence type::date), or 'local' for the CSV."
    )
    count = models.PositiveIntegerField()
    total_minor = models.BigIntegerField()
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "first_contract_id", "key"], name="payments_one_part_per_chunk"
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} from {self.first_contract_id} {self.key} ({self.count})"


class DirectDebit(models.Model):
    """One installment collected by direct debit, posted as a pending payment: with its file in one
    transaction (``run_direct_debits``), or by a business-day chunk before the day's ``file`` step."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Prélevé, en attente")
        REJECTED = "rejected", _("Rejeté")

    # Indexed by the unique (contract, due_on) below, which serves lookups by contract too (issue 14).
    contract = models.ForeignKey(
        "loans.Contract", on_delete=models.PROTECT, related_name="direct_debits", db_index=False
    )
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="debits")
    batch = models.ForeignKey(DebitBatch, on_delete=models.PROTECT, related_name="debits")
    due_on = models.DateField()
    installment_number = models.PositiveSmallIntegerField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    end_to_end_id = models.CharField(max_length=35, unique=True)
    sequence_type = models.CharField(max_length=4)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    entry_key = models.CharField(max_length=200, help_text="Idempotency key of the ledger payment entry.")
    return_code = models.CharField(max_length=4, blank=True)
    returned_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            # Running the daily command twice cannot collect the same installment twice.
            models.UniqueConstraint(fields=["contract", "due_on"], name="payments_one_debit_per_due_date"),
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="payments_debit_positive"),
        ]
        indexes = [models.Index(fields=["due_on", "status"])]

    def __str__(self) -> str:
        return self.end_to_end_id

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, currency(self.currency))


class PreNotification(models.Model):
    """The notice of amount and date sent before a debit (EPC rulebook: 14 days unless agreed otherwise)."""

    contract = models.ForeignKey("loans.Contract", on_delete=models.CASCADE, related_name="pre_notifications")
    due_on = models.DateField()
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    document_id = models.BigIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "due_on"], name="payments_one_notice_per_debit")
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.due_on}"


class PaymentInstruction(models.Model):
    """Money the customer promised to send by transfer: an early repayment or a scheduled extra payment."""

    class Kind(models.TextChoices):
        EARLY_TOTAL = "early_total", _("Remboursement anticipé total")
        EARLY_PARTIAL = "early_partial", _("Remboursement anticipé partiel")
        EXTRA = "extra", _("Versement programmé")

    class Mode(models.TextChoices):
        NONE = "", "—"
        REDUCE_TERM = "reduce_term", _("Réduire la durée")
        REDUCE_INSTALLMENT = "reduce_installment", _("Réduire la mensualité")

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("En attente du virement")
        POSTED = "posted", _("Comptabilisé")
        CANCELLED = "cancelled", _("Annulé")

    contract = models.ForeignKey(
        "loans.Contract", on_delete=models.PROTECT, related_name="payment_instructions"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    mode = models.CharField(max_length=20, choices=Mode.choices, blank=True, default="")
    reference = models.CharField(_("référence du virement"), max_length=35, unique=True)
    # The quote the customer confirmed: two confirmations of the same quote collide on this key.
    quote_key = models.CharField(max_length=64, unique=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    principal_minor = models.BigIntegerField(default=0)
    interest_minor = models.BigIntegerField(default=0)
    indemnity_minor = models.BigIntegerField(default=0)
    repay_on = models.DateField()
    valid_until = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING)
    scheduled_transfer = models.ForeignKey(
        "payments.ScheduledTransfer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructions",
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="payments_instr_positive")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, currency(self.currency))


class ScheduledTransfer(models.Model):
    """A one-off or monthly extra payment the customer plans to send toward a contract."""

    class Frequency(models.TextChoices):
        ONCE = "once", _("Une fois")
        MONTHLY = "monthly", _("Chaque mois")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Actif")
        CANCELLED = "cancelled", _("Annulé")
        DONE = "done", _("Terminé")

    contract = models.ForeignKey(
        "loans.Contract", on_delete=models.PROTECT, related_name="scheduled_transfers"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=35, unique=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    first_on = models.DateField()
    last_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="payments_transfer_positive")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, currency(self.currency))


class DebitDateChange(models.Model):
    """A change of the monthly debit day, counted against the profile's yearly limit."""

    contract = models.ForeignKey(
        "loans.Contract", on_delete=models.PROTECT, related_name="debit_date_changes"
    )
    old_day = models.PositiveSmallIntegerField()
    new_day = models.PositiveSmallIntegerField()
    first_new_due_on = models.DateField()
    interest_adjustment_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.contract_id} {self.old_day}->{self.new_day}"
