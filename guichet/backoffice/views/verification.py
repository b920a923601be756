"""Seal verification for staff: upload a signed PDF, see whether the lender's seal is intact and trusted.

The same check as ``manage.py verify_signature`` and the customer's page (``sealing.verify_pdf``);
each verification is in the staff audit trail with the file's SHA-256 and the outcome.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from guichet.documents.sealing import verify_pdf_for_staff

from ..access import staff_view

MAX_BYTES = 10 * 1024 * 1024


@staff_view("verify_signature")
def verify(request: HttpRequest) -> HttpResponse:
    check, error, status = None, "", 200
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        if upload is None or upload.size > MAX_BYTES:
            error, status = _("Choisissez un fichier PDF de 10 Mo au plus."), 400
        else:
            check = verify_pdf_for_staff(upload.read(), by=request.user)
    return render(request, "backoffice/verify.html", {"check": check, "error": error}, status=status)


urlpatterns = [path("signatures/verifier/", verify, name="verify_signature")]
