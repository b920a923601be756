"""Customer-space pages of the e-signature: the document to sign, its steps, withdrawal and seal verification.

Thin views over ``guichet.signing.services``: every signature request or application is fetched
through the signed-in customer (``guichet.signing.selectors``), so another customer's id is a 404.
The page's JavaScript (``guichet/signing.js``) reports "viewed" and "scrolled to end"; the services
refuse to send a code or to sign without those steps and the consent.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.customers.decorators import customer_required, sensitive_page
from guichet.documents.sealing import verify_pdf
from guichet.errors import refusals, refusals_as_messages
from guichet.lenders.profile import get_profile
from guichet.portal.tasks import PendingTask, TaskSource, register_task_source
from guichet.signing import pages, selectors, services
from guichet.signing.evidence import mask_phone
from guichet.signing.exceptions import SigningError
from guichet.signing.journal import Client, Kind, contact_confirmed, steps_done
from guichet.signing.models import SignatureRequest
from guichet.signing.page_state import sign_page_state

MAX_VERIFY_BYTES = 10 * 1024 * 1024


def signature_tasks(customer) -> list[PendingTask]:
    """One "⚠ Une tâche vous attend : Signature du contrat" per pending request (one query)."""
    return _signature_tasks_from_rows(selectors.pending_signatures_for(customer))


def _signature_tasks_from_rows(rows) -> list[PendingTask]:
    return [
        PendingTask(
            title=_("Signature du contrat"),
            url=reverse("portal:sign", args=[pid]),
            kind="signature",
            detail=title,
        )
        for pid, title in rows
    ]


# Registered when the portal's URLconf loads this module (same hook as the KYC task); the
# dashboard reads it in its single tasks query.
register_task_source(
    TaskSource(kind="signature", rows=selectors.pending_signature_rows, build=_signature_tasks_from_rows)
)


def _request_for(request: HttpRequest, public_id: UUID) -> SignatureRequest:
    return selectors.signature_request_for(request.customer, public_id)  # type: ignore[attr-defined]


def _sign_context(sig: SignatureRequest) -> dict[str, object]:
    done = steps_done(sig)
    state = sign_page_state(sig)
    confirmed = contact_confirmed(sig, sig.customer)
    pending = sig.status == SignatureRequest.Status.PENDING
    return {
        "sig": sig,
        # Seed 003, step 1: the signer first confirms the email and mobile on file; the document and
        # its steps come after (the server refuses the code and the signature without it).
        "contact_confirmed": confirmed,
        "pages": pages.page_sizes(sig) if pending and confirmed else [],
        "scrolled": Kind.SCROLLED_TO_END in done,
        "consented": Kind.CONSENT_TICKED in done,
        "code_sent": state.code_sent,
        "resend_wait": state.resend_wait,
        "phone_masked": mask_phone(sig.customer.phone),
        "code_length": get_profile().security.signature_code_length,
        "withdrawal_open": state.withdrawal_open,
    }


@customer_required
@sensitive_page
def sign(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """GET: the document and its steps. POST: the code typed by the customer → sign and seal."""
    sig = _request_for(request, public_id)
    if request.method == "POST":
        with refusals_as_messages(request):
            services.sign_document(
                signature_request=sig,
                customer=request.customer,  # type: ignore[attr-defined]
                code=request.POST.get("code", ""),
                client=Client.of(request),
            )
            messages.success(request, _("Votre contrat est signé. Il est disponible dans « Mes documents »."))
        return redirect("portal:sign", public_id=public_id)
    if sig.status == SignatureRequest.Status.PENDING and contact_confirmed(sig, sig.customer):
        services.record_page_served(
            signature_request=sig,
            customer=request.customer,  # type: ignore[attr-defined]
            client=Client.of(request),
        )
    return render(request, "portal/signing/sign.html", _sign_context(sig))


@customer_required
def sign_page(request: HttpRequest, public_id: UUID, number: int) -> HttpResponse:
    sig = _request_for(request, public_id)
    try:
        png = pages.page_png(sig, number)
    except pages.PageUnavailable:
        raise Http404("No such page.") from None
    if sig.status == SignatureRequest.Status.PENDING:
        services.record_image_served(
            signature_request=sig,
            customer=request.customer,  # type: ignore[attr-defined]
            client=Client.of(request),
            page=number,
        )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    return response


@customer_required
def sign_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The exact PDF on display (before signing) for the customer to keep or print."""
    sig = _request_for(request, public_id)
    with sig.document.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="offre-{sig.public_id.hex[:12]}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@customer_required
