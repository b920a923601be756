"""Preparing a credit application: product terms, the tariff's rate, usury, exceptions, the sheet.

The terms and the debit rate come from the catalogue (``product_terms``) and the TAEG from the very
schedule the offer will show (``signing.paperwork.offer_schedule``). A TAEG above the usury ceiling is
refused outright (L314-6 ff.: no exception). These are exceptions that a supervisor other than the
creator must approve before a signature can be requested (four eyes):

- a debit rate that is not the tariff's (issue 9: the demo offered 4,80 % where the tariff gives
  9,37 %): refused unless the advisor records why — the reason is kept with the review;
- an amount above the product's maximum, a TAEG above the product's published maximum, a TAEG within
  ``USURY_MARGIN`` of the ceiling.

A signature also waits for a favourable creditworthiness assessment (``assessment``, L312-16).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit import trail
from guichet.catalogue.exceptions import CatalogueError, OutOfRange
from guichet.catalogue.parity import bound_minor
from guichet.catalogue.selectors import product_on, product_terms
from guichet.credit import Currency, Money, currency
from guichet.credit import usury as credit_usury
from guichet.customers.models import Customer, User
from guichet.lenders.formatting import Formatter, format_money
from guichet.lenders.profile import get_profile
from guichet.signing.models import Application, SignatureRequest
from guichet.signing.paperwork import offer_schedule
from guichet.signing.services import create_application, request_signature

from .exceptions import ApplicationRefused, OffTariffRate
from .models import ApplicationReview, CreditAssessment
from .sheet import deliver_precontractual_sheet

USURY_MARGIN = Decimal("0.0025")  # within 0.25 point of the ceiling: a second pair of eyes

__all__ = [
    "ApplicationRefused",
    "OffTariffRate",
    "Prepared",
    "approve_exception",
    "prepare_application",
    "request_offer_signature",
    "signature_blocked",
]


@dataclass(frozen=True)
class Prepared:
    application: Application
    review: ApplicationReview


def _terms(product_code: str, amount: Money, term_months: int, on: date):  # type: ignore[no-untyped-def]
    """Terms for the amount, or for the product's maximum when the amount is above it (an exception)."""
    try:
        return product_terms(product_code=product_code, amount=amount, term_months=term_months, on=on), []
    except OutOfRange as exc:
        top = _max_terms(product_code, amount.currency, term_months, on)
        if top is None or top.max_amount is None or amount.minor <= top.max_amount.minor:
            raise ApplicationRefused(str(exc)) from exc
        limit = format_money(top.max_amount, iso_code=get_profile().money_pattern_iso)
        return top, [_("Montant au-dessus du maximum du produit (%(max)s)") % {"max": limit}]
    except CatalogueError as exc:
        raise ApplicationRefused(str(exc)) from exc


def _max_terms(product_code: str, cur: Currency, term_months: int, on: date):  # type: ignore[no-untyped-def]
    """The terms at the product's top amount, in ``cur`` (the XPF lender prices a EUR tariff in XPF)."""
    try:
        product = product_on(product_code, on)
        floor = bound_minor(product.min_amount_minor or 0, currency(product.currency), cur, upper=False)
        probe = product_terms(
            product_code=product_code, amount=Money(max(floor or 0, 1), cur), term_months=None, on=on
        )
        if probe.max_amount is None:
            return None
        return product_terms(
            product_code=product_code, amount=probe.max_amount, term_months=term_months, on=on
        )
    except CatalogueError:
        return None


def _rate(catalogue_rate: Decimal, proposed: Decimal | None, reason: str) -> tuple[Decimal, list[str]]:
    """The rate of the offer: the tariff's, or a proposed one with its recorded reason (an exception)."""
    if proposed is None or proposed == catalogue_rate:
        return catalogue_rate, []
    if not reason.strip():
        raise OffTariffRate(
            _(
                "Le taux débiteur %(rate)s n'est pas celui du barème (%(tariff)s pour ce montant et cette "
                "durée) : indiquez le motif de cette exception, qu'un superviseur devra approuver."
            )
            % {"rate": Formatter.current().rate(proposed), "tariff": Formatter.current().rate(catalogue_rate)}
        )
    return proposed, [
        _("Taux hors barème : %(rate)s au lieu de %(tariff)s — motif : %(reason)s")
        % {
            "rate": Formatter.current().rate(proposed),
            "tariff": Formatter.current().rate(catalogue_rate),
            "reason": reason.strip(),
        }
    ]


