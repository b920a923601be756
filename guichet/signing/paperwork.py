"""Documents of the signing journey: the credit offer to sign, the evidence sheet, the financing letter.

Each is rendered to PDF by ``guichet.documents.render_pdf`` from a template under
``signing/pdf/``; the figures come from ``guichet.credit`` (the same schedule the contract opens with).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from babel.dates import format_datetime
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from guichet import credit
from guichet.catalogue import selectors as catalogue
from guichet.catalogue.exceptions import CatalogueError
from guichet.credit.dates import add_months
from guichet.credit.rates import round_taeg
from guichet.documents import render_pdf
from guichet.lenders.formatting import babel_locale, format_day
from guichet.lenders.profile import get_profile, lender_day
from guichet.loans.services.terms import product_terms

from .models import Application, SignatureEvent
from .rules import NO_PAYMENT_DAYS, WITHDRAWAL_DAYS

CONSENT_VERSION = "2026-11-v1"
# Why a code was refused, as the journal records it (the exception's name), in words.
CODE_FAILURES = {
    "CodeInvalid": gettext_lazy("code erroné"),
    "CodeExpired": gettext_lazy("code expiré"),
    "CodeExhausted": gettext_lazy("trop d'essais"),
    "CodeUsed": gettext_lazy("code déjà utilisé"),
    "DocumentChanged": gettext_lazy("le document a changé"),
}


def consent_text(language: str) -> str:
    """The consent the customer ticks (seed 003), in ``language``; stored with its version as evidence."""
    with override(language):
        return _(
            "Je reconnais avoir lu, compris et accepté les informations mentionnées dans mon contrat "
            "de crédit, y compris ma clause de désignation bénéficiaire."
        )


def insurance_of(application: Application) -> Any | None:
    """The credit core's insurance object for the application's option (None without insurance)."""
    if not application.insurance_kind or application.insurance_rate is None:
        return None
    rate = Decimal(application.insurance_rate)
    if application.insurance_kind == Application.InsuranceKind.MONTHLY_ON_BORROWED:
        return credit.InsuranceMonthlyOnBorrowed(rate)
    return credit.InsuranceOnBorrowed(rate)


def debit_rate_of(application: Application, on: date) -> Decimal:
    """The application's debit rate, or the catalogue's for its product, amount and term."""
    if application.debit_rate is not None:
        return Decimal(application.debit_rate)

    terms = product_terms(
        product_code=application.product_code,
        amount=application.amount,
        term_months=application.term_months,
        on=on,
    )
    return terms.debit_rate


def max_taeg_of(application: Application, on: date) -> Decimal | None:
    """The product's published "TAEG fixe maximum" (None for a product the catalogue does not price)."""
    try:
        return catalogue.product_terms(
            product_code=application.product_code,
            amount=application.amount,
            term_months=application.term_months,
            on=on,
        ).max_taeg
    except CatalogueError:
        return None


def offer_schedule(application: Application, *, drawdown_on: date | None = None) -> credit.Schedule:
    """The schedule shown in the offer: funds released after the L312-25 period, first due one month later.

    Rounded so that its TAEG stays within the product's published maximum (3 x CB: seed 004).
    """
    today = lender_day(timezone.now())
    drawdown_on = drawdown_on or today + timedelta(days=NO_PAYMENT_DAYS + 1)
    return credit.amortization_schedule(
        principal=application.amount,
        debit_rate=debit_rate_of(application, today),
        term_months=application.term_months,
        first_due_on=add_months(drawdown_on, 1),
        drawdown_on=drawdown_on,
        insurance=insurance_of(application),
        max_taeg=max_taeg_of(application, today),
    )


def render_offer(
    *, application: Application, reference: str, language: str
) -> tuple[bytes, Decimal, Decimal]:
    """The credit offer PDF to sign, with its debit rate and TAEG (both stored on the application)."""
    schedule = offer_schedule(application)
    taeg = round_taeg(schedule.taeg)
    context = {
        "application": application,
        "customer": application.customer,
        "co_borrower": application.co_borrower,
        "reference": reference,
        "schedule": schedule,
        "taeg": taeg,
        "consent": consent_text(language),
        "withdrawal_days": WITHDRAWAL_DAYS,
        "no_payment_days": NO_PAYMENT_DAYS,
        "issued_on": lender_day(timezone.now()),
    }
    pdf = render_pdf(template="signing/pdf/offer.html", context=context, language=language)
    return pdf, schedule.debit_rate, taeg


