"""Collections queue: delinquent contracts by days past due and bucket, with the customer's contact."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.lenders.profile import lender_day
from guichet.support.collections import bucket_of, collections_queue, send_arrears_reminders

from ..access import staff_view
from ..permissions import audit, can

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
    sent = send_arrears_reminders(on=lender_day())
    audit(request, "send_reminders", sent=sent)
    messages.success(request, _("%(n)d relance(s) envoyée(s).") % {"n": sent})
    return redirect("backoffice:collections")


urlpatterns = [
    path("collections/", collections, name="collections"),
    path("collections/remind/", remind, name="collections_remind"),
]
