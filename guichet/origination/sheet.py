"""The standard pre-contractual information form, generated from the same data as the offer.

Décret n° 2026-105 du 19 février 2026 (regulatory part of the CCD2 transposition) recasts the
standard European form (CCD2 art. 10 and Annex I, "Standard European Consumer Credit Information")
and adds the contact of a debt-advice service and a notice on automated processing (law-firm summary
jm-audit-expertise.com, 20/02/2026). The annex itself was not retrieved with the search tool: the
layout follows CCD2 Annex I as we know it (an overview of the key figures first, then the lender,
the credit, its cost, the legal aspects) and carries every item of the summary; see docs/credit.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.documents import render_pdf
from guichet.documents.services import deliver_document
from guichet.lenders.profile import lender_day
from guichet.signing.models import Application
from guichet.signing.rules import NO_PAYMENT_DAYS, WITHDRAWAL_DAYS
from guichet.support.forbearance import debt_advice_referral

from .regime import application_duties

TEMPLATE = "origination/pdf/precontractual.html"


def sheet_context(app: Application, *, schedule, taeg: Decimal, usury_message: str) -> dict:  # type: ignore[no-untyped-def]
    """Everything the form prints, read from the application and the offer's own schedule."""
    return {
        "application": app,
        "customer": app.customer,
        "schedule": schedule,
        "taeg": taeg,
        "usury_message": usury_message,
        "issued_on": timezone.localdate(),
        "withdrawal_days": WITHDRAWAL_DAYS,
        "no_payment_days": NO_PAYMENT_DAYS,
        "debt_advice": debt_advice_referral(),
        # The information regime (L312-4-1 lighter regime or the standard form): printed on the form;
        # Guichet delivers the full form in both cases (the stricter reading, docs/credit.md §7f).
        "information": application_duties(offered_on=lender_day(), schedule=schedule),
    }


def render_precontractual_sheet(app: Application, *, schedule, taeg: Decimal, usury_message: str) -> bytes:  # type: ignore[no-untyped-def]
    return render_pdf(
        template=TEMPLATE,
        context=sheet_context(app, schedule=schedule, taeg=taeg, usury_message=usury_message),
        language=app.customer.language or "fr",
    )


def deliver_precontractual_sheet(app: Application, *, schedule, taeg: Decimal, usury_message: str) -> None:  # type: ignore[no-untyped-def]
    """The form, in the customer's inbox, before any offer is signed."""
    pdf = render_precontractual_sheet(app, schedule=schedule, taeg=taeg, usury_message=usury_message)
    deliver_document(
        customer=app.customer,
        kind="notice",
        title=_("Fiche d'information précontractuelle (FIPEN)"),
        pdf=pdf,
    )
