"""Card oppositions declared by holders (issue 12): a supervisor may classify one as the holder's own
abusive use, which posts the tariff's fee once (seed 004: 25 €; ``cards.requests``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.cards.models import CardRequest
from guichet.cards.requests import classify_opposition_abusive
from guichet.cards.services import CardOperationRefused
from guichet.lenders.profile import lender_day

from ..access import staff_view
from ..permissions import can


@staff_view("view_customer")
def oppositions(request: HttpRequest) -> HttpResponse:
    rows = CardRequest.objects.filter(kind=CardRequest.Kind.OPPOSITION).select_related(
        "card__contract", "card__holder", "classified_by"
    )[:200]
    return render(
        request,
        "backoffice/card_oppositions.html",
        {"rows": rows, "can_classify": can(request.user, "classify_card_opposition")},
    )


@require_POST
@staff_view("classify_card_opposition")
def classify(request: HttpRequest, pk: int) -> HttpResponse:
    opposition = get_object_or_404(CardRequest, pk=pk)
    try:
        done = classify_opposition_abusive(request=opposition, by=request.user, on=lender_day())
        messages.success(
            request, _("Opposition classée abusive : frais de %(fee)s portés au crédit.") % {"fee": done.fee}
        )
    except CardOperationRefused as exc:
        messages.error(request, str(exc))
    return redirect("backoffice:card_oppositions")


urlpatterns = [
    path("cartes/oppositions/", oppositions, name="card_oppositions"),
    path("cartes/oppositions/<int:pk>/abusive/", classify, name="card_opposition_classify"),
]
