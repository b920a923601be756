"""Card operations on a revolving line: authorize against the caps, draw on the line, charge the fee,
convert a foreign currency and send the currency notice (rules in ``guichet.credit.card``, seed 004).

An operation arrives with the processor's ``external_id`` (the import file or the API): the same id
twice returns the first decision and writes nothing more. An authorized operation is a drawdown on
the line (``draw_revolving``: within the available amount, usury on the amount used); an ATM fee
is carried to the line as principal, so it bears interest ("montants portés au débit de votre compte
et portant intérêts"). A refusal is stored with its reason and writes nothing to the ledger.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from guichet.catalogue.exceptions import CatalogueError
from guichet.catalogue.selectors import fx_margins
from guichet.credit import EUR, Money
from guichet.credit.card import (
    ATM_CAP,
    FEE_REGIME_CHANGE,
    PAYMENT_CAP,
    CardUse,
    annual_fee,
    authorize,
    convert_to_euros,
    foreign_exponent,
    notice_due,
    withdrawal_fees,
)
from guichet.credit.dates import add_months
from guichet.credit.parity import convert
from guichet.errors import GuichetError
from guichet.loans.errors import LoansError
from guichet.loans.models import JournalEntry
from guichet.loans.revolving_line import line_state
from guichet.loans.services.ledger import contract_account, lender_account, post_entry
from guichet.loans.services.revolving import draw_revolving
from guichet.notifications.email import send_email
from guichet.notifications.sms import send_sms

from .models import Card, CardOperation, FxNotice, SplitPlan
from .split import SplitRefused, open_split_plan, split_request

log = logging.getLogger(__name__)
NOTICE_TEXT = (
    "Opération en devise : le taux de change est le taux publié par la BCE, augmenté de la marge "
    "appliquée par Visa : marge = {margin} %"
)  # seed 004, "Opérations cartes en devises", the sheet's exact sentence


class CardOperationRefused(GuichetError):
    """The operation cannot even be considered (unknown card, bad currency...): nothing is stored."""

    code = "refused"  # the API's documented code (POST /api/v1/cards/operations)


@dataclass(frozen=True)
class Decision:
    operation: CardOperation
    authorized: bool
    reason: str


def _margin(code: str, on: date) -> Decimal:
    for m in fx_margins(on):
        if m.currency_code == code:
            return Decimal(m.margin_percent)  # stored as a fraction, the sheet prints a percentage
    raise CardOperationRefused(
        _("Devise %(code)s : pas une devise de l'Espace économique européen prise en charge.")
        % {"code": code}
    )


def _fx_notice(card: Card, code: str, margin: Decimal, on: date) -> None:
    """Send the notice once per card, currency and month (the unique constraint settles races)."""
    sent = FxNotice.objects.filter(card=card, currency=code, year=on.year, month=on.month)
    keys = [(card.pk, code, on.year, on.month)] if sent.exists() else []
    opted_out = card.fx_notice == Card.Notice.NONE
    if not notice_due(sent=keys, card_id=card.pk, currency=code, on=on, professional=card.professional,
                      opted_out=opted_out):  # fmt: skip
        return
    try:
        with transaction.atomic():
            FxNotice.objects.create(
                card=card, currency=code, year=on.year, month=on.month, channel=card.fx_notice
            )
    except IntegrityError:
        return
    text = NOTICE_TEXT.format(margin=f"{margin.quantize(Decimal('0.00001')):f}".replace(".", ","))
    holder = card.holder

    def send() -> None:
        if card.fx_notice == Card.Notice.SMS and holder.phone:
            send_sms(to=holder.phone, text=text)
        elif holder.email:
            send_email(to=holder.email, subject=_("Opération en devise"), template="fx_notice",
                       context={"text": text, "card": card}, language=holder.language or "fr")  # fmt: skip

    transaction.on_commit(send)


def present_operation(
    *,
    card_reference: str,
    external_id: str,
    kind: str,
    on: date,
    amount_minor: int,
    currency_code: str = "EUR",
    ecb_rate: Decimal | None = None,
    merchant: str = "",
    split_product: str = "",
    split_installments: int | None = None,
) -> Decision:
    """Authorize or refuse one operation; idempotent on ``external_id``. A payment with ``split_product``
    becomes an amortizable sub-plan of ``split_installments`` payments (``cards.split``)."""
    existing = CardOperation.objects.filter(external_id=external_id).first()
    if existing is not None:
        return Decision(existing, existing.authorized, existing.reason)
    card = Card.objects.select_related("contract", "holder").filter(reference=card_reference).first()
    if card is None:
        raise CardOperationRefused(_("Carte inconnue : %(ref)s.") % {"ref": card_reference})
    if kind not in CardOperation.Kind.values:
        raise CardOperationRefused(_("Type d'opération inconnu : %(kind)s.") % {"kind": kind})
    if amount_minor <= 0:
        raise CardOperationRefused(_("Le montant d'une opération doit être positif."))
    split = None
    if split_product or split_installments:
        try:
            split = split_request(
                product_code=split_product, installments=split_installments, kind=kind, on=on
            )
        except SplitRefused as exc:
            raise CardOperationRefused(str(exc)) from None
    contract = card.contract
    margin = None
    if currency_code == contract.currency:
        amount = contract.money(amount_minor)
    else:
        if contract.currency != EUR.code or ecb_rate is None:
            raise CardOperationRefused(_("Une opération en devise doit venir avec le taux BCE du jour."))
        margin = _margin(currency_code, on)
        amount = convert_to_euros(amount_minor, exponent=foreign_exponent(currency_code), ecb_rate=ecb_rate,
                                  margin_percent=margin)  # fmt: skip
    with transaction.atomic():
        decision = _decide(
            card,
            external_id,
            kind,
            on,
            amount,
            currency_code,
            amount_minor,
            ecb_rate,
            margin,
            merchant,
            split,
        )
        if decision.authorized and margin is not None:
            _fx_notice(card, currency_code, margin, on)
    return decision


def _decide(  # type: ignore[no-untyped-def]
    card, external_id, kind, on, amount, code, original, ecb_rate, margin, merchant, split=None
) -> Decision:
    contract = card.contract
    recent = CardOperation.objects.filter(card=card, authorized=True, on__gte=on - timedelta(days=31))
    uses = [CardUse(op.on, contract.money(op.amount_minor), op.kind) for op in recent if op.on <= on]
    state = line_state(contract)
    cur = contract.currency_obj
    reason = ""
    if card.status != Card.Status.ACTIVE:
        reason = _("Carte en opposition : aucune opération n'est acceptée.")
    elif contract.use_stopped_on is not None or not contract.is_active:
        reason = _("Le crédit renouvelable de cette carte n'accepte plus d'utilisation.")
    else:
        # the sheet's euro caps in the line's currency at the legal parity, rounded down (never above)
        check = authorize(uses, kind=kind, amount=amount, on=on, available=state.available,
                          atm_cap=convert(ATM_CAP, cur, rounding="down"),
                          payment_cap=convert(PAYMENT_CAP, cur, rounding="down"))  # fmt: skip
        reason = check.reason
    fee = Money(0, amount.currency)
    if not reason and kind == CardOperation.Kind.ATM:
        month = sorted(
            u.on for u in uses if u.kind == "atm" and (u.on.year, u.on.month) == (on.year, on.month)
        )
        fee = convert(withdrawal_fees([*month, on], card_requested_on=card.requested_on)[-1], cur,
                      rounding="half_up")  # fmt: skip
        if amount + fee > state.available:
            reason = _("Montant disponible insuffisant pour le retrait et ses frais.")
    plan = None
    if not reason:
        try:
            if split is not None:  # an amortizable sub-plan, not a drawdown on the revolving balance
                plan = open_split_plan(card=card, amount=amount, on=on, split=split)
            else:
                draw_revolving(contract=contract, amount=amount, on=on, key=f"card:{external_id}")
        except (LoansError, CatalogueError) as exc:
            reason = str(exc)
    if not reason and fee.minor:
        post_entry(
            key=f"card-fee:{external_id}",
            kind=JournalEntry.Kind.FEE,
            effective_on=on,
            contract=contract,
            memo=_("Frais de retrait"),
            lines=[
                (contract_account(contract, "principal"), fee),
                (lender_account("income:fees", contract.currency), -fee),
            ],
        )
    foreign = margin is not None
    op = CardOperation.objects.create(
        card=card,
        external_id=external_id,
        kind=kind,
        on=on,
        amount_minor=amount.minor,
        fee_minor=0 if reason else fee.minor,
        original_currency=code if foreign else "",
        original_amount_minor=original if foreign else None,
        ecb_rate=ecb_rate if foreign else None,
        margin_percent=margin,
        merchant=merchant[:120],
        authorized=not reason,
        reason=str(reason)[:300],
    )
    if plan is not None:
        SplitPlan.objects.create(card=card, operation=op, plan=plan, product_code=split.product_code,
                                 installments=split.installments)  # fmt: skip
    return Decision(op, not reason, str(reason))


def set_fx_notice(*, card: Card, channel: str) -> Card:
    """The holder picks how she is told about currency conversions, or opts out."""
    if channel not in Card.Notice.values:
        raise CardOperationRefused(_("Choisissez email, SMS ou aucune notification."))
    card.fx_notice = channel
    card.save(update_fields=["fx_notice"])
    return card


def oppose_card(*, card: Card) -> Card:
    """The holder blocks her card for loss or theft, free (seed 004: "Mise en opposition pour perte, vol
    ou usage abusif venant d'un tiers : 0,00 €"); every later operation is refused with the reason."""
    if card.status == Card.Status.OPPOSED:
        raise CardOperationRefused(_("Cette carte est déjà en opposition."))
    card.status = Card.Status.OPPOSED
    card.save(update_fields=["status"])
    return card


def charge_annual_fees(*, on: date) -> int:
    """Post the annual fee of every active card whose request anniversary is ``on`` (seed 004: 24 € for
    cards requested up to 09/09/2013, free after), to the line as principal so it bears interest.
    Idempotent (key ``card-annual-fee:<card>:<year>``); returns the number of fees posted."""

    posted = 0
    cards = Card.objects.filter(
        status=Card.Status.ACTIVE, requested_on__lte=FEE_REGIME_CHANGE
    ).select_related("contract")
    for card in cards:
        years = on.year - card.requested_on.year
        if years < 1 or add_months(card.requested_on, 12 * years) != on or not card.contract.is_active:
            continue
        fee = annual_fee(card_requested_on=card.requested_on)
        key = f"card-annual-fee:{card.pk}:{on.year}"
        if JournalEntry.objects.filter(idempotency_key=key).exists():
            continue
        post_entry(
            key=key,
            kind=JournalEntry.Kind.FEE,
            effective_on=on,
            contract=card.contract,
            memo=_("Cotisation annuelle de la carte"),
            lines=[
                (contract_account(card.contract, "principal"), fee),
                (lender_account("income:fees", card.contract.currency), -fee),
            ],
        )
        posted += 1
    return posted
