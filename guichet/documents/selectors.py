"""Reads of the documents inbox, always scoped to one customer (an id alone never reaches a document)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Document


def documents_for(customer) -> QuerySet[Document]:
    """The customer's documents, newest first."""
    return Document.objects.filter(customer=customer).select_related("contract")


def document_for(customer, document_id: int | str) -> Document:
    """One of the customer's documents; ``Http404`` for anything else, so no other id can be probed."""
    try:
        return documents_for(customer).get(pk=int(document_id))
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404("No such document.") from None


def unread_count(customer) -> int:
    return Document.objects.filter(customer=customer, read_at__isnull=True).count()
