"""The business day seen from the back office: runs per date, steps, chunks, errors; retry; metrics."""

from __future__ import annotations

import hmac
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.errors import refusals_as_messages
from guichet.operations.metrics import prometheus_text
from guichet.operations.progress import recent_days, view_for
from guichet.operations.tasks import retry_day

from ..access import staff_view
from ..permissions import can


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Http404("Not a date.") from exc


@staff_view("view_operations")
def days(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/operations.html", {"days": recent_days()})


@staff_view("view_operations")
def day(request: HttpRequest, on: str) -> HttpResponse:
    view = view_for(_date(on))
    if view is None:
        raise Http404("No business day for that date.")
    context = {"view": view, "can_run": can(request.user, "run_operations")}
    return render(request, "backoffice/operation_day.html", context)


@require_POST
@staff_view("run_operations")
def retry(request: HttpRequest, on: str) -> HttpResponse:
    """Put the failed chunks back to work and hand the day to the workers again."""
    with refusals_as_messages(request):
        n = retry_day(on=_date(on), by=request.user)
        messages.success(request, _("%(n)d lot(s) relancé(s).") % {"n": n})
        return redirect("backoffice:operation_day", on=on)
    return redirect("backoffice:operations")


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus scrape endpoint, behind ``Authorization: Bearer $GUICHET_METRICS_TOKEN`` (404 if unset)."""
    token = getattr(settings, "GUICHET_METRICS_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    return HttpResponse(prometheus_text(), content_type="text/plain; version=0.0.4; charset=utf-8")


urlpatterns = [
    path("operations/", days, name="operations"),
    path("operations/metrics", metrics, name="operations_metrics"),
    path("operations/<str:on>/", day, name="operation_day"),
    path("operations/<str:on>/relancer", retry, name="operation_retry"),
]
