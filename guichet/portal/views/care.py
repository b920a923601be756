"""Customer-space pages: complaints ("Mes réclamations") with their due dates, and secure messages."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.customers.decorators import customer_required
from guichet.errors import refusals_on_form
from guichet.loans.models import Contract
from guichet.loans.selectors import contract_for, contracts_for
from guichet.onboarding.uploads import open_stored
from guichet.support import selectors, services

from .space import current_customer


class ComplaintForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Objet"), max_length=150)
    contract = forms.ChoiceField(label=gettext_lazy("Contrat concerné (facultatif)"), required=False)
    body = forms.CharField(label=gettext_lazy("Votre réclamation"), max_length=5000, widget=forms.Textarea)

    def __init__(self, *args, customer, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        choices = [(c.number, f"{c.product_name} n° {c.number}") for c in contracts_for(customer)]
        self.fields["contract"].choices = [("", _("Aucun en particulier")), *choices]


class MessageForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Message"), max_length=5000, widget=forms.Textarea)
    attachment = forms.FileField(
        label=gettext_lazy("Pièce jointe (PDF, JPEG ou PNG, 10 Mo max.)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class NewThreadForm(MessageForm):
    subject = forms.CharField(label=gettext_lazy("Objet"), max_length=150)
    field_order = ["subject", "body", "attachment"]


@customer_required
def complaints(request: HttpRequest) -> HttpResponse:
    customer = current_customer(request)
    form = ComplaintForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = contract_for(customer, data["contract"]) if data["contract"] else None
        except Contract.DoesNotExist:  # a number that is not one of hers: the form's input
            form.add_error("contract", _("Choisissez un de vos contrats."))
        else:
            with refusals_on_form(form):
                item = services.file_complaint(
                    customer=customer, subject=data["subject"], body=data["body"], contract=contract
                )
                messages.success(request, _("Réclamation %(ref)s enregistrée.") % {"ref": item.reference})
                return redirect("portal:complaints")
    context = {"form": form, "complaints": selectors.complaints_for(customer)}
    return render(request, "portal/care/complaints.html", context)


def _files(request: HttpRequest) -> list:
    upload = request.FILES.get("attachment")
    return [(upload, upload.name)] if upload else []


@customer_required
def threads(request: HttpRequest) -> HttpResponse:
    customer = current_customer(request)
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
            return redirect("portal:message_thread", pk=item.pk)
    context = {"form": form, "threads": selectors.threads_for(customer)}
    return render(request, "portal/care/threads.html", context)


@customer_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    customer = current_customer(request)
    item = selectors.thread_for(customer, pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            services.post_message(
                thread=item, author=request.user, body=form.cleaned_data["body"], files=_files(request)
            )
            return redirect("portal:message_thread", pk=pk)
    services.mark_thread_read(thread=item, by_customer=True)
    context = {"thread": item, "messages_list": selectors.messages_of(item), "form": form}
    return render(request, "portal/care/thread.html", context)


@customer_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    att = selectors.attachment_for_customer(current_customer(request), pk)
    response = HttpResponse(open_stored(att.path), content_type=att.mime)
    response["Content-Disposition"] = (
        f'attachment; filename="piece-jointe-{att.pk}.{att.path.rsplit(".", 1)[-1]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("reclamations/", complaints, name="complaints"),
    path("messages/", threads, name="messages"),
    path("messages/<int:pk>/", thread, name="message_thread"),
    path("messages/pieces-jointes/<int:pk>/", attachment, name="message_attachment"),
]