def _instant(raw: str | None, language: str) -> str:
    """An ISO instant of the JSON evidence as the reader reads it: the lender's time zone, the reader's
    locale (« 2 déc. 2026, 14:05:09 » / "2 Dec 2026, 14:05:09"), seconds kept for an evidence file."""
    if not raw:
        return "—"
    return format_datetime(
        datetime.fromisoformat(raw),
        format="medium",
        tzinfo=get_profile().time_zone,
        locale=babel_locale(language),
    )


def _day(raw: str | None, language: str) -> str:
    return format_day(date.fromisoformat(raw[:10]), language, fmt="long") if raw else "—"


def _event_sentence(event: dict[str, Any]) -> str:
    """One journal event as a sentence, its source said for what only the browser reported."""
    kind = event.get("kind", "")
    data = event.get("data") or {}
    try:
        label = str(SignatureEvent.Kind(kind).label)
    except ValueError:
        label = kind
    if kind == SignatureEvent.Kind.IMAGE_SERVED and data.get("page"):
        label = _("Page %(page)s sur %(of)s du document envoyée au navigateur") % {
            "page": data["page"],
            "of": data.get("of", "?"),
        }
    elif kind == SignatureEvent.Kind.CODE_SENT and data.get("to"):
        label = _("Code envoyé par SMS au %(to)s") % {"to": data["to"]}
    elif kind == SignatureEvent.Kind.CONTACT_CONFIRMED:
        label = _("Coordonnées confirmées par le signataire : %(email)s, mobile %(phone)s") % {
            "email": data.get("email", "—"),
            "phone": data.get("phone_masked", "—"),
        }
    elif kind == SignatureEvent.Kind.CODE_FAILED:
        label = _("Code refusé (%(reason)s)") % {
            "reason": CODE_FAILURES.get(data.get("reason", ""), _("autre motif"))
        }
    if event.get("source") == "browser":
        label = _("%(event)s (déclaré par le navigateur)") % {"event": label}
    return label


def _timestamp_sentence(seal: dict[str, Any]) -> str:
    outcome = seal.get("timestamp") or ""
    return {
        "applied": _("Horodatage : appliqué par l'autorité d'horodatage"),
        "unavailable": _("Horodatage : autorité d'horodatage injoignable, cachet sans horodatage"),
        "not_configured": _("Horodatage : non configuré"),
    }.get(outcome, _("Horodatage : —"))


def evidence_printout(content: dict[str, Any], language: str) -> dict[str, Any]:
    """What the printout shows, in words and local dates (issue 16); the JSON keeps the machine format."""
    with override(language):
        seal = content.get("seal") or {}
        withdrawal = content.get("withdrawal") or {}
        return {
            "time_zone": str(get_profile().time_zone),
            "events": [
                {
                    "at": _instant(e.get("at"), language),
                    "sentence": _event_sentence(e),
                    "browser": e.get("source") == "browser",
                    "ip": e.get("ip"),
                    "user_agent": e.get("user_agent"),
                }
                for e in content.get("events", [])
            ],
            "timestamp": _timestamp_sentence(seal),
            "withdrawal_deadline": _day(withdrawal.get("deadline"), language),
            "withdrawn_at": _instant(withdrawal.get("withdrawn_at"), language)
            if withdrawal.get("withdrawn_at")
            else "",
            "requested_at": _instant((content.get("request") or {}).get("requested_at"), language),
            "generated_at": _instant(content.get("generated_at"), language),
        }


def render_evidence_pdf(*, content: dict[str, Any], language: str) -> bytes:
    """The human-readable evidence sheet (the JSON file is the reference; this is its printout)."""
    return render_pdf(
        template="signing/pdf/evidence.html",
        context={
            "ev": content,
            "pr": evidence_printout(content, language),
            "issued_on": lender_day(timezone.now()),
        },
        language=language,
    )


def render_financing_confirmation(*, application: Application, contract: Any, language: str) -> bytes:
    """The "Confirmation de financement" letter delivered to "Mes documents" (seed 003)."""
    return render_pdf(
        template="signing/pdf/financing_confirmation.html",
        context={
            "application": application,
            "customer": application.customer,
            "contract": contract,
            "issued_on": lender_day(timezone.now()),
        },
        language=language,
    )
