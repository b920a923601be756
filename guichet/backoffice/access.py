"""The gate in front of every back-office page: staff session rules, then the role's permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from guichet.audit import trail

from .permissions import client_ip, is_staff_user, record_action, require
from .signin import session_state, sign_out


def staff_view(action: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous → staff sign-in; a customer → 403; an expired staff session → signed out; then ``action``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request)
            if not is_staff_user(user):
                # Customers are turned away without learning anything about the back office.
                raise PermissionDenied("Back office: staff only.")
            state = session_state(request)
            if state != "ok":
                sign_out(request)
                if state == "expired":
                    messages.info(request, _("Votre session a expiré. Reconnectez-vous."))
                return redirect_to_login(request)
            require(request, action, target=request.path)
            # The services the view calls write their audit records with the staff member's address.
            with trail.acting_from(client_ip(request)):
                return view(request, *args, **kwargs)

        wrapped.staff_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorator


def redirect_to_login(request: HttpRequest) -> HttpResponse:
    from django.urls import reverse
    from django.utils.http import urlencode

    return redirect(f"{reverse('backoffice:login')}?{urlencode({'next': request.get_full_path()})}")


__all__ = ["record_action", "redirect_to_login", "staff_view"]
