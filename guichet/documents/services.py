"""State changes of the documents inbox: deliver a PDF to a customer, mark it read.

``deliver_document`` is what every app calls to put a document in "Mes documents" (the signing
engine for the signed contract, the servicing batch for statements, the demo seeder).
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.customers.page_cache import touch_customers
from guichet.notifications import outbox, send_email

from .models import Document
from .signals import document_delivered

logger = logging.getLogger(__name__)


class DocumentRefused(ValueError):
    """The bytes handed over are not a PDF, or the kind is unknown."""


def deliver_document(
    *, customer, kind: str, title: str, pdf: bytes, contract=None, notify: bool = True
) -> Document:
    """Store ``pdf`` in ``customer``'s inbox and, once committed, email them that a document arrived."""
    if not pdf.startswith(b"%PDF-"):
        raise DocumentRefused(_("Le document « %(title)s » n'est pas un PDF.") % {"title": title})
    if kind not in Document.Kind.values:
        raise DocumentRefused(_("Type de document inconnu : %(kind)s.") % {"kind": kind})
    if contract is not None and not contract.participants.filter(customer=customer).exists():
        raise DocumentRefused(_("Ce contrat n'appartient pas à ce client."))
    with transaction.atomic():
        doc = Document(
            customer=customer,
            contract=contract,
            kind=kind,
            title=title[:200],
            sha256=hashlib.sha256(pdf).hexdigest(),
            size_bytes=len(pdf),
        )
        doc.file.save("document.pdf", ContentFile(pdf), save=False)
        doc.save()
        # The file is written before the row; if the row fails the orphan file is harmless and private.
        if notify and outbox.holding():
            # A business-day chunk: the email and the "document delivered" SMS are written to the
            # outbox with the document, so they leave once the chunk commits and never for a killed one.
            _notify(doc)
            document_delivered.send_robust(sender=Document, document=doc)
        elif notify:
            transaction.on_commit(lambda: _notify(doc))
            transaction.on_commit(lambda: document_delivered.send_robust(sender=Document, document=doc))
    return doc


def mark_read(*, document: Document) -> Document:
    """Record the first time the customer opened ``document`` (later openings change nothing)."""
    if document.read_at is None:
        document.read_at = timezone.now()
        Document.objects.filter(pk=document.pk, read_at__isnull=True).update(read_at=document.read_at)
        touch_customers([document.customer_id])  # an update() sends no signal: "Nouveau" and the count go
    return document


def _notify(doc: Document) -> None:
    """Email "a new document is in Mes documents"; the document is delivered even if the email fails."""
    customer = doc.customer
    language = (customer.user.language if customer.user_id else customer.language) or "fr"
    try:
        send_email(
            to=customer.email,
            subject=gettext_lazy("Un nouveau document est disponible dans Mes documents"),
            template="document_available",
            context={"customer": customer, "document": doc},
            language=language,
        )
    except Exception:  # a mail outage must not undo a delivered document; it is logged for the ops team.
        logger.exception("Could not email customer %s about document %s", customer.pk, doc.pk)
