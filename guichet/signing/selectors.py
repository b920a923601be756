"""Read paths of the signing app; every customer-facing read goes through the current customer."""

from __future__ import annotations

from uuid import UUID

from django.db.models import F, QuerySet
from django.http import Http404

from .models import Application, SignatureRequest


def signature_request_for(customer, public_id: UUID | str) -> SignatureRequest:
    """The customer's signature request with this id; anyone else's (or a bad id) is a 404."""
    found = (
        SignatureRequest.objects.select_related("application", "customer")
        .filter(customer=customer, public_id=public_id)
        .first()
    )
    if found is None:
        raise Http404("No such signature request.")
    return found


def application_for(customer, public_id: UUID | str) -> Application:
    found = Application.objects.filter(customer=customer, public_id=public_id).first()
    if found is None:
        raise Http404("No such application.")
    return found


def applications_for(customer) -> QuerySet[Application]:
    """The customer's applications, newest first, with their latest signature requests prefetched."""
    return (
        Application.objects.filter(customer=customer)
        .exclude(status=Application.Status.DRAFT)
        .prefetch_related("signature_requests")
        .order_by("-created_at")
    )


def pending_signatures_for(customer) -> list[tuple[UUID, str]]:
    """(public id, title) of the documents awaiting the customer's signature, in one query."""
    return list(
        SignatureRequest.objects.filter(customer=customer, status=SignatureRequest.Status.PENDING)
        .order_by("requested_at")
        .values_list("public_id", "title")
    )


def pending_signature_rows(customer) -> QuerySet:
    """``pending_signatures_for`` as a query of (``ref`` public id, ``detail`` title, ``sort``), for
    the dashboard's single tasks query."""
    return SignatureRequest.objects.filter(
        customer=customer, status=SignatureRequest.Status.PENDING
    ).annotate(ref=F("public_id"), detail=F("title"), sort=F("requested_at"))


def open_applications_for(customer) -> list[Application]:
    """The customer's applications still in progress (awaiting signature, or signed and not yet
    financed), newest first, in one query: the dashboard lists them under the applications heading."""
    return list(
        Application.objects.filter(
            customer=customer,
            status__in=(Application.Status.AWAITING_SIGNATURE, Application.Status.SIGNED),
        ).order_by("-created_at")
    )