@sensitive_page
def sign_contact(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """« Je confirme » : the signer confirms the email and mobile shown (a server-observed event)."""
    sig = _request_for(request, public_id)
    with refusals_as_messages(request):
        services.confirm_contact_details(
            signature_request=sig,
            customer=request.customer,  # type: ignore[attr-defined]
            client=Client.of(request),
        )
    return redirect("portal:sign", public_id=public_id)


STEP_SERVICES = {"viewed": services.record_view, "scrolled_to_end": services.record_scrolled_to_end}


@require_POST
@customer_required
def sign_event(request: HttpRequest, public_id: UUID) -> JsonResponse:
    """The page reports a step ("viewed", "scrolled_to_end"); answers JSON for signing.js."""
    sig = _request_for(request, public_id)
    service = STEP_SERVICES.get(request.POST.get("kind", ""))
    if service is None:
        return JsonResponse({"ok": False, "error": "unknown step"}, status=400)
    with refusals() as refused:
        service(signature_request=sig, customer=request.customer, client=Client.of(request))  # type: ignore[attr-defined]
    if refused:
        return JsonResponse({"ok": False, "error": refused.message}, status=409)
    return JsonResponse({"ok": True})


@require_POST
@customer_required
@sensitive_page
def sign_code(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Record the ticked consent (first time) and SMS a code bound to the document's hash."""
    sig = _request_for(request, public_id)
    customer, client = request.customer, Client.of(request)  # type: ignore[attr-defined]
    with refusals() as refused:
        if Kind.CONSENT_TICKED not in steps_done(sig):
            if request.POST.get("consent") != "on":
                raise SigningError(_("Cochez la case de consentement avant de demander le code."))
            services.record_consent(signature_request=sig, customer=customer, client=client)
        sent = services.send_signature_code(signature_request=sig, customer=customer, client=client)
    if refused.code == "code_cooldown":  # a wait, not an error: the code already sent still works
        messages.info(request, refused.message)
    elif refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("Un code vient d'être envoyé par SMS au %(phone)s.") % {"phone": sent.phone_masked}
        )
    return redirect(reverse("portal:sign", args=[public_id]) + "#signer")


@customer_required
def applications(request: HttpRequest) -> HttpResponse:
    """ "Applications actuelles": the customer's applications, their state and the withdrawal deadline."""
    apps = list(selectors.applications_for(request.customer))  # type: ignore[attr-defined]
    now = timezone.now()
    rows = []
    for app in apps:
        signed = next((r for r in app.signature_requests.all() if r.signed_at), None)
        pending = next(
            (r for r in app.signature_requests.all() if r.status == SignatureRequest.Status.PENDING), None
        )
        can_withdraw = services.withdrawal_allowed(application=app, signed=signed, now=now)
        rows.append({"app": app, "signed": signed, "pending": pending, "can_withdraw": can_withdraw})
    return render(request, "portal/signing/applications.html", {"rows": rows})


@customer_required
@sensitive_page
def withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Confirmation page (GET) and the withdrawal itself (POST), refused after the L312-19 deadline."""
    app = selectors.application_for(request.customer, public_id)  # type: ignore[attr-defined]
    if request.method == "POST":
        with refusals_as_messages(request):
            services.withdraw(application=app, customer=request.customer, client=Client.of(request))  # type: ignore[attr-defined]
            messages.success(
                request, _("Votre rétractation est enregistrée. Votre demande de crédit est annulée.")
            )
        return redirect("portal:applications")
    signed = app.signature_requests.filter(signed_at__isnull=False).order_by("-signed_at").first()
    return render(request, "portal/signing/withdraw.html", {"app": app, "signed": signed})


@customer_required
def verify_signature(request: HttpRequest) -> HttpResponse:
    """Upload a signed PDF and re-validate its seal against the lender's certificate."""
    check = None
    if request.method == "POST":
        upload = request.FILES.get("pdf")
        if upload is None or upload.size > MAX_VERIFY_BYTES:
            messages.error(request, _("Choisissez un fichier PDF de 10 Mo au plus."))
        else:
            check = verify_pdf(upload.read())
    return render(request, "portal/signing/verify.html", {"check": check})


urlpatterns: list[URLPattern] = [
    path("espace/signature/<uuid:public_id>/", sign, name="sign"),
    path("espace/signature/<uuid:public_id>/page/<int:number>.png", sign_page, name="sign_page"),
    path("espace/signature/<uuid:public_id>/document.pdf", sign_pdf, name="sign_pdf"),
    path("espace/signature/<uuid:public_id>/etape/", sign_event, name="sign_event"),
    path("espace/signature/<uuid:public_id>/code/", sign_code, name="sign_code"),
    path("espace/signature/<uuid:public_id>/coordonnees/", sign_contact, name="sign_contact"),
    path("espace/demandes/", applications, name="applications"),
    path("espace/demandes/<uuid:public_id>/retractation/", withdraw, name="withdraw"),
    path("espace/verifier-signature/", verify_signature, name="verify_signature"),
]
