"""Customer-space page: the creditworthiness assessment of one's application, and the right to ask a
person to re-examine an automated decision (CCD2 art. 18; ``guichet.origination.assessment``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from guichet.customers.decorators import customer_required
from guichet.errors import refusals_as_messages
from guichet.origination.assessment import request_human_review
from guichet.origination.models import CreditAssessment
from guichet.signing.models import Application

from .space import current_customer


@customer_required
def assessment(request: HttpRequest, public_id: str) -> HttpResponse:
    customer = current_customer(request)
    try:
        app = Application.objects.get(public_id=public_id, customer=customer)
    except Application.DoesNotExist:
        raise Http404 from None
    found = CreditAssessment.objects.filter(application=app).first()
    if request.method == "POST" and found is not None:
        with refusals_as_messages(request):
            request_human_review(assessment=found, customer=customer)
            messages.success(request, _("Votre demande de réexamen par une personne est enregistrée."))
        return redirect("portal:assessment", public_id=app.public_id)
    return render(request, "portal/assessment/detail.html", {"app": app, "assessment": found})


urlpatterns: list[URLPattern] = [
    path("espace/demandes/<uuid:public_id>/solvabilite/", assessment, name="assessment"),
]
