"""What staff do with customer records: search them, open one, create one. Each is in the staff audit
trail (``guichet.audit``), written here rather than by the back-office page (issue 10)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404

from guichet.audit import trail

from .models import Customer, User


def search_customers(*, query: str, by: User) -> list[Customer]:
    """Name, email, customer reference, phone or contract number; at most 50 results. A non-empty
    query is recorded with the number of results."""
    results = _matching(query)
    if query:
        trail.record_if_staff(by=by, action="search", target=query[:120], results=len(results))
    return results


def _matching(query: str) -> list[Customer]:
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


def customer_for_staff(*, pk: int, by: User) -> Customer:
    """The customer a staff member opens (404 when none); the opening is recorded."""
    customer = get_object_or_404(Customer, pk=pk)
    trail.record_if_staff(by=by, action="view_customer", customer=customer, target=customer.reference)
    return customer


def create_customer(*, customer: Customer, by: User) -> Customer:
    """Save a new customer (identity and contact filled, not saved) with a fresh reference."""
    with transaction.atomic():
        while not customer.reference:
            candidate = f"C{secrets.randbelow(10**9):09d}"
            if not Customer.objects.filter(reference=candidate).exists():
                customer.reference = candidate
        customer.save()
        trail.record_if_staff(by=by, action="create_customer", customer=customer, target=customer.reference)
    return customer
