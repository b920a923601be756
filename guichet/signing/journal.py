"""The journal of a signing journey: where a step came from (``Client``) and the append-only events."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .models import SignatureEvent, SignatureRequest

Kind = SignatureEvent.Kind


@dataclass(frozen=True)
class Client:
    """Where a step came from: the peer address and the browser, as recorded in the evidence."""

    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, http_request) -> Client:
        from guichet.customers.events import client_ip, user_agent

        return cls(ip=client_ip(http_request), user_agent=user_agent(http_request))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record(request: SignatureRequest, kind: str, client: Client, **data) -> SignatureEvent:
    """Append one event (UTC instant, IP, browser) to the request's journal."""
    return SignatureEvent.objects.create(
        request=request, kind=kind, ip=client.ip, user_agent=client.user_agent[:300], data=data
    )


def steps_done(request: SignatureRequest) -> set[str]:
    """The journey steps recorded for ``request`` (one query)."""
    kinds = (Kind.VIEWED, Kind.SCROLLED_TO_END, Kind.CONSENT_TICKED)
    return set(request.events.filter(kind__in=kinds).values_list("kind", flat=True).distinct())
