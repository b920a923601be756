"""The audit trail of security events (who, what, from where) and the helpers that read a request."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .models import SecurityEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address. Behind a proxy, have it set REMOTE_ADDR (never trust X-Forwarded-For here)."""
    if request is None:
        return None
    ip = request.META.get("REMOTE_ADDR") or None
    try:
        return str(ipaddress.ip_address(ip)) if ip else None
    except ValueError:
        return None


def network_of(ip: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) network: a new one counts as a new place in the risk score."""
    if not ip:
        return ""
    addr = ipaddress.ip_address(ip)
    prefix = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))


def user_agent(request: HttpRequest | None) -> str:
    return (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300]


def record_event(
    *,
    user: User | None,
    kind: str,
    request: HttpRequest | None = None,
    origin: RequestOrigin | None = None,
    **data: Any,
) -> SecurityEvent:
    """Append one security event; ``data`` must not hold secrets (no password, no code).

    Where it happened comes from ``request``, or from ``origin`` when a background task records an event
    for a request it no longer has."""
    origin = origin or RequestOrigin.of(request)
    return SecurityEvent.objects.create(
        user=user if user is not None and user.pk else None,
        kind=kind,
        ip=origin.ip,
        network=network_of(origin.ip),
        user_agent=origin.agent,
        data=data,
    )


@dataclass(frozen=True)
class RequestOrigin:
    """Where a request came from, in a form a background task can carry (JSON-safe)."""

    ip: str | None
    agent: str
    site_url: str = ""

    @classmethod
    def of(cls, request: HttpRequest | None) -> RequestOrigin:
        site = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
        return cls(ip=client_ip(request), agent=user_agent(request), site_url=site)

    def as_json(self) -> dict[str, str | None]:
        return {"ip": self.ip, "agent": self.agent, "site_url": self.site_url}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> RequestOrigin:
        return cls(ip=raw.get("ip"), agent=str(raw.get("agent", "")), site_url=str(raw.get("site_url", "")))
