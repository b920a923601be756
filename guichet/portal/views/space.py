"""Customer-space pages: home, dashboard ("Tableau de bord"), contracts list and contract page.

Every contract is reached through ``guichet.loans.selectors`` with the signed-in customer, so a
number that is not theirs answers 404 exactly like a number that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.functional import SimpleLazyObject

from guichet.customers.decorators import customer_required
from guichet.customers.models import Customer
from guichet.documents.sheets import PDF_KINDS, contract_sheet
from guichet.loans.models import Contract
from guichet.loans.selectors import contract_for, dashboard_for
from guichet.payments.selectors import calendar_for
from guichet.signing.selectors import open_applications_for

from ..display import calendar_display
from ..tasks import pending_tasks_for

CALENDAR_VIEWS = {"a-venir": "upcoming", "passees": "past", "toutes": "all"}
PENDING_STATUSES = (Contract.Status.PENDING,)
CLOSED_STATUSES = (Contract.Status.CLOSED, Contract.Status.WITHDRAWN)


def current_customer(request: HttpRequest) -> Customer:
    """The customer ``customer_required`` attached to the request (never looked up from a URL)."""
    return request.customer  # type: ignore[attr-defined]


def customer_contract(request: HttpRequest, number: str) -> Contract:
    """One of the current customer's contracts, or 404 (no difference between absent and not theirs)."""
    try:
        return contract_for(current_customer(request), number)
    except Contract.DoesNotExist:
        raise Http404("No such contract.") from None


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _grouped(customer: Customer) -> dict[str, Any]:
    """Active, pending and closed contracts, plus the applications still in progress: a request
    awaiting signature is an application too, so the heading never says "none" under a signature task."""
    groups: dict[str, Any] = {"active": [], "applications": [], "closed": []}
    groups["requests"] = open_applications_for(customer)
    for s in dashboard_for(customer):
        key = (
            "applications"
            if s.status in PENDING_STATUSES
            else "closed"
            if s.status in CLOSED_STATUSES
            else "active"
        )
        groups[key].append(s)
    groups["applications_count"] = len(groups["applications"]) + len(groups["requests"])
    return groups


@customer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Synthèse: one card per contract and the tasks awaiting the customer, in a fixed number of queries.

    The cards and tasks are a cached fragment (``page_fragment``): computed only when it is missing."""
    customer = current_customer(request)
    return render(
        request,
        "portal/space/dashboard.html",
        {
            "customer": customer,
            "groups": SimpleLazyObject(lambda: _grouped(customer)),
            "tasks": SimpleLazyObject(lambda: pending_tasks_for(customer)),
        },
    )


@customer_required
def contracts(request: HttpRequest) -> HttpResponse:
    """ "Mes contrats": active loans, current applications and closed contracts."""
    groups = _grouped(current_customer(request))
    return render(request, "portal/space/contracts.html", {"groups": groups})


@customer_required
def contract(request: HttpRequest, number: str) -> HttpResponse:
    """The contract page: terms, full calendar with filters, "Mes informations", documents."""
    item = customer_contract(request, number)  # first: anyone else's number is a 404, cached or not
    vue = request.GET.get("vue", "a-venir")
    which = CALENDAR_VIEWS.get(vue, "upcoming")
    # The sheet and calendar are a cached fragment (``page_fragment``): computed only when it is missing.
    sheet = SimpleLazyObject(lambda: contract_sheet(contract=item))
    return render(
        request,
        "portal/space/contract.html",
        {
            "customer": current_customer(request),
            "contract": item,
            "sheet": sheet,
            "calendar": SimpleLazyObject(lambda: calendar_display(_with_transfers(item, sheet, which))),
            "vue": vue if vue in CALENDAR_VIEWS else "a-venir",
            "pdf_kinds": PDF_KINDS.values(),
        },
    )


def _with_transfers(contract: Contract, sheet, which: str) -> list[tuple[str, object]]:
    """The calendar rows with the coming 12 months of scheduled transfers between them (issue 5:
    "it appears in the calendar"), as ``("line", row)`` / ``("transfer", item)`` by date."""
    entries: list[tuple[object, int, str, object]] = [(r.due_on, 0, "line", r) for r in sheet.filtered(which)]
    if which != "past":
        for item in calendar_for(contracts=[contract], today=sheet.on, months=12):
            if item.what == "transfer":
                entries.append((item.on, 1, "transfer", item))
    return [(kind, obj) for _on, _rank, kind, obj in sorted(entries, key=lambda e: (e[0], e[1]))]


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("espace/", dashboard, name="dashboard"),
    path("espace/contrats/", contracts, name="contracts"),
    path("espace/contrats/<str:number>/", contract, name="contract"),
]
