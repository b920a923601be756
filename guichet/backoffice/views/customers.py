"""Back-office home, customer and contract search, the customer 360° view, and inviting a customer."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.customers.exceptions import CustomerSecurityError
from guichet.customers.models import Customer, SecurityEvent
from guichet.documents.selectors import documents_for
from guichet.lenders.profile import lender_day
from guichet.loans.models import Contract
from guichet.loans.positions import positions_for
from guichet.loans.selectors import contracts_for
from guichet.onboarding import kyc
from guichet.onboarding.accounts import OnboardingError
from guichet.onboarding.invitations import invite_customer
from guichet.support import selectors as support
from guichet.support.collections import bucket_of, delinquent_count

from ..access import staff_view
from ..forms import NewCustomerForm
from ..models import StaffAction
from ..permissions import audit, can


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


def search_customers(query: str) -> list[Customer]:
    """Name, email, customer reference, phone or contract number; at most 50 results."""
    q = query.strip()
    if len(q) < 2:
        return []
    digits = "".join(ch for ch in q if ch.isdigit())
    cond = (
        Q(last_name__icontains=q)
        | Q(first_name__icontains=q)
        | Q(email__icontains=q)
        | Q(reference__iexact=q)
    )
    if len(digits) >= 6:
        cond |= Q(phone__endswith=digits[-9:]) | Q(participations__contract__number=digits)
    parts = q.split()
    if len(parts) == 2:
        cond |= Q(first_name__icontains=parts[0], last_name__icontains=parts[1])
        cond |= Q(first_name__icontains=parts[1], last_name__icontains=parts[0])
    return list(Customer.objects.filter(cond).distinct().order_by("last_name", "first_name")[:50])


@staff_view("search")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = search_customers(query)
    if query:
        audit(request, "search", target=query[:120], results=len(results))
    return render(request, "backoffice/search.html", {"query": query, "results": results})


@staff_view("view_customer")
def customer_360(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    contracts = list(contracts_for(customer))
    audit(request, "view_customer", customer=customer, target=customer.reference)
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
        customer = form.save()
        audit(request, "create_customer", customer=customer, target=customer.reference)
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
        invite_customer(customer=customer, invited_by=request.user, request=request)
    except (OnboardingError, CustomerSecurityError) as exc:  # errors written for people
        messages.error(request, str(exc))
    except OSError:  # the mail server refused or is down (smtplib errors are OSErrors)
        messages.error(request, _("L'email d'invitation n'a pas pu être envoyé : réessayez plus tard."))
    else:
        audit(request, "invite_customer", customer=customer, target=customer.email)
        messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": customer.email})
    return redirect("backoffice:customer", pk=customer.pk)


urlpatterns = [
    path("", home, name="home"),
    path("search/", search, name="search"),
    path("customers/new/", new_customer, name="customer_new"),
    path("customers/<int:pk>/", customer_360, name="customer"),
    path("customers/<int:pk>/invite/", invite, name="invite"),
]
