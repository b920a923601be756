"""Preparing a credit application in the back office: product terms, usury, exceptions, pre-contractual sheet.

The terms come from the catalogue (``product_terms``) and the TAEG from the very schedule the offer
will show (``signing.paperwork.offer_schedule``). A TAEG above the usury ceiling is refused outright
(the law allows no exception); an amount above the product's maximum, a TAEG above the product's
published maximum, or a TAEG within ``USURY_MARGIN`` of the ceiling is an exception that a
supervisor other than the creator must approve before a signature can be requested (four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.catalogue.exceptions import CatalogueError, OutOfRange
from guichet.catalogue.parity import bound_minor
from guichet.catalogue.selectors import product_on, product_terms
from guichet.credit import Currency, Money, currency
from guichet.credit import usury as credit_usury
from guichet.customers.models import Customer, User
from guichet.documents import render_pdf
from guichet.documents.services import deliver_document
from guichet.lenders.formatting import format_money
from guichet.lenders.profile import get_profile
from guichet.signing.models import Application
from guichet.signing.paperwork import offer_schedule
from guichet.signing.services import create_application

from .models import ApplicationReview

USURY_MARGIN = Decimal("0.0025")  # within 0.25 point of the ceiling: a second pair of eyes


class ApplicationRefused(Exception):
    """The application cannot be prepared; the message says why."""


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
    """The terms at the product's top amount, in ``cur`` (the XPF lender prices a EUR tariff in XPF).

    The catalogue converts the bounds (``ProductTerms.max_amount`` is in the asked currency): probe
    with the product's minimum, which is always in range, then price at the maximum it reports.
    """
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


def prepare_application(
    *,
    customer: Customer,
    product_code: str,
    amount: Money,
    term_months: int,
    insurance_id: int | None,
    by: User,
) -> Prepared:
    """Check terms and usury, create the application, flag exceptions, deliver the pre-contractual sheet."""
    today = timezone.localdate()
    terms, reasons = _terms(product_code, amount, term_months, today)
    option = next((o for o in terms.insurance_options if o.pk == insurance_id), None)
    if insurance_id and option is None:
        raise ApplicationRefused(_("Cette assurance n'est pas proposée pour ce produit."))
    with transaction.atomic():
        app = create_application(
            customer=customer,
            product_code=product_code,
            amount=amount,
            term_months=term_months,
            created_by=by,
            product_name=terms.product.name,
            debit_rate=terms.debit_rate,
            insurance=option.cover if option else "",
            insurance_kind=_insurance_kind(option),
            insurance_rate=option.rate if option else None,
        )
        schedule = offer_schedule(app)
        taeg = schedule.taeg.quantize(Decimal("0.0001"))
        check = credit_usury.check_usury(taeg=taeg, amount=amount, on=today)
        if not check.ok:
            raise ApplicationRefused(check.message)  # rolls the application back: nothing is kept
        if taeg > terms.max_taeg:
            reasons.append(_("TAEG au-dessus du maximum publié du produit"))
        if check.ceiling.rate - taeg <= USURY_MARGIN or check.ceiling.stale:
            reasons.append(_("Alerte usure : %(msg)s") % {"msg": check.message})
        app.taeg = taeg
        app.save(update_fields=["taeg"])
        review = ApplicationReview.objects.create(
            application=app, exception_reasons=reasons, usury_message=check.message
        )
    _deliver_sheet(app, schedule, taeg, check.message)
    return Prepared(app, review)


def _insurance_kind(option) -> str:  # type: ignore[no-untyped-def]
    if option is None:
        return ""
    return "monthly_on_borrowed" if option.kind == "monthly_on_borrowed" else "on_borrowed"


def _deliver_sheet(app: Application, schedule, taeg: Decimal, usury_message: str) -> None:  # type: ignore[no-untyped-def]
    """The standard European consumer credit information sheet (FIPEN / SECCI), in the customer's inbox."""
    language = app.customer.language or "fr"
    pdf = render_pdf(
        template="backoffice/pdf/fipen.html",
        context={
            "application": app,
            "customer": app.customer,
            "schedule": schedule,
            "taeg": taeg,
            "usury_message": usury_message,
            "issued_on": timezone.localdate(),
        },
        language=language,
    )
    deliver_document(
        customer=app.customer, kind="notice", title=_("Fiche d'information précontractuelle (FIPEN)"), pdf=pdf
    )


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
    return review


def signature_blocked(application: Application) -> str:
    """Why a signature cannot be requested yet ("" when it can)."""
    review = ApplicationReview.objects.filter(application=application).first()
    if review is not None and review.needs_approval:
        return _("Exception à faire approuver par un superviseur avant la demande de signature.")
    return ""
