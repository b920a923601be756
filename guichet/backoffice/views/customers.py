"""Back-office home, customer and contract search, the customer 360° view, and inviting a customer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.customers import staff
from guichet.customers.models import Customer, SecurityEvent
from guichet.customers.phones import InvalidPhone
from guichet.documents.selectors import documents_for
from guichet.errors import refusals_as_messages
from guichet.lenders.profile import lender_day
from guichet.loans.models import Contract
from guichet.loans.positions import positions_for
from guichet.loans.selectors import contracts_for
from guichet.onboarding import kyc
from guichet.onboarding.invitations import invite_customer
from guichet.support import selectors as support
from guichet.support.collections import bucket_of, delinquent_count

from ..access import staff_view
from ..forms import NewCustomerForm
from ..models import StaffAction
from ..permissions import can


@staff_view("search")
def home(request: HttpRequest) -> HttpResponse:
    overdue = support.complaints_report(overdue_on=None).exclude(status="answered")
    context = {
        "kyc_pending": kyc.pending_reviews().count(),
        "unread": support.unread_for_staff(),
        "open_complaints": overdue.count(),
        "collections": delinquent_count(),
        "can_invite": can(request.user, "invite_customer"),
    }
    return render(request, "backoffice/home.html", context)


@staff_view("search")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = staff.search_customers(query=query, by=request.user)
    return render(request, "backoffice/search.html", {"query": query, "results": results})


@staff_view("view_customer")
def customer_360(request: HttpRequest, pk: int) -> HttpResponse:
    customer = staff.customer_for_staff(pk=pk, by=request.user)
    contracts = list(contracts_for(customer))
    context = {
        "customer": customer,
        "contracts": _with_positions(contracts),
        "kyc": kyc.kyc_status(customer),
        "kyc_files": customer.kyc_files.prefetch_related("documents")[:10],
        "threads": support.staff_threads().filter(customer=customer)[:20],
        "complaints": support.complaints_for(customer)[:20],
        "documents": _documents(customer),
        "events": SecurityEvent.objects.filter(user=customer.user)[:20] if customer.user_id else [],
        "staff_actions": StaffAction.objects.filter(customer=customer).select_related("actor")[:20],
        "can_invite": can(request.user, "invite_customer"),
        "can_apply": can(request.user, "create_application"),
        "can_record_mobile": can(request.user, "record_mobile"),
        "identity_checks": staff.IDENTITY_CHECKS,
    }
    return render(request, "backoffice/customer.html", context)


def _with_positions(contracts: list[Contract]) -> list[dict]:
    today = lender_day()  # arrears and days past due count in the lender's days, not the server's
    positions = positions_for(c.pk for c in contracts)
    rows = []
    for c in contracts:
        pos = positions[c.pk]
        dpd = pos.days_past_due(today)
        entries = c.journal_entries.order_by("-effective_on", "-pk")[:10]
        rows.append(
            {
                "contract": c,
                "outstanding": c.money(pos.outstanding_principal_minor),
                "arrears": c.money(pos.arrears_minor(today)),
                "dpd": dpd,
                "bucket": bucket_of(dpd),
                "entries": entries,
            }
        )
    return rows


def _documents(customer: Customer) -> list:
    return list(documents_for(customer)[:20])


@staff_view("invite_customer")
def new_customer(request: HttpRequest) -> HttpResponse:
    form = NewCustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = staff.create_customer(customer=form.save(commit=False), by=request.user)
        return _invite(request, customer)
    return render(request, "backoffice/customer_new.html", {"form": form})


@require_POST
@staff_view("invite_customer")
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    return _invite(request, get_object_or_404(Customer, pk=pk))


def _invite(request: HttpRequest, customer: Customer) -> HttpResponse:
    if customer.user_id:
        messages.error(request, _("Ce client a déjà activé son espace client."))
        return redirect("backoffice:customer", pk=customer.pk)
    try:
        with refusals_as_messages(request):
            invite_customer(customer=customer, invited_by=request.user, request=request)
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": customer.email})
    except OSError:  # the mail server refused or is down (smtplib errors are OSErrors): not a refusal
        messages.error(request, _("L'email d'invitation n'a pas pu être envoyé : réessayez plus tard."))
    return redirect("backoffice:customer", pk=customer.pk)


@require_POST
@staff_view("record_mobile")
def record_mobile(request: HttpRequest, pk: int) -> HttpResponse:
    """The advisor records the mobile of a customer whose identity they have just checked (issue 16)."""
    customer = get_object_or_404(Customer, pk=pk)
    check = request.POST.get("identity_check", "")
    if check not in staff.IDENTITY_CHECKS:
        messages.error(request, _("Indiquez comment vous avez vérifié l'identité du client."))
        return redirect("backoffice:customer", pk=customer.pk)
    try:
        staff.record_mobile_after_identity_check(
            customer=customer, phone=request.POST.get("phone", ""), identity_check=check, by=request.user
        )
    except InvalidPhone as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Mobile enregistré ; le client en est informé par email."))
    return redirect("backoffice:customer", pk=customer.pk)


urlpatterns = [
    path("", home, name="home"),
    path("search/", search, name="search"),
    path("customers/new/", new_customer, name="customer_new"),
    path("customers/<int:pk>/", customer_360, name="customer"),
    path("customers/<int:pk>/invite/", invite, name="invite"),
    path("customers/<int:pk>/mobile/", record_mobile, name="record_mobile"),
]