def prepare_application(
    *,
    customer: Customer,
    product_code: str,
    amount: Money,
    term_months: int,
    insurance_id: int | None,
    by: User,
    debit_rate: Decimal | None = None,
    rate_reason: str = "",
    co_borrower: Customer | None = None,
) -> Prepared:
    """Price from the catalogue, check usury, create the application, flag exceptions, deliver the sheet.

    ``debit_rate``: a rate the advisor proposes instead of the tariff's; refused without
    ``rate_reason``, else an exception for a supervisor. Bad input writes nothing.
    """
    today = timezone.localdate()
    terms, reasons = _terms(product_code, amount, term_months, today)
    rate, rate_reasons = _rate(terms.debit_rate, debit_rate, rate_reason)
    option = next((o for o in terms.insurance_options if o.pk == insurance_id), None)
    if insurance_id and option is None:
        raise ApplicationRefused(_("Cette assurance n'est pas proposée pour ce produit."))
    with transaction.atomic():
        app = create_application(
            customer=customer,
            co_borrower=co_borrower,
            product_code=product_code,
            amount=amount,
            term_months=term_months,
            created_by=by,
            product_name=terms.product.name,
            debit_rate=rate,
            insurance=option.cover if option else "",
            insurance_kind=_insurance_kind(option),
            insurance_rate=option.rate if option else None,
        )
        schedule = offer_schedule(app)
        taeg = schedule.taeg.quantize(Decimal("0.0001"))
        check = credit_usury.check_usury(taeg=taeg, amount=amount, on=today)
        if not check.ok:
            raise ApplicationRefused(check.message)  # rolls the application back: nothing is kept
        reasons = rate_reasons + reasons
        if taeg > terms.max_taeg:
            reasons.append(_("TAEG au-dessus du maximum publié du produit"))
        if check.ceiling.rate - taeg <= USURY_MARGIN or check.ceiling.stale:
            reasons.append(_("Alerte usure : %(msg)s") % {"msg": check.message})
        app.taeg = taeg
        app.save(update_fields=["taeg"])
        review = ApplicationReview.objects.create(
            application=app,
            exception_reasons=reasons,
            usury_message=check.message,
            catalogue_debit_rate=terms.debit_rate,
            rate_reason=rate_reason.strip() if rate_reasons else "",
        )
        trail.record_if_staff(
            by=by,
            action="create_application",
            customer=customer,
            target=f"application:{app.pk}",
            exception=review.exception_reasons,
        )
    deliver_precontractual_sheet(app, schedule=schedule, taeg=taeg, usury_message=check.message)
    return Prepared(app, review)


def _insurance_kind(option) -> str:  # type: ignore[no-untyped-def]
    if option is None:
        return ""
    return "monthly_on_borrowed" if option.kind == "monthly_on_borrowed" else "on_borrowed"


def approve_exception(*, application: Application, by: User) -> ApplicationReview:
    """A supervisor who did not create the application approves its exception (the view checks the role)."""
    with transaction.atomic():
        review = ApplicationReview.objects.select_for_update().get(application=application)
        if application.created_by_id == by.pk:
            raise ApplicationRefused(
                _("Vous ne pouvez pas approuver l'exception d'un dossier que vous avez créé.")
            )
        if not review.needs_approval:
            raise ApplicationRefused(_("Ce dossier ne demande pas, ou plus, d'approbation."))
        review.approved_by, review.approved_at = by, timezone.now()
        review.save(update_fields=["approved_by", "approved_at"])
        trail.record_if_staff(
            by=by, action="approve_exception", customer=application.customer, target=_target(application)
        )
    return review


def _target(application: Application) -> str:
    return f"application:{application.pk}"


def signature_blocked(application: Application) -> str:
    """Why a signature cannot be requested yet ("" when it can)."""
    review = ApplicationReview.objects.filter(application=application).first()
    if review is None:
        return _("Demande non préparée par l'origination (barème, usure) : signature impossible.")
    if review.needs_approval:
        return _("Exception à faire approuver par un superviseur avant la demande de signature.")
    if application.debit_rate != review.catalogue_debit_rate and review.approved_at is None:
        return _("Le taux de l'offre n'est pas celui du barème et n'a pas été approuvé.")
    assessment = CreditAssessment.objects.filter(application=application).first()
    if assessment is None:
        return _("Évaluation de la solvabilité à faire avant la demande de signature (article L312-16).")
    if assessment.outcome != CreditAssessment.Outcome.FAVOURABLE:
        return _("Évaluation de la solvabilité défavorable : pas d'offre de crédit (article L312-16).")
    return ""


def request_offer_signature(*, application: Application, by: User) -> SignatureRequest:
    """Put the offer up for signature once nothing blocks it (exceptions approved, solvency assessed)."""
    if blocked := signature_blocked(application):
        raise ApplicationRefused(blocked)
    with transaction.atomic():
        signature = request_signature(application=application, requested_by=by)
        trail.record_if_staff(
            by=by, action="request_signature", customer=application.customer, target=_target(application)
        )
    return signature
