"""Session limits: a signed-in session idle longer than the lender profile allows is ended, and so is
any session older than ``settings.SESSION_COOKIE_AGE`` since sign-in (absolute limit).

After a page marked ``sensitive_page`` (payment, signature) the shorter limit of the profile applies
(PSD2 RTS art. 4). Requests carrying ``X-Guichet-Passive`` (background polls) do not count as activity.

The last-seen time is written to the session only when it is ``last_seen_precision`` stale (30 s,
or a tenth of a short limit): writing it on every request cost a session save — a database write
and commit — per request (tests/bench/bench_dashboard.py). The server may therefore end a session
up to that much before the page's countdown, never later than the limit; the dialog still shows
first (a minute, or half a short limit, before), and its "Rester connecté" always comes late
enough to be written.
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
LAST_SEEN_PRECISION = 30  # seconds; the inactivity limit is minutes, so this is plenty


def idle_limit_seconds(request: HttpRequest) -> int:
    """The inactivity limit now in force for this session (what session-timeout.js counts down)."""
    stored = request.session.get(IDLE_LIMIT_KEY) if hasattr(request, "session") else None
    return int(stored) if stored else get_profile().security.inactivity_minutes * 60


def last_seen_precision(limit_seconds: int) -> int:
    """How stale the stored last-seen time may get before it is written again (see the docstring)."""
    return max(1, min(LAST_SEEN_PRECISION, limit_seconds // 10))


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            login_at = request.session.get(LOGIN_AT_KEY)
            limit = idle_limit_seconds(request)
            idle = last is not None and now - int(last) > limit
            too_old = login_at is not None and now - int(login_at) > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                limit_minutes = max(1, round(idle_limit_seconds(request) / 60))
                logout(request)
                # The login page says how long the idle limit was (15 min, or 5 after a payment page).
                request.session[TIMED_OUT_KEY] = limit_minutes if idle else True
            elif not request.headers.get("X-Guichet-Passive") and (
                last is None or now - int(last) >= last_seen_precision(limit)
            ):
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
        if request.session.get(IDLE_LIMIT_KEY) != minutes * 60:  # unchanged: no session write
            request.session[IDLE_LIMIT_KEY] = minutes * 60
