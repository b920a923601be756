"""The staff audit trail (compliance and supervisors): every staff action, allowed or refused."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ..access import staff_view
from ..models import StaffAction


@staff_view("audit_trail")
def trail(request: HttpRequest) -> HttpResponse:
    actions = StaffAction.objects.select_related("actor", "customer")
    if request.GET.get("refused") == "1":
        actions = actions.filter(allowed=False)
    if actor := request.GET.get("actor", "").strip():
        actions = actions.filter(actor__email__icontains=actor)
    return render(request, "backoffice/audit.html", {"actions": actions[:300], "actor": actor})


urlpatterns = [path("audit/", trail, name="audit")]
