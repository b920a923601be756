"""Identity verification review queue: see the documents, approve, or reject with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.errors import refusals_as_messages
from guichet.onboarding import kyc
from guichet.onboarding.kyc_models import KycFile

from ..access import staff_view
from ..forms import RejectForm
from ..permissions import can
from .files import private_file_response


@staff_view("view_kyc_queue")
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/kyc_queue.html", {"files": kyc.pending_reviews()})


@staff_view("view_kyc_queue")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    kyc_file = get_object_or_404(KycFile.objects.select_related("customer", "reviewed_by"), pk=pk)
    context = {
        "file": kyc_file,
        "documents": kyc_file.documents.all(),
        "form": RejectForm(),
        "can_review": can(request.user, "review_kyc"),
    }
    return render(request, "backoffice/kyc_review.html", context)


@require_POST
@staff_view("review_kyc")
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    kyc_file = get_object_or_404(KycFile.objects.select_related("customer"), pk=pk)
    with refusals_as_messages(request):
        if request.POST.get("decision") == "approve":
            kyc.approve_identity(kyc_file=kyc_file, reviewer=request.user)
            messages.success(request, _("Justificatifs validés ; le client est prévenu par email."))
        else:
            reason = RejectForm(request.POST).data.get("reason", "")
            kyc.reject_identity(kyc_file=kyc_file, reviewer=request.user, reason=reason)
            messages.success(request, _("Justificatifs refusés ; le client est prévenu par email."))
        return redirect("backoffice:kyc_queue")
    return redirect("backoffice:kyc_review", pk=pk)


@staff_view("view_kyc_document")
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = kyc.document_for_staff(pk, by=request.user)
    return private_file_response(kyc.document_bytes(doc), mime=doc.mime, name=f"{doc.kind}-{doc.pk}")


urlpatterns = [
    path("kyc/", queue, name="kyc_queue"),
    path("kyc/<int:pk>/", review, name="kyc_review"),
    path("kyc/<int:pk>/decide/", decide, name="kyc_decide"),
    path("kyc/documents/<int:pk>/", document, name="kyc_document"),
]
