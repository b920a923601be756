"""Contract-update notifications: listeners of ``loans.signals.schedule_replaced`` and
``documents.signals.document_delivered`` (connected in ``NotificationsConfig.ready``), so the loans
and documents apps announce events without importing this app.

Each participant of the contract with "mises à jour de contrat" on gets the notice on their channels.
A new document is already emailed by the documents app, so it only adds the SMS here.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.customers.models import Customer
from guichet.lenders.profile import get_profile

from .alerts import channels_for, deliver, language_of, preference_of
from .models import SentAlert

log = logging.getLogger(__name__)


def _participants(contract: Any) -> list[Customer]:
    return list(
        Customer.objects.filter(participations__contract=contract, user__isnull=False)
        .select_related("user", "alert_preference")
        .order_by("pk")
    )


def notify_schedule_replaced(*, contract: Any, version: Any, reason: str) -> int:
    """Tell each participant who asked for contract updates that the schedule changed."""
    sent = 0
    for customer in _participants(contract):
        pref = preference_of(customer)
        if not pref.contract_updates:
            continue
        with translation.override(language_of(customer)):
            sms = _(
                "%(lender)s : l'échéancier de votre contrat %(number)s a été mis à jour. "
                "Détail dans votre espace client."
            ) % {
                "lender": get_profile().name,
                "number": contract.number,
            }
        sent += deliver(
            customer=customer,
            channels=channels_for(customer, pref),
            kind=SentAlert.Kind.CONTRACT_UPDATE,
            key=f"update:schedule:{version.pk}:{customer.pk}",
            contract_number=contract.number,
            subject=gettext_lazy("Votre échéancier a été mis à jour"),
            template="alert_contract_update",
            context={"contract": contract, "reason": reason},
            sms_text=sms,
        )
    return sent


def notify_document_delivered(*, document: Any) -> int:
    """The SMS "a document arrived" for a customer who wants contract updates by SMS."""
    customer = document.customer
    pref = preference_of(customer)
    if not pref.contract_updates or SentAlert.Channel.SMS not in channels_for(customer, pref):
        return 0
    with translation.override(language_of(customer)):
        sms = _("%(lender)s : un nouveau document est disponible dans Mes documents : %(title)s.") % {
            "lender": get_profile().name,
            "title": document.title,
        }
    return deliver(
        customer=customer,
        channels=[SentAlert.Channel.SMS],
        kind=SentAlert.Kind.CONTRACT_UPDATE,
        key=f"update:document:{document.pk}:{customer.pk}",
        contract_number=document.contract.number if document.contract_id else "",
        subject="",
        template="",
        context={},
        sms_text=sms,
    )


def on_schedule_replaced(sender: Any, *, contract: Any, version: Any, reason: str, **kwargs: Any) -> None:
    try:
        notify_schedule_replaced(contract=contract, version=version, reason=reason)
    except Exception:  # the schedule change stands; the failure is logged for a retry by hand
        log.exception("Contract-update notice for schedule version %s failed", version.pk)


def on_document_delivered(sender: Any, *, document: Any, **kwargs: Any) -> None:
    try:
        notify_document_delivered(document=document)
    except Exception:  # the document is in the inbox whatever happens to the SMS
        log.exception("Contract-update SMS for document %s failed", document.pk)


def connect() -> None:
    """Called once from ``NotificationsConfig.ready``."""
    from guichet.documents.signals import document_delivered
    from guichet.loans.signals import schedule_replaced

    schedule_replaced.connect(on_schedule_replaced, dispatch_uid="notifications.schedule_replaced")
    document_delivered.connect(on_document_delivered, dispatch_uid="notifications.document_delivered")
