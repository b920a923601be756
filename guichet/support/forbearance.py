"""Forbearance before enforcement: Code de la consommation L312-35-1 as rewritten by ordonnance
n° 2025-880 (in force 20 November 2026; legal.tricoteuses.fr JORFARTI000052184352).

« Le prêteur s'astreint à respecter un délai raisonnable avant d'engager une procédure d'exécution à
l'encontre d'un emprunteur en difficulté financière et lui propose, s'il y a lieu, des mesures de
renégociation tenant notamment compte de sa situation personnelle » — refinancing (1°) or a change of
the terms (2° a to i: longer term, another type of credit, deferral, lower rate, rescheduling, partial
repayments, partial remission and consolidation, temporary waiver, currency conversion). The law-firm
summaries of the reform add the free referral to debt advice (ddg.fr: « les orienter gratuitement vers
des services de conseil aux personnes endettées »).

So, in Guichet:
- the first arrears reminder of an episode carries an offer of those measures and the referral
  (``offer_forbearance``, called by ``collections.send_arrears_reminders``);
- the borrower can ask for a measure from the space at any time (``request_forbearance``);
- ``start_enforcement`` refuses while no offer was made for the episode, while the borrower's request
  is unanswered, or before ``REASONABLE_DELAY_DAYS`` after the offer.

The duty applies to running revolving contracts too (ordonnance 2025-880 art. 99 II); Guichet applies
it to every contract (old amortizable contracts included): the stricter reading.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit import trail
from guichet.customers.models import Customer, User
from guichet.errors import GuichetError
from guichet.lenders.profile import get_profile, lender_day
from guichet.loans.models import Contract
from guichet.loans.positions import positions_for
from guichet.loans.selectors import contract_for

from .models import ForbearanceOffer

#: "Délai raisonnable" is not quantified by the text; our choice, stated in docs/credit.md.
REASONABLE_DELAY_DAYS = 30

#: Every measure of L312-35-1 that a lender in euros or francs CFP can offer (i, currency, excluded).
MEASURES = [m.value for m in ForbearanceOffer.Measure]


class ForbearanceError(GuichetError):
    """A forbearance step cannot be taken; the message says why."""

    code = "forbearance_refused"


class ForbearanceFirst(ForbearanceError):
    """Enforcement refused: the borrower must first be offered renegotiation measures (L312-35-1)."""


def debt_advice_referral() -> str:
    """The free debt-advice service the borrower is referred to, for the lender's territory.

    The lender profile's ``debt_advice`` when it names one (the New Caledonian lender: the
    over-indebtedness commission whose secretariat the IEOM keeps in Nouméa — a demo value to confirm,
    ``debt_advice_confirmed = false``); else the Points conseil budget in France.
    """
    profile = get_profile()
    if profile.debt_advice:
        return profile.debt_advice
    if profile.country.upper() in {"FR", "FRA"}:
        return _(
            "Conseil budgétaire gratuit : les Points conseil budget (PCB), labellisés par l'État, "
            "vous aident sans frais (liste sur www.mesquestionsdargent.fr) ; en cas de surendettement, "
            "la commission de surendettement de la Banque de France."
        )
    return _(
        "Conseil budgétaire gratuit : le service social de votre commune ou de votre province vous "
        "oriente sans frais vers un accompagnement budgétaire ; en cas de surendettement, la commission "
        "de surendettement."
    )


def offer_forbearance(
    *, contract: Contract, customer: Customer | None, episode_started_on: date
) -> ForbearanceOffer:
    """The offer of measures for this delinquency episode (made once; later calls return it)."""
    try:
        with transaction.atomic():
            return ForbearanceOffer.objects.create(
                contract=contract,
                customer=customer,
                episode_started_on=episode_started_on,
                measures=MEASURES,
                debt_advice=debt_advice_referral(),
            )
    except IntegrityError:
        return ForbearanceOffer.objects.get(contract=contract, episode_started_on=episode_started_on)


def offers_for(contract_ids: list[int]) -> dict[tuple[int, date], ForbearanceOffer]:
    """Offers by (contract id, episode start), in one query, for the collections queue."""
    offers = ForbearanceOffer.objects.filter(contract_id__in=contract_ids)
    return {(o.contract_id, o.episode_started_on): o for o in offers}


def _episode_of(contract: Contract, on: date) -> date:
    """The start of the current delinquency episode, or ``on`` when the contract is not in arrears."""
    days = positions_for([contract.pk])[contract.pk].days_past_due(on)
    return on - timedelta(days=days) if days > 0 else on


def request_forbearance(
    *, customer: Customer, contract_number: str, measure: str, note: str = ""
) -> ForbearanceOffer:
    """The borrower asks for a measure from the space (in arrears or expecting difficulties)."""
    if measure not in MEASURES:
        raise ForbearanceError(_("Choisissez l'une des mesures proposées."))
    try:
        contract = contract_for(customer, contract_number)
    except Contract.DoesNotExist:
        raise ForbearanceError(_("Ce contrat n'est pas à votre nom.")) from None
    if contract.status not in (Contract.Status.OPEN, Contract.Status.DELINQUENT):
        raise ForbearanceError(_("Ce contrat n'est plus en cours."))
    today = lender_day()
    with transaction.atomic():
        offer = offer_forbearance(
            contract=contract, customer=customer, episode_started_on=_episode_of(contract, today)
        )
        offer = ForbearanceOffer.objects.select_for_update().get(pk=offer.pk)
        offer.status, offer.requested_measure = ForbearanceOffer.Status.REQUESTED, measure
        offer.request_note, offer.requested_at = note.strip()[:2000], timezone.now()
        offer.save(update_fields=["status", "requested_measure", "request_note", "requested_at"])
    return offer


def answer_forbearance_request(*, offer: ForbearanceOffer, by: User, answer: str) -> ForbearanceOffer:
    """The advisor's answer to the borrower's request (agreed measure or reasons for a refusal)."""
    if not answer.strip():
        raise ForbearanceError(_("Écrivez la réponse faite à l'emprunteur."))
    with transaction.atomic():
        offer = ForbearanceOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.status != ForbearanceOffer.Status.REQUESTED:
            raise ForbearanceError(_("Aucune demande du client n'attend de réponse."))
        offer.status, offer.answer, offer.answered_at = (
            ForbearanceOffer.Status.ANSWERED,
            answer.strip(),
            timezone.now(),
        )
        offer.save(update_fields=["status", "answer", "answered_at"])
        trail.record_if_staff(by=by, action="answer_forbearance", contract=offer.contract.number)
    return offer


def start_enforcement(*, contract: Contract, by: User, on: date) -> ForbearanceOffer:
    """Record the first enforcement step on ``contract``, only after the offer and a reasonable delay.

    Refused (``ForbearanceFirst``, nothing written) when no measures were offered for the current
    episode, when the borrower's request for a measure is unanswered, or before
    ``REASONABLE_DELAY_DAYS`` have passed since the offer (L312-35-1).
    """
    episode = _episode_of(contract, on)
    if episode == on:
        raise ForbearanceError(_("Ce contrat n'est pas en impayé."))
    with transaction.atomic():
        offer = (
            ForbearanceOffer.objects.select_for_update()
            .filter(contract=contract, episode_started_on=episode)
            .first()
        )
        if offer is None:
            raise ForbearanceFirst(
                _(
                    "Aucune mesure de renégociation n'a été proposée à l'emprunteur pour cet impayé : "
                    "proposez-les d'abord (article L312-35-1 du Code de la consommation)."
                )
            )
        if offer.status == ForbearanceOffer.Status.REQUESTED:
            raise ForbearanceFirst(
                _("L'emprunteur a demandé une mesure de renégociation : répondez-lui d'abord.")
            )
        earliest = lender_day(offer.offered_at) + timedelta(days=REASONABLE_DELAY_DAYS)
        if on < earliest:
            raise ForbearanceFirst(
                _("Délai raisonnable après la proposition de mesures : pas de procédure avant le %(day)s.")
                % {"day": earliest.strftime("%d/%m/%Y")}
            )
        offer.status, offer.enforcement_started_at, offer.enforcement_by = (
            ForbearanceOffer.Status.ENFORCEMENT,
            timezone.now(),
            by,
        )
        offer.save(update_fields=["status", "enforcement_started_at", "enforcement_by"])
        trail.record_if_staff(by=by, action="start_enforcement", contract=contract.number)
    return offer
