"""Credit applications in the back office: prepare one, approve its exception, request signature, finance."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guichet.credit import Money, currency
from guichet.customers.models import Customer
from guichet.lenders.profile import get_profile
from guichet.signing.exceptions import SigningError
from guichet.signing.models import Application

from .. import applications as workflow
from ..access import staff_view
from ..models import ApplicationReview
from ..permissions import audit, can, require, require_other_than


class ApplicationForm(forms.Form):
    product = forms.ChoiceField(label=gettext_lazy("Produit"))
    amount = forms.DecimalField(label=gettext_lazy("Montant"), min_value=Decimal("1"), decimal_places=2)
    term_months = forms.IntegerField(label=gettext_lazy("Durée (mois)"), min_value=1, max_value=240)
    insurance = forms.ChoiceField(label=gettext_lazy("Assurance emprunteur"), required=False)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        from guichet.catalogue.selectors import products_on

        products = products_on(on=timezone.localdate(), kind="amortizable")
        self.fields["product"].choices = [(p.code, p.name) for p in products]
        self.fields["insurance"].choices = [("", _("Sans assurance"))] + [
            (str(o.pk), f"{p.name} — {o.cover} ({o.rate * 100:.2f} %)")
            for p in products
            for o in p.insurance_options.all()
            if o.kind != "on_outstanding_monthly"
        ]

    def money(self) -> Money:
        cur = get_profile().currency
        try:
            return Money.of(self.cleaned_data["amount"].normalize(), currency(cur.code))
        except (ValueError, InvalidOperation) as exc:
            raise workflow.ApplicationRefused(
                _("Montant invalide pour la devise %(c)s.") % {"c": cur.code}
            ) from exc


@staff_view("create_application")
def new(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=customer_pk)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prepared = workflow.prepare_application(
                customer=customer,
                product_code=data["product"],
                amount=form.money(),
                term_months=data["term_months"],
                insurance_id=int(data["insurance"]) if data["insurance"] else None,
                by=request.user,
            )
        except (workflow.ApplicationRefused, SigningError) as exc:
            form.add_error(None, str(exc))
        else:
            app = prepared.application
            audit(
                request,
                "create_application",
                customer=customer,
                target=f"application:{app.pk}",
                exception=prepared.review.exception_reasons,
            )
            messages.success(
                request, _("Demande préparée ; la fiche d'information précontractuelle est envoyée.")
            )
            return redirect("backoffice:application", pk=app.pk)
    return render(request, "backoffice/application_new.html", {"form": form, "customer": customer})


@staff_view("view_applications")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application.objects.select_related("customer", "created_by"), pk=pk)
    review = ApplicationReview.objects.filter(application=app).select_related("approved_by").first()
    context = {
        "app": app,
        "review": review,
        "blocked": workflow.signature_blocked(app),
        "can_sign": can(request.user, "request_signature"),
        "can_finance": can(request.user, "confirm_financing"),
        "can_approve": can(request.user, "approve_exception") and app.created_by_id != request.user.pk,
    }
    return render(request, "backoffice/application.html", context)


@require_POST
@staff_view("view_applications")
def act(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application.objects.select_related("customer"), pk=pk)
    action, target = request.POST.get("act", ""), f"application:{pk}"
    handlers = {
        "approve_exception": _approve,
        "request_signature": _request_signature,
        "confirm_financing": _finance,
    }
    if action not in handlers:
        return redirect("backoffice:application", pk=pk)
    try:
        handlers[action](request, app, target)
    except (workflow.ApplicationRefused, SigningError) as exc:
        messages.error(request, str(exc))
    return redirect("backoffice:application", pk=pk)


def _approve(request: HttpRequest, app: Application, target: str) -> None:
    require_other_than(request, app.created_by_id, "approve_exception", customer=app.customer, target=target)
    workflow.approve_exception(application=app, by=request.user)
    audit(request, "approve_exception", customer=app.customer, target=target)
    messages.success(request, _("Exception approuvée."))


def _request_signature(request: HttpRequest, app: Application, target: str) -> None:
    from guichet.signing.services import request_signature

    require(request, "request_signature", customer=app.customer, target=target)
    if blocked := workflow.signature_blocked(app):
        raise workflow.ApplicationRefused(blocked)
    request_signature(application=app, requested_by=request.user)
    audit(request, "request_signature", customer=app.customer, target=target)
    messages.success(request, _("Signature demandée : le client voit la tâche dans son espace."))


def _finance(request: HttpRequest, app: Application, target: str) -> None:
    from guichet.signing.services import confirm_financing

    require(request, "confirm_financing", customer=app.customer, target=target)
    contract = confirm_financing(application=app, confirmed_by=request.user)
    audit(request, "confirm_financing", customer=app.customer, target=target, contract=contract.number)
    messages.success(request, _("Financement confirmé : contrat n° %(n)s ouvert.") % {"n": contract.number})


@staff_view("view_applications")
def listing(request: HttpRequest) -> HttpResponse:
    apps = Application.objects.select_related("customer").order_by("-created_at")[:200]
    return render(request, "backoffice/applications.html", {"applications": apps})


urlpatterns = [
    path("applications/", listing, name="applications"),
    path("customers/<int:customer_pk>/applications/new/", new, name="application_new"),
    path("applications/<int:pk>/", detail, name="application"),
    path("applications/<int:pk>/act/", act, name="application_act"),
]
