"""The journal of a signing journey: where a step came from (``Client``) and the append-only events.

Every event says how the server knows it (issue 11, item 10): ``server`` for what the server itself
observed (a page or a page image it sent, a form it received, a code it checked), ``browser`` for what
the page's JavaScript reports and the server cannot see (the document on screen, scrolled to the end).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from guichet.customers.events import client_ip, user_agent

from .models import SignatureEvent, SignatureRequest

Kind = SignatureEvent.Kind


@dataclass(frozen=True)
class Client:
    """Where a step came from: the peer address and the browser, as recorded in the evidence."""

    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, http_request) -> Client:
        return cls(ip=client_ip(http_request), user_agent=user_agent(http_request))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record(request: SignatureRequest, kind: str, client: Client, **data) -> SignatureEvent:
    """Append one event (UTC instant, IP, browser) to the request's journal."""
    return SignatureEvent.objects.create(
        request=request, kind=kind, ip=client.ip, user_agent=client.user_agent[:300], data=data
    )


# Reported by the signing page's script: facts only the browser can see, never proof by themselves.
BROWSER_REPORTED = frozenset({Kind.VIEWED, Kind.SCROLLED_TO_END})


def source_of(kind: str) -> str:
    """``browser`` when the browser reported the event, ``server`` when the server observed it."""
    return "browser" if kind in BROWSER_REPORTED else "server"


def pages_served(request: SignatureRequest) -> tuple[bool, set[int]]:
    """Whether the signing page was sent, and which document pages (as images) were sent (one query)."""
    served = request.events.filter(kind__in=(Kind.PAGE_SERVED, Kind.IMAGE_SERVED)).values_list("kind", "data")
    page = False
    images: set[int] = set()
    for kind, data in served:
        if kind == Kind.PAGE_SERVED:
            page = True
        else:
            images.add(int(data.get("page", 0)))
    return page, images


def contact_digest(email: str, phone: str) -> str:
    """What a contact confirmation is bound to: the email and mobile on file when the signer confirmed."""
    return sha256(f"{email.strip().lower()}|{phone.strip()}".encode())


def contact_confirmed(request: SignatureRequest, customer) -> bool:
    """Whether the signer confirmed the email and mobile that are on file NOW (seed 003, step 1): a
    change of either after the confirmation asks for it again (one query)."""
    last = request.events.filter(kind=Kind.CONTACT_CONFIRMED).order_by("-id").values_list("data", flat=True)
    data = last.first()
    return bool(data) and data.get("digest") == contact_digest(customer.email, customer.phone)


def steps_done(request: SignatureRequest) -> set[str]:
    """The journey steps recorded for ``request`` (one query)."""
    kinds = (Kind.VIEWED, Kind.SCROLLED_TO_END, Kind.CONSENT_TICKED)
    return set(request.events.filter(kind__in=kinds).values_list("kind", flat=True).distinct())
