"""Customer-space page: ask for a renegotiation measure (L312-35-1, ordonnance n° 2025-880), in arrears
or when difficulties are coming; the lender's collections queue shows the request."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy

from guichet.customers.decorators import customer_required
from guichet.errors import refusals_on_form
from guichet.loans.models import Contract
from guichet.loans.selectors import contracts_for
from guichet.support.forbearance import debt_advice_referral, request_forbearance
from guichet.support.models import ForbearanceOffer

from .space import current_customer


class ForbearanceForm(forms.Form):
    contract = forms.ChoiceField(label=gettext_lazy("Contrat concerné"))
    # No initial value: the borrower chooses (no pre-selected measure).
    measure = forms.ChoiceField(
        label=gettext_lazy("Mesure souhaitée"),
        choices=ForbearanceOffer.Measure.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Votre situation (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, customer, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        running = contracts_for(customer).filter(
            status__in=[Contract.Status.OPEN, Contract.Status.DELINQUENT]
        )
        self.fields["contract"].choices = [(c.number, f"{c.product_name} n° {c.number}") for c in running]


@customer_required
def forbearance(request: HttpRequest) -> HttpResponse:
    customer = current_customer(request)
    form = ForbearanceForm(request.POST or None, customer=customer)
    done = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on_form(form):
            done = request_forbearance(
                customer=customer,
                contract_number=data["contract"],
                measure=data["measure"],
                note=data["note"],
            )
    return render(
        request,
        "portal/forbearance/request.html",
        {"form": form, "done": done, "debt_advice": debt_advice_referral()},
    )


urlpatterns: list[URLPattern] = [path("espace/difficultes/", forbearance, name="forbearance")]
