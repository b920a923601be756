"""The SMS "a new document is in Mes documents" for a customer who wants contract updates by SMS (the
email is sent by ``services.deliver_document`` itself): a listener of ``signals.document_delivered``,
connected in ``DocumentsConfig.ready``; sending goes through ``notifications.delivery``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.lenders.profile import get_profile
from guichet.notifications.delivery import channels_for, deliver, language_of, preference_of
from guichet.notifications.models import SentAlert

from .signals import document_delivered

log = logging.getLogger(__name__)


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


@receiver(document_delivered, dispatch_uid="documents.updates.document_delivered")
def on_document_delivered(sender: Any, *, document: Any, **kwargs: Any) -> None:
    try:
        notify_document_delivered(document=document)
    except Exception:  # the document is in the inbox whatever happens to the SMS
        log.exception("Contract-update SMS for document %s failed", document.pk)
