"""Customer-space pages: identity verification ("Mes justificatifs"): upload, status, and the owner's files.

Also registers the dashboard task "Justificatifs à fournir" while documents are missing or were refused.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.customers.decorators import customer_required
from guichet.errors import refusals_on_form
from guichet.onboarding import kyc
from guichet.portal.tasks import PendingTask, TaskSource, register_task_source

from .space import current_customer

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class KycForm(forms.Form):
    identity = forms.FileField(
        label=gettext_lazy("Pièce d'identité (carte d'identité, passeport ou titre de séjour, recto-verso)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    address = forms.FileField(
        label=gettext_lazy("Justificatif de domicile de moins de 3 mois"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


@customer_required
def kyc_page(request: HttpRequest) -> HttpResponse:
    customer = current_customer(request)
    form = KycForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data
        with refusals_on_form(form):
            kyc.submit_identity_documents(
                customer=customer,
                identity=files["identity"],
                address=files["address"],
                names=(files["identity"].name, files["address"].name),
            )
            messages.success(request, _("Justificatifs reçus. Examen en cours, généralement sous 24 à 72 h."))
            return redirect("portal:kyc")
    status = kyc.kyc_status(customer)
    return render(request, "portal/kyc/kyc.html", {"form": form, "status": status})


@customer_required
def kyc_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """The owner's own upload; another customer's id is a 404, exactly like a missing one."""
    doc = kyc.document_for_customer(current_customer(request), document_id)
    response = HttpResponse(kyc.document_bytes(doc), content_type=doc.mime)
    response["Content-Disposition"] = (
        f'inline; filename="justificatif-{doc.pk}.{doc.path.rsplit(".", 1)[-1]}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def kyc_tasks(customer: object) -> list[PendingTask]:
    return [
        PendingTask(title=t["title"], url=t["url"], kind="kyc", detail=t["text"])
        for t in kyc.kyc_task(customer)
    ]


def _kyc_task_from_rows(rows: list[tuple[str, str]]) -> list[PendingTask]:
    """The same task as ``kyc_tasks``, when the dashboard's tasks query found a row."""
    return [
        PendingTask(
            title=_("Justificatifs à fournir"),
            url=reverse("portal:kyc"),
            kind="kyc",
            detail=_("Envoyez une pièce d'identité et un justificatif de domicile récent."),
        )
        for _row in rows[:1]
    ]


register_task_source(TaskSource(kind="kyc", rows=kyc.kyc_task_rows, build=_kyc_task_from_rows))

urlpatterns: list[URLPattern] = [
    path("justificatifs/", kyc_page, name="kyc"),
    path("justificatifs/<int:document_id>/", kyc_document, name="kyc_document"),
]
