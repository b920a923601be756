"""Credit applications in the back office: prepare one, assess solvency, approve its exception, request
signature, finance. Every rule lives in ``guichet.origination`` (and ``signing`` for financing)."""

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

from guichet.catalogue.selectors import products_on
from guichet.credit import Money, currency
from guichet.customers.models import Customer
from guichet.errors import refusals_as_messages, refusals_on_form
from guichet.lenders.profile import get_profile
from guichet.origination import assessment
from guichet.origination import services as workflow
from guichet.origination.models import ApplicationReview, CreditAssessment
from guichet.signing.models import Application
from guichet.signing.services import confirm_financing

from ..access import staff_view
from ..permissions import can, require, require_other_than


class ApplicationForm(forms.Form):
    product = forms.ChoiceField(label=gettext_lazy("Produit"))
    amount = forms.DecimalField(label=gettext_lazy("Montant"), min_value=Decimal("1"), decimal_places=2)
    term_months = forms.IntegerField(label=gettext_lazy("Durée (mois)"), min_value=1, max_value=240)
    insurance = forms.ChoiceField(label=gettext_lazy("Assurance emprunteur"), required=False)
    debit_rate = forms.DecimalField(
        label=gettext_lazy("Taux débiteur proposé, en % (vide : celui du barème)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("30"),
        decimal_places=3,
    )
    rate_reason = forms.CharField(
        label=gettext_lazy("Motif d'un taux hors barème (exception soumise à un superviseur)"),
        required=False,
        max_length=500,
        widget=forms.Textarea,
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
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
        with refusals_on_form(form):
            prepared = workflow.prepare_application(
                customer=customer,
                product_code=data["product"],
                amount=form.money(),
                term_months=data["term_months"],
                insurance_id=int(data["insurance"]) if data["insurance"] else None,
                by=request.user,
                debit_rate=data["debit_rate"] / 100 if data["debit_rate"] is not None else None,
                rate_reason=data["rate_reason"],
            )
            messages.success(
                request, _("Demande préparée ; la fiche d'information précontractuelle est envoyée.")
            )
            return redirect("backoffice:application", pk=prepared.application.pk)
    return render(request, "backoffice/application_new.html", {"form": form, "customer": customer})


@staff_view("view_applications")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application.objects.select_related("customer", "created_by"), pk=pk)
    review = ApplicationReview.objects.filter(application=app).select_related("approved_by").first()
    context = {
        "app": app,
        "review": review,
        "assessment": CreditAssessment.objects.filter(application=app).first(),
        "assessment_form": AssessmentForm(),
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
        "assess": _assess,
        "review_assessment": _review_assessment,
        "approve_exception": _approve,
        "request_signature": _request_signature,
        "confirm_financing": _finance,
    }
    if action not in handlers:
        return redirect("backoffice:application", pk=pk)
    with refusals_as_messages(request):
        handlers[action](request, app, target)
    return redirect("backoffice:application", pk=pk)


class AssessmentForm(forms.Form):
    monthly_income = forms.DecimalField(
        label=gettext_lazy("Revenus mensuels nets"), min_value=Decimal("0.01")
    )
    monthly_charges = forms.DecimalField(
        label=gettext_lazy("Charges mensuelles (loyer, crédits…)"), min_value=0
    )
    evidence = forms.CharField(
        label=gettext_lazy("Justificatifs vérifiés (un par ligne)"), widget=forms.Textarea, max_length=2000
    )
    # Not pre-ticked: consulting the FICP is a choice made for each file (L312-16).
    consult_ficp = forms.BooleanField(label=gettext_lazy("Consulter le FICP"), required=False)


def _assess(request: HttpRequest, app: Application, target: str) -> None:
    require(request, "create_application", customer=app.customer, target=target)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        raise workflow.ApplicationRefused(_("Évaluation incomplète : revenus, charges et justificatifs."))
    data, cur = form.cleaned_data, currency(app.currency)
    done = assessment.assess_creditworthiness(
        application=app,
        monthly_income=Money.of(data["monthly_income"].normalize(), cur),
        monthly_charges=Money.of(data["monthly_charges"].normalize(), cur),
        evidence=data["evidence"].splitlines(),
        by=request.user,
        ficp=assessment.DemoFicp() if data["consult_ficp"] else None,
    )
    messages.success(request, done.analysis)


def _review_assessment(request: HttpRequest, app: Application, target: str) -> None:
    require(request, "approve_exception", customer=app.customer, target=target)
    assessment.review_assessment(
        assessment=CreditAssessment.objects.get(application=app),
        by=request.user,
        favourable=request.POST.get("favourable") == "yes",
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Réexamen enregistré."))


def _approve(request: HttpRequest, app: Application, target: str) -> None:
    require_other_than(request, app.created_by_id, "approve_exception", customer=app.customer, target=target)
    workflow.approve_exception(application=app, by=request.user)
    messages.success(request, _("Exception approuvée."))


def _request_signature(request: HttpRequest, app: Application, target: str) -> None:
    require(request, "request_signature", customer=app.customer, target=target)
    workflow.request_offer_signature(application=app, by=request.user)
    messages.success(request, _("Signature demandée : le client voit la tâche dans son espace."))


def _finance(request: HttpRequest, app: Application, target: str) -> None:
    require(request, "confirm_financing", customer=app.customer, target=target)
    contract = confirm_financing(application=app, confirmed_by=request.user)
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
