"""Security headers the framework does not set itself: Content-Security-Policy, Permissions-Policy, and
``Cache-Control: no-store`` on every response to a signed-in person (OWASP ASVS 4 V8.2.1: a shared or
back-button cache must never keep a page with personal or financial data)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
NO_STORE = "private, no-store"


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if _signed_in(request):
            # Pages and JSON always; a view that chose its own policy for a binary (the signature
            # page images are private, max-age=600) keeps it.
            html_or_json = response.get("Content-Type", "").split(";")[0] in ("text/html", "application/json")
            if html_or_json or "Cache-Control" not in response:
                response["Cache-Control"] = NO_STORE
        return response
