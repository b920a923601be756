"""Secure messages and complaints on the staff side, with the complaints report (HTML and CSV)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.customers.models import Customer
from guichet.errors import refusals_as_messages, refusals_on_form
from guichet.lenders.profile import lender_day
from guichet.onboarding.uploads import open_stored
from guichet.support import selectors, services
from guichet.support.models import Complaint, Thread

from ..access import staff_view
from ..forms import AnswerForm, MessageForm, NewThreadForm
from ..permissions import can, require
from .files import private_file_response


def _files(request: HttpRequest) -> list:
    upload = request.FILES.get("attachment")
    return [(upload, upload.name)] if upload else []


@staff_view("view_messages")
def threads(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/threads.html", {"threads": selectors.staff_threads()[:200]})


@staff_view("view_messages")
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Thread.objects.select_related("customer"), pk=pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can(request.user, "write_messages"):
            require(request, "write_messages", customer=item.customer, target=f"thread:{pk}")
        if form.is_valid():
            with refusals_on_form(form):
                services.post_message(
                    thread=item, author=request.user, body=form.cleaned_data["body"], files=_files(request)
                )
                return redirect("backoffice:thread", pk=pk)
    if can(request.user, "write_messages"):
        services.mark_thread_read(thread=item, by_customer=False)
    context = {
        "thread": item,
        "messages_list": selectors.messages_of(item),
        "form": form,
        "can_write": can(request.user, "write_messages"),
    }
    return render(request, "backoffice/thread.html", context)


@staff_view("write_messages")
def new_thread(request: HttpRequest, customer_pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=customer_pk)
    form = NewThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            item = services.start_thread(
                customer=customer,
                author=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                files=_files(request),
            )
            return redirect("backoffice:thread", pk=item.pk)
    return render(request, "backoffice/thread_new.html", {"form": form, "customer": customer})


@staff_view("view_messages")
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    att = selectors.attachment_for_staff(pk)
    return private_file_response(open_stored(att.path), mime=att.mime, name=f"piece-jointe-{att.pk}")


@staff_view("view_complaints")
def complaints(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    overdue_on = lender_day() if overdue else None
    if request.GET.get("format") == "csv":
        require(request, "reports", target="complaints.csv")
        return _csv(services.export_complaints(by=request.user, status=status, overdue_on=overdue_on))
    qs = selectors.complaints_report(status=status, overdue_on=overdue_on)
    context = {
        "complaints": qs[:500],
        "status": status,
        "overdue": overdue,
        "statuses": Complaint.Status.choices,
        "today": lender_day(),
        "can_export": can(request.user, "reports"),
    }
    return render(request, "backoffice/complaints.html", context)


def _csv(qs) -> HttpResponse:  # type: ignore[no-untyped-def]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reclamations.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "reference",
            "client",
            "contrat",
            "objet",
            "statut",
            "recue_le",
            "ar_du_le",
            "ar_envoye_le",
            "reponse_due_le",
            "repondu_le",
            "escaladee_le",
        ]
    )
    for c in qs:
        writer.writerow(
            [
                c.reference,
                c.customer.reference,
                c.contract.number if c.contract_id else "",
                _cell(c.subject),
                c.status,
                c.received_on,
                c.ack_due_on,
                _d(c.acknowledged_at),
                c.answer_due_on,
                _d(c.answered_at),
                _d(c.escalated_at),
            ]
        )
    return response


def _cell(text: str) -> str:
    # A cell starting with = + - @ would be run as a formula by spreadsheet software (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _d(value) -> str:  # type: ignore[no-untyped-def]
    return value.date().isoformat() if value else ""


@staff_view("view_complaints")
def complaint(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Complaint.objects.select_related("customer", "contract"), pk=pk)
    context = {
        "complaint": item,
        "form": AnswerForm(),
        "can_handle": can(request.user, "handle_complaints"),
        "today": lender_day(),
    }
    return render(request, "backoffice/complaint.html", context)


@require_POST
@staff_view("handle_complaints")
def complaint_act(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Complaint.objects.select_related("customer"), pk=pk)
    with refusals_as_messages(request):
        if request.POST.get("act") == "acknowledge":
            services.acknowledge_complaint(complaint=item, by=request.user)
            messages.success(request, _("Accusé de réception envoyé au client."))
        else:
            services.answer_complaint(complaint=item, by=request.user, answer=request.POST.get("answer", ""))
            messages.success(request, _("Réponse envoyée au client, avec les coordonnées du médiateur."))
    return redirect("backoffice:complaint", pk=pk)


urlpatterns = [
    path("messages/", threads, name="threads"),
    path("messages/<int:pk>/", thread, name="thread"),
    path("messages/new/<int:customer_pk>/", new_thread, name="thread_new"),
    path("messages/attachments/<int:pk>/", attachment, name="attachment"),
    path("complaints/", complaints, name="complaints"),
    path("complaints/<int:pk>/", complaint, name="complaint"),
    path("complaints/<int:pk>/act/", complaint_act, name="complaint_act"),
]
