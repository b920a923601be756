"""The holder's requests on her card from "Ma carte", each priced from the tariff in force and confirmed
by an SMS code bound to exactly that request (card, kind, reason, fee, day): PIN reissue, replacement,
opposition (seed 004, "Tarifs et conditions attachés à la Carte Bancaire COFIDIS").

- Fees come from the catalogue (``catalogue.selectors.card_fees`` for the card variant of its request
  date and the line's product): "Réédition du code" 7 €, "Frais de remplacement de la Carte" 10 €,
  "Mise en opposition pour perte, vol ou usage abusif venant d'un tiers" free, "… pour utilisation
  abusive de la part du titulaire" 25 €. The fee is shown before the code is sent.
- A fee is posted to the line's principal (``JournalEntry.Kind.FEE``), so it bears interest like every
  other card fee ("Montants portés au débit de votre compte et portant intérêts"), and appears on the
  next monthly statement with its label.
- Idempotent: one request per confirming code (``CardRequest.key``), one ledger entry per request
  (``card-fee:request:<id>``) and one per misuse classification (``card-fee:misuse:<id>``).
- An opposition is declared by the holder for loss, theft or a third party's misuse (free); only the
  back office can classify it as the holder's own abusive use (``classify_opposition_abusive``), which
  posts the 25 € once.
- A replacement records the request and its fee; the new card itself comes from the card processor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.audit import trail
from guichet.catalogue.selectors import card_fees
from guichet.credit import Money
from guichet.credit.parity import convert
from guichet.loans.models import JournalEntry
from guichet.loans.services.ledger import contract_account, lender_account, post_entry
from guichet.payments.stepup import binding, issue_code, sms_operation, verify_code

from .models import Card, CardRequest
from .services import CardOperationRefused

FEE_CODES = {
    CardRequest.Kind.PIN_REISSUE: "pin_reissue",
    CardRequest.Kind.REPLACEMENT: "card_replacement",
    CardRequest.Kind.OPPOSITION: "opposition_third_party",
}
MISUSE_FEE_CODE = "opposition_holder_misuse"
SMS_WORDING = {
    CardRequest.Kind.PIN_REISSUE: gettext_lazy(
        "la réédition du code de votre carte %(card)s (frais : %(fee)s)"
    ),
    CardRequest.Kind.REPLACEMENT: gettext_lazy("le remplacement de votre carte %(card)s (frais : %(fee)s)"),
    CardRequest.Kind.OPPOSITION: gettext_lazy(
        "la mise en opposition de votre carte %(card)s (frais : %(fee)s)"
    ),
}


@dataclass(frozen=True)
class CardRequestPreview:
    card: Card
    kind: str
    reason: str
    on: date
    fee: Money
    fee_code: str
    fee_label: str


def card_fee(card: Card, code: str, on: date) -> tuple[Money, str]:
    """The sheet's fee ``code`` for this card (variant by request date, the line's product), in the
    line's currency (XPF at the legal parity, half-up), with the sheet's label."""
    contract = card.contract
    fees = card_fees(on, card_requested_on=card.requested_on, product_code=contract.product_code)
    found = next((f for f in fees if f.code == code and f.kind == "fee"), None)
    if found is None:
        raise CardOperationRefused(
            _("Le tarif en vigueur ne prévoit pas ce service pour cette carte (%(code)s).") % {"code": code}
        )
    return convert(found.amount, contract.currency_obj, rounding="half_up"), found.label


def preview(*, card: Card, kind: str, on: date, reason: str = "") -> CardRequestPreview:
    """The request checked now, with the fee it will cost (nothing is written)."""
    if kind not in CardRequest.Kind.values:
        raise CardOperationRefused(_("Demande inconnue."))
    if kind == CardRequest.Kind.OPPOSITION:
        if reason not in CardRequest.Reason.values:
            raise CardOperationRefused(
                _("Indiquez le motif de l'opposition : perte, vol ou usage abusif par un tiers.")
            )
        if card.status == Card.Status.OPPOSED:
            raise CardOperationRefused(_("Cette carte est déjà en opposition."))
    else:
        reason = ""
        if kind == CardRequest.Kind.PIN_REISSUE and card.status != Card.Status.ACTIVE:
            raise CardOperationRefused(_("Carte en opposition : demandez plutôt son remplacement."))
    if not card.contract.is_active:
        raise CardOperationRefused(_("Le crédit renouvelable de cette carte n'est plus en cours."))
    fee, label = card_fee(card, FEE_CODES[CardRequest.Kind(kind)], on)
    return CardRequestPreview(card, kind, reason, on, fee, FEE_CODES[CardRequest.Kind(kind)], label)


def _bound(req: CardRequestPreview) -> str:
    return binding(operation=f"card_{req.kind}", contract_number=req.card.contract.number, amount=req.fee,
                   extra=f"{req.card.pk}|{req.reason}|{req.on.isoformat()}")  # fmt: skip


def request_code(*, customer: Any, req: CardRequestPreview) -> Any:
    """Send the SMS code that confirms exactly this request at this fee."""
    if req.card.holder_id != customer.pk:
        raise CardOperationRefused(_("Carte inconnue."))
    operation = sms_operation(
        SMS_WORDING[CardRequest.Kind(req.kind)], card=req.card.masked_number, fee=req.fee
    )
    return issue_code(
        purpose=f"card_{req.kind}", bound_to=_bound(req), customer=customer, operation=operation
    )


def confirm(*, customer: Any, req: CardRequestPreview, code: str) -> CardRequest:
    """Check the code (outside any transaction), then record the request and post its fee once."""
    if req.card.holder_id != customer.pk:
        raise CardOperationRefused(_("Carte inconnue."))
    used = verify_code(purpose=f"card_{req.kind}", bound_to=_bound(req), code=code, customer=customer)
    return apply(req, key=f"card-request:{used.pk}")


def _post_fee(card: Card, fee: Money, *, key: str, on: date, memo: str) -> None:
    contract = card.contract
    post_entry(
        key=key,
        kind=JournalEntry.Kind.FEE,
        effective_on=on,
        contract=contract,
        memo=memo,
        lines=[
            (contract_account(contract, "principal"), fee),
            (lender_account("income:fees", contract.currency), -fee),
        ],
    )


def apply(req: CardRequestPreview, *, key: str) -> CardRequest:
    """Record the request (once per ``key``), oppose the card if asked, post the fee to the line."""
    with transaction.atomic():
        card = Card.objects.select_for_update().select_related("contract").get(pk=req.card.pk)
        existing = CardRequest.objects.filter(key=key).first()
        if existing is not None:
            return existing
        if req.kind == CardRequest.Kind.OPPOSITION:
            if card.status == Card.Status.OPPOSED:
                raise CardOperationRefused(_("Cette carte est déjà en opposition."))
            card.status = Card.Status.OPPOSED
            card.save(update_fields=["status"])
        made = CardRequest.objects.create(card=card, kind=req.kind, reason=req.reason, on=req.on, key=key,
                                          fee_code=req.fee_code, fee_minor=req.fee.minor)  # fmt: skip
        if req.fee.minor:
            _post_fee(card, req.fee, key=f"card-fee:request:{made.pk}", on=req.on, memo=req.fee_label)
    return made


def classify_opposition_abusive(*, request: CardRequest, by: Any, on: date | None = None) -> CardRequest:
    """The back office finds that an opposition was the holder's own abusive use: the sheet's fee
    (25 €) is posted to the line once; classifying again changes nothing."""
    with transaction.atomic():
        req = CardRequest.objects.select_for_update().select_related("card__contract").get(pk=request.pk)
        if req.kind != CardRequest.Kind.OPPOSITION:
            raise CardOperationRefused(_("Seule une mise en opposition peut être classée comme abusive."))
        if req.classified_abusive_at is not None:
            return req
        day = on or timezone.localdate()
        fee, label = card_fee(req.card, MISUSE_FEE_CODE, day)
        req.fee_code, req.fee_minor = MISUSE_FEE_CODE, fee.minor
        req.classified_abusive_at, req.classified_by = timezone.now(), by
        req.save(update_fields=["fee_code", "fee_minor", "classified_abusive_at", "classified_by"])
        if fee.minor:
            _post_fee(req.card, fee, key=f"card-fee:misuse:{req.pk}", on=day, memo=label)
        trail.record_if_staff(by=by, action="classify_card_opposition", contract=req.card.contract.number)
    return req
