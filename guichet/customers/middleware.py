"""Inactivity logout: a signed-in session idle longer than the lender profile allows is ended.

Pages marked sensitive (payment, signature) use the shorter limit of the profile (PSD2 RTS art. 4).
"""

from __future__ import annotations

import time
from typing import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from guichet.lenders.profile import get_profile

LAST_SEEN_KEY = "guichet_last_seen"


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            policy = get_profile().security
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            limit = policy.inactivity_minutes * 60
            if last is not None and now - int(last) > limit:
                logout(request)
                request.session["logged_out_for_inactivity"] = True
            elif not request.headers.get("X-Guichet-Passive"):
                # Background polls (the timeout dialog) must not count as activity.
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
