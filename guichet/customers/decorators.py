"""Guards for customer pages: ``customer_required`` (signed-in, customer role, not suspended, password
not expired, linked Customer), ``sensitive_page`` (shorter inactivity limit) and the SMS step-up helpers
for sensitive operations (``require_step_up``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from guichet.lenders.profile import get_profile

from .codes import digest, issue_code, verify_code
from .models import Customer, OneTimeCode
from .passwords import password_expired

View = Callable[..., HttpResponse]
STEP_UP_PENDING = "guichet_step_up_pending"
STEP_UP_DONE = "guichet_step_up_done"
SENSITIVE_ATTR = "guichet_sensitive_page"


def customer_required(view: View) -> View:
    """Let through only a signed-in, active, unsuspended customer with a linked Customer and a valid password.

    Sets ``request.customer``. Staff accounts are sent to the customer login (staff sign in at the
    back office).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        customer = _customer_of(user) if user.is_customer else None
        if customer is None or user.is_suspended or not user.is_active:
            logout(request)
            return redirect_to_login(request.get_full_path())
        if password_expired(user):
            return redirect("portal:password_change")
        request.customer = customer  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def _customer_of(user: Any) -> Customer | None:
    """The user's Customer: already read with the user by ``CustomerBackend`` (no query then)."""
    try:
        return user.customer
    except Customer.DoesNotExist:
        return None


def sensitive_page(view: View) -> View:
    """Mark a payment or signature page: the profile's shorter inactivity limit applies after it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        setattr(request, SENSITIVE_ATTR, True)
        return view(request, *args, **kwargs)

    wrapper.guichet_sensitive = True  # type: ignore[attr-defined]  # kept by @wraps of outer decorators
    return wrapper


def _key(purpose: str, bound_to: str) -> str:
    return digest(f"{purpose}|{bound_to}")


def consume_step_up(request: HttpRequest, *, purpose: str, bound_to: str) -> bool:
    """True once (then forgotten) if the SMS code for exactly this operation was entered recently."""
    done = request.session.get(STEP_UP_DONE)
    if not done or done.get("key") != _key(purpose, bound_to):
        return False
    del request.session[STEP_UP_DONE]
    return time.time() - done["at"] <= get_profile().security.otp_minutes * 60


def start_step_up(
    request: HttpRequest, *, purpose: str, bound_to: str, next_url: str
) -> HttpResponseRedirect:
    """Send an SMS code bound to the operation and go to the code page, which comes back to ``next_url``.

    Raises ``NoPhoneNumber`` when the customer has no mobile, ``CodeCooldown`` when a code was just sent.
    """
    issue_code(user=request.user, purpose=purpose, bound_to=bound_to, channel=OneTimeCode.Channel.SMS)
    request.session[STEP_UP_PENDING] = {"purpose": purpose, "bound_to": bound_to, "next": next_url}
    return redirect("portal:step_up")


def require_step_up(
    request: HttpRequest, *, purpose: str, bound_to: str, next_url: str | None = None
) -> HttpResponse | None:
    """``None`` when the operation was just confirmed by SMS code; otherwise a redirect to the code page.

    Usage in a view (keep the pending change in the session yourself, keyed by ``bound_to``)::

        response = require_step_up(request, purpose="email_change", bound_to=f"email:{new}", next_url=here)
        if response is not None:
            return response
        ...apply the change...
    """
    if consume_step_up(request, purpose=purpose, bound_to=bound_to):
        return None
    return start_step_up(
        request, purpose=purpose, bound_to=bound_to, next_url=next_url or request.get_full_path()
    )


def pending_step_up(request: HttpRequest) -> dict[str, str] | None:
    return request.session.get(STEP_UP_PENDING)


def confirm_step_up(request: HttpRequest, *, code: str) -> str:
    """Check the code of the pending step-up; returns where to go next. Code errors propagate."""
    pending = pending_step_up(request)
    if pending is None:
        return reverse("portal:dashboard")
    verify_code(user=request.user, purpose=pending["purpose"], bound_to=pending["bound_to"], code=code)
    del request.session[STEP_UP_PENDING]
    request.session[STEP_UP_DONE] = {"key": _key(pending["purpose"], pending["bound_to"]), "at": time.time()}
    return pending["next"]
