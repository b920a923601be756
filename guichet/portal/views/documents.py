"""Customer-space pages: the documents inbox ("Mes documents") and the on-demand contract PDFs."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from guichet.customers.decorators import customer_required
from guichet.documents import sheets
from guichet.documents.selectors import document_for, documents_for
from guichet.documents.services import mark_read

from .space import current_customer, customer_contract


@customer_required
def inbox(request: HttpRequest) -> HttpResponse:
    customer = current_customer(request)
    docs = SimpleLazyObject(lambda: list(documents_for(customer)))  # only when the fragment is missing
    return render(
        request,
        "portal/documents/inbox.html",
        {"documents": docs, "unread": lambda: sum(1 for d in docs if d.is_unread)},
    )


@customer_required
def document(request: HttpRequest, document_id: int) -> FileResponse:
    """Stream one of the customer's documents and mark it read; anyone else's id is a 404."""
    doc = document_for(current_customer(request), document_id)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404("Document file missing.") from None
    mark_read(document=doc)
    inline = request.GET.get("telecharger") is None
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=not inline, filename=doc.download_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@customer_required
def contract_pdf(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    """Generate one contract document on demand from the same sheet the contract page shows."""
    if kind not in sheets.PDF_KINDS:
        raise Http404("Unknown document kind.")
    contract = customer_contract(request, number)
    pdf = sheets.render_contract_pdf(contract=contract, kind=kind, language=get_language() or "fr")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{sheets.PDF_KINDS[kind].slug}-{contract.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def schedule_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """``portal:schedule_pdf``: the amortization table (the name other apps link to)."""
    return contract_pdf(request, number, "tableau-amortissement")


urlpatterns: list[URLPattern] = [
    path("espace/documents/", inbox, name="documents"),
    path("espace/documents/<int:document_id>/", document, name="document"),
    path(
        "espace/contrats/<str:number>/documents/tableau-amortissement.pdf", schedule_pdf, name="schedule_pdf"
    ),
    path("espace/contrats/<str:number>/documents/<slug:kind>.pdf", contract_pdf, name="contract_pdf"),
]
