"""Where the sign-in, registration and recovery pages send the customer next: one module the auth
pages all import, so none of them imports another for it."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme


def home_url() -> str:
    """The dashboard once the portal has one; the home page until then."""
    try:
        return reverse("portal:dashboard")
    except NoReverseMatch:
        return reverse("portal:home")


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` if it stays on this site (no open redirect), else the dashboard."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return home_url()
