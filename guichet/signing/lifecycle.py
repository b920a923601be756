"""After the signature: withdrawal within the legal period, and financing confirmed by a supervisor.

- ``withdraw``: allowed until the end of the fourteenth calendar day after the signature
  (Code de la consommation L312-19, see ``rules.py``); refused afterwards, whatever the page shows.
- ``confirm_financing``: a supervisor's decision, possible from the eighth day (L312-25: no payment
  during the seven days after acceptance); opens the contract through ``guichet.loans`` (schedule,
  drawdown posted), delivers the "Confirmation de financement" letter into "Mes documents" and
  sends the "your customer space is ready" email of seed 003.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.audit import trail
from guichet.credit.consumer_law import Regime
from guichet.documents.services import deliver_document
from guichet.lenders.formatting import format_day
from guichet.lenders.profile import lender_day
from guichet.loans.models import Contract
from guichet.loans.services import open_contract, withdraw_contract
from guichet.notifications import send_email

from .evidence import write_evidence
from .exceptions import FundsNotReleasable, InvalidApplication, NotAllowed, WithdrawalClosed
from .journal import Client, Kind, record
from .models import Application, SignatureRequest
from .paperwork import insurance_of, render_financing_confirmation
from .rules import funds_release_on, regime_of, withdrawal_open

logger = logging.getLogger(__name__)

WITHDRAWABLE = (Application.Status.SIGNED, Application.Status.FINANCED)


def signed_request_of(application: Application) -> SignatureRequest | None:
    return (
        application.signature_requests.filter(status=SignatureRequest.Status.SIGNED)
        .order_by("-signed_at")
        .first()
    )


def withdrawal_allowed(*, application: Application, signed: SignatureRequest | None, now: datetime) -> bool:
    """Whether ``withdraw`` would accept: signed (or financed) and the L312-19 deadline not passed.

    The applications page asks this to offer the button; ``withdraw`` checks the same rule under lock.
    """
    return bool(
        signed is not None
        and application.status in WITHDRAWABLE
        and withdrawal_open(signed.withdrawal_deadline, now)
    )


def withdraw(*, application: Application, customer, client: Client) -> Application:
    """The borrower withdraws from a signed (or financed) contract before the L312-19 deadline."""
    if application.customer_id != customer.pk:
        raise NotAllowed(_("Cette demande n'est pas à votre nom."))
    now = timezone.now()
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        request = signed_request_of(app)
        if request is None or app.status not in WITHDRAWABLE:
            raise InvalidApplication(_("Seul un contrat signé peut faire l'objet d'une rétractation."))
        if not withdrawal_open(request.withdrawal_deadline, now):
            raise WithdrawalClosed(format_day(request.withdrawal_deadline, customer.language or "fr"))
        request.status, request.withdrawn_at = SignatureRequest.Status.WITHDRAWN, now
        request.save(update_fields=["status", "withdrawn_at"])
        was_financed = app.status == Application.Status.FINANCED
        app.status, app.withdrawn_at = Application.Status.WITHDRAWN, now
        app.save(update_fields=["status", "withdrawn_at"])
        record(request, Kind.WITHDRAWN, client, financed=was_financed)
        if was_financed:
            _withdraw_contract(app)
        write_evidence(request)
    application.refresh_from_db()
    return application


def _withdraw_contract(application: Application) -> None:
    """Mark the contract withdrawn through the loans app; the capital is repaid within 30 days (L312-21)."""
    withdraw_contract(contract=Contract.objects.get(number=application.contract_number))


def confirm_financing(*, application: Application, confirmed_by) -> Any:
    """Open the contract of a signed application (supervisor only, from the L312-25 release day)."""
    if getattr(confirmed_by, "role", None) != "supervisor":
        raise NotAllowed(_("Seul un superviseur peut confirmer un financement."))
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("customer", "co_borrower")
            .get(pk=application.pk)
        )
        if app.status != Application.Status.SIGNED:
            raise InvalidApplication(
                _("Cette demande ne peut pas être financée (statut : %(s)s).")
                % {"s": app.get_status_display()}
            )
        today = lender_day(timezone.now())
        ccd2 = regime_of(app.created_at) is Regime.CCD2
        if ccd2 and app.information_delivered_at is None:
            raise InvalidApplication(
                _(
                    "Les informations contractuelles n'ont pas été remises à l'emprunteur : "
                    "aucun fonds ne peut être versé avant (L312-19, L312-25)."
                )
            )
        release_on = funds_release_on(
            app.signed_at, information_at=app.information_delivered_at if ccd2 else None
        )
        if today < release_on:
            raise FundsNotReleasable(format_day(release_on, "fr"))
        contract = _open_contract(app, today)
        app.status, app.financed_at, app.financed_by = (
            Application.Status.FINANCED,
            timezone.now(),
            confirmed_by,
        )
        app.contract_number = contract.number
        app.save(update_fields=["status", "financed_at", "financed_by", "contract_number"])
        language = app.customer.language or "fr"
        letter = render_financing_confirmation(application=app, contract=contract, language=language)
        deliver_document(
            customer=app.customer,
            kind="funding_confirmation",
            title=_("Confirmation de financement"),
            pdf=letter,
            contract=contract,
            notify=False,  # the financing email below already points to "Mes documents"
        )
        trail.record_if_staff(
            by=confirmed_by,
            action="confirm_financing",
            customer=app.customer,
            target=f"application:{app.pk}",
            contract=contract.number,
        )
    _send_financing_email(app)
    application.refresh_from_db()
    return contract


def _open_contract(app: Application, today) -> Any:
    people = [app.customer] + ([app.co_borrower] if app.co_borrower else [])
    return open_contract(
        customers=people,
        product_code=app.product_code,
        amount=app.amount,
        term_months=app.term_months,
        start_on=today,
        debit_rate=app.debit_rate,
        insurance=insurance_of(app),
        signed_at=app.signed_at,
    )


def _send_financing_email(app: Application) -> None:
    """Seed 003's "Confirmation de financement" email; financing stands even if the mail server is down."""
    customer = app.customer
    try:
        send_email(
            to=customer.email,
            subject=gettext_lazy("Votre espace client est prêt !"),
            template="financing_confirmation",
            context={"customer": customer, "documents_path": _documents_path()},
            language=(customer.user.language if customer.user_id else customer.language) or "fr",
        )
    except Exception:  # logged for the ops team; the letter is in "Mes documents" anyway.
        logger.exception("Could not send the financing email for application %s", app.pk)


def _documents_path() -> str:
    try:
        return reverse("portal:documents")
    except Exception:  # the portal URLs may be absent in a worker-only deployment.
        return "/"
