"""What staff do with customer records: search them, open one, create one. Each is in the staff audit
trail (``guichet.audit``), written here rather than by the back-office page (issue 10)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from guichet.audit import trail
from guichet.notifications import send_email

from .models import Customer, User
from .phones import normalize_phone
from .signin import end_other_access

# How an advisor checked the identity of a customer before recording their mobile (issue 16).
IDENTITY_CHECKS = {
    "agency_id_document": "pièce d'identité présentée à l'agence",
    "call_back_questions": "appel : date de naissance, adresse postale et numéro de contrat vérifiés",
}


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


def record_mobile_after_identity_check(
    *, customer: Customer, phone: str, identity_check: str, by: User
) -> Customer:
    """An advisor records the mobile of a customer who has none on file (or no longer has it), after
    checking their identity at the agency or on the phone (issue 16).

    Why this path: recovery needs the email AND an SMS code (seed 000, ``customers.recovery``), so a
    customer without a mobile cannot reset online, and an attacker who holds only the mailbox cannot
    either. The reset page sends them to the agency; the advisor checks who is calling, records the
    number here (audited with how identity was checked) and the customer is told by email; the
    customer then runs « Mot de passe oublié » as everyone does, email link + SMS code.
    """
    if identity_check not in IDENTITY_CHECKS:
        raise ValueError("identity_check")
    number = normalize_phone(phone)
    with transaction.atomic():
        previous = customer.phone
        customer.phone = number
        customer.save(update_fields=["phone"])
        trail.record_if_staff(
            by=by,
            action="record_mobile",
            customer=customer,
            target=customer.reference,
            identity_check=IDENTITY_CHECKS[identity_check],
            had_mobile=bool(previous),
            new_mobile_ends=number[-2:],
        )
        if customer.user_id:  # a new way to sign in: links asked for before it and other sessions end
            end_other_access(user=customer.user)
    _tell_customer_mobile_recorded(customer)
    return customer


def _tell_customer_mobile_recorded(customer: Customer) -> None:
    send_email(
        to=customer.email,
        subject=gettext_lazy("Votre numéro de mobile a été enregistré"),
        template="mobile_recorded",
        context={"ends": customer.phone[-2:]},
        language=customer.language or "fr",
    )
