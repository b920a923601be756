"""Writing the staff audit trail: ``record`` is called by the service that changes state (or reads a
customer's data for staff), inside that service's transaction, never by a view.

The client's IP comes from ``acting_from(ip)``, which the back office's page gate sets for the length of
a request (as django-auditlog's ``set_actor``): services take the acting user, not the HTTP request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .models import StaffAction

_client_ip: ContextVar[str | None] = ContextVar("guichet_audit_client_ip", default=None)


@contextmanager
def acting_from(ip: str | None) -> Iterator[None]:
    """Every record written inside the block carries ``ip`` (the staff member's address)."""
    token = _client_ip.set(ip or None)
    try:
        yield
    finally:
        _client_ip.reset(token)


def record(
    *, by: Any, action: str, allowed: bool = True, customer: Any = None, target: str = "", **detail: Any
) -> StaffAction:
    """One line of the trail: ``by`` (a staff user) did, or was refused, ``action``."""
    return StaffAction.objects.create(
        actor=by,
        role=by.role,
        action=action,
        allowed=allowed,
        customer=customer,
        target=str(target)[:120],
        detail=detail,
        ip=_client_ip.get(),
    )


def record_if_staff(*, by: Any, action: str, **kwargs: Any) -> StaffAction | None:
    """``record`` when a staff member acted; services also run for customers, batches and demos."""
    if by is None or not getattr(by, "is_authenticated", False) or getattr(by, "role", "") == "customer":
        return None
    return record(by=by, action=action, **kwargs)
