"""Collections queue: delinquent contracts by days past due and bucket, with the customer's contact."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.errors import refusals_as_messages
from guichet.lenders.profile import lender_day
from guichet.loans.models import Contract
from guichet.support.collections import bucket_of, collections_queue, send_arrears_reminders
from guichet.support.forbearance import answer_forbearance_request, start_enforcement
from guichet.support.models import ForbearanceOffer

from ..access import staff_view
from ..permissions import can

__all__ = ["bucket_of", "queue_rows", "urlpatterns"]


def queue_rows() -> list:
    return collections_queue(on=lender_day())


@staff_view("view_collections")
def collections(request: HttpRequest) -> HttpResponse:
    rows = queue_rows()
    bucket = request.GET.get("bucket", "")
    if bucket:
        rows = [r for r in rows if r.bucket == bucket]
    buckets = ["1-29", "30-59", "60-89", "90+"]
    return render(
        request,
        "backoffice/collections.html",
        {
            "rows": rows,
            "bucket": bucket,
            "buckets": buckets,
            "can_remind": can(request.user, "send_reminders"),
        },
    )


@require_POST
@staff_view("send_reminders")
def remind(request: HttpRequest) -> HttpResponse:
    sent = send_arrears_reminders(on=lender_day(), by=request.user)
    messages.success(request, _("%(n)d relance(s) envoyée(s).") % {"n": sent})
    return redirect("backoffice:collections")


@require_POST
@staff_view("send_reminders")
def enforce(request: HttpRequest, number: str) -> HttpResponse:
    """First enforcement step: refused until the L312-35-1 measures were offered and a delay ran."""
    contract = get_object_or_404(Contract, number=number)
    with refusals_as_messages(request):
        start_enforcement(contract=contract, by=request.user, on=lender_day())
        messages.success(request, _("Procédure engagée sur le contrat %(n)s.") % {"n": number})
    return redirect("backoffice:collections")


@require_POST
@staff_view("send_reminders")
def answer_request(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(ForbearanceOffer, pk=pk)
    with refusals_as_messages(request):
        answer_forbearance_request(offer=offer, by=request.user, answer=request.POST.get("answer", ""))
        messages.success(request, _("Réponse enregistrée."))
    return redirect("backoffice:collections")


urlpatterns = [
    path("collections/", collections, name="collections"),
    path("collections/remind/", remind, name="collections_remind"),
    path("collections/<str:number>/enforce/", enforce, name="collections_enforce"),
    path("collections/forbearance/<int:pk>/answer/", answer_request, name="forbearance_answer"),
]
