"""Session limits: a signed-in session idle longer than the lender profile allows is ended, and so is
any session older than ``settings.SESSION_COOKIE_AGE`` since sign-in (absolute limit).

After a page marked ``sensitive_page`` (payment, signature) the shorter limit of the profile applies
(PSD2 RTS art. 4). Requests carrying ``X-Guichet-Passive`` (background polls) do not count as activity.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from guichet.lenders.profile import get_profile

LAST_SEEN_KEY = "guichet_last_seen"
IDLE_LIMIT_KEY = "guichet_idle_limit"
LOGIN_AT_KEY = "guichet_login_at"
TIMED_OUT_KEY = "logged_out_for_inactivity"


def idle_limit_seconds(request: HttpRequest) -> int:
    """The inactivity limit now in force for this session (what session-timeout.js counts down)."""
    stored = request.session.get(IDLE_LIMIT_KEY) if hasattr(request, "session") else None
    return int(stored) if stored else get_profile().security.inactivity_minutes * 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            login_at = request.session.get(LOGIN_AT_KEY)
            idle = last is not None and now - int(last) > idle_limit_seconds(request)
            too_old = login_at is not None and now - int(login_at) > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                limit_minutes = max(1, round(idle_limit_seconds(request) / 60))
                logout(request)
                # The login page says how long the idle limit was (15 min, or 5 after a payment page).
                request.session[TIMED_OUT_KEY] = limit_minutes if idle else True
            elif not request.headers.get("X-Guichet-Passive"):
                request.session[LAST_SEEN_KEY] = now
        response = self.get_response(request)
        self._remember_limit(request)
        return response

    @staticmethod
    def _remember_limit(request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.headers.get("X-Guichet-Passive"):
            return
        if getattr(request, "guichet_keep_limit", False):  # "Rester connecté" keeps the page's limit
            return
        policy = get_profile().security
        minutes = (
            policy.sensitive_inactivity_minutes
            if getattr(request, "guichet_sensitive_page", False)
            else policy.inactivity_minutes
        )
        request.session[IDLE_LIMIT_KEY] = minutes * 60
