"""What each staff role may do: the ONE permission map of the back office, and the audited check.

Every view asks ``require(request, action)``; a refusal is recorded in the staff audit trail
before the 403. An allowed action is recorded by the service that performs it (``guichet.audit``),
never by the view.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from guichet.audit import trail
from guichet.audit.models import StaffAction
from guichet.customers.models import User

READ = {
    "search",
    "view_customer",
    "view_kyc_document",
    "view_kyc_queue",
    "view_collections",
    "view_messages",
    "view_complaints",
    "view_applications",
    "verify_signature",
    "view_operations",
}
ADVISOR = READ | {
    "invite_customer",
    "create_application",
    "request_signature",
    "review_kyc",
    "write_messages",
    "handle_complaints",
    "send_reminders",
    # Record a customer's mobile after checking their identity (no mobile: no online reset, issue 16).
    "record_mobile",
}
SUPERVISOR = ADVISOR | {
    "confirm_financing",
    "approve_exception",
    "view_escalations",
    "reports",
    "audit_trail",
    "run_operations",
    # Classify a card opposition as the holder's abusive use: a fee to the customer (issue 12).
    "classify_card_opposition",
}
COMPLIANCE = READ | {"reports", "audit_trail", "view_escalations"}

PERMISSIONS: dict[str, frozenset[str]] = {
    User.Role.ADVISOR: frozenset(ADVISOR),
    User.Role.SUPERVISOR: frozenset(SUPERVISOR),
    User.Role.COMPLIANCE: frozenset(COMPLIANCE),
}
STAFF_ROLES = frozenset(PERMISSIONS)


def is_staff_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in STAFF_ROLES)


def can(user: Any, action: str) -> bool:
    return is_staff_user(user) and action in PERMISSIONS.get(user.role, frozenset())


def record_action(
    request: HttpRequest, action: str, *, allowed: bool, customer: Any = None, target: str = "", **detail: Any
) -> StaffAction:
    with trail.acting_from(client_ip(request)):
        return trail.record(
            by=request.user, action=action, allowed=allowed, customer=customer, target=target, **detail
        )


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def require(
    request: HttpRequest, action: str, *, customer: Any = None, target: str = "", **detail: Any
) -> None:
    """Raise ``PermissionDenied`` (403) unless the signed-in staff member's role allows ``action``."""
    if not can(request.user, action):
        record_action(request, action, allowed=False, customer=customer, target=target, **detail)
        raise PermissionDenied(f"Role {request.user.role!r} may not {action}.")


def require_other_than(request: HttpRequest, creator_id: int | None, action: str, **kwargs: Any) -> None:
    """Four-eyes rule: whoever created a file cannot approve its exception, whatever their role."""
    require(request, action, **kwargs)
    if creator_id is not None and creator_id == request.user.pk:
        record_action(request, action, allowed=False, reason="own_file", **kwargs)
        raise PermissionDenied("The creator of a file cannot approve its exception.")
