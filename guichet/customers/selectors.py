"""Read paths of the customers app: the customer behind a signed-in user and the recent security activity."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Customer, SecurityEvent, User

# Kinds the customer sees in "activité récente" (codes sent/verified would drown the list).
VISIBLE_KINDS = [
    SecurityEvent.Kind.LOGIN_OK,
    SecurityEvent.Kind.LOGIN_FAILED,
    SecurityEvent.Kind.LOCKOUT,
    SecurityEvent.Kind.STEP_UP,
    SecurityEvent.Kind.SUSPENDED,
    SecurityEvent.Kind.UNSUSPENDED,
    SecurityEvent.Kind.LOGOUT_ALL,
    SecurityEvent.Kind.PASSWORD_SET,
    SecurityEvent.Kind.PASSWORD_CHANGED,
    SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
    SecurityEvent.Kind.PASSWORD_RESET,
    SecurityEvent.Kind.CODE_FAILED,
    SecurityEvent.Kind.EMAIL_CHANGED,
    SecurityEvent.Kind.PHONE_CHANGED,
    SecurityEvent.Kind.ACCOUNT_ACTIVATED,
    SecurityEvent.Kind.PROFILE_UPDATED,
    SecurityEvent.Kind.BANK_DETAILS_CHANGED,
]


def customer_for(user: User) -> Customer:
    """The Customer linked to a signed-in customer account; 404 when there is none (staff, orphan)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    customer = Customer.objects.filter(user=user).first()
    if customer is None:
        raise Http404
    return customer


def recent_activity(user: User, limit: int = 20) -> QuerySet[SecurityEvent]:
    """The newest security events of ``user`` that the customer can see, newest first."""
    return SecurityEvent.objects.filter(user=user, kind__in=VISIBLE_KINDS).order_by("-created_at", "-id")[
        :limit
    ]
