"""Single-use emailed links (activation, password reset): a random token in the URL, its SHA-256 in the
database, a lifetime from the profile. A newer link of the same kind for the same person kills the older.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from .codes import digest
from .exceptions import LinkExpired, LinkInvalid, LinkUsed
from .models import AccessLink, Customer, User


def issue_link(
    *, kind: str, lifetime: timedelta, user: User | None = None, customer: Customer | None = None
) -> str:
    """Create a link and return its token (to put in the URL; it is not stored)."""
    now = timezone.now()
    owner = {"user": user} if user is not None else {"customer": customer}
    AccessLink.objects.filter(kind=kind, used_at=None, **owner).update(used_at=now)
    token = secrets.token_urlsafe(32)
    AccessLink.objects.create(kind=kind, token_hash=digest(token), expires_at=now + lifetime, **owner)
    return token


def revoke_links(*, user: User) -> int:
    """End every outstanding link of ``user`` (reset links, and activation links of their customer).

    Called whenever the password or a way to sign in changes: a link requested before must not
    outlive the credentials it was meant to replace (issue 11, item 1).
    """
    now = timezone.now()
    ended = AccessLink.objects.filter(user=user, used_at=None).update(used_at=now)
    return ended + AccessLink.objects.filter(customer__user=user, used_at=None).update(used_at=now)


def check_link(*, kind: str, token: str) -> AccessLink:
    """The live link for ``token``, or :class:`LinkInvalid` / :class:`LinkExpired` / :class:`LinkUsed`."""
    link = (
        AccessLink.objects.select_related("user", "customer")
        .filter(kind=kind, token_hash=digest(token))
        .first()
    )
    if link is None:
        raise LinkInvalid()
    if link.used_at is not None:
        raise LinkUsed()
    if timezone.now() >= link.expires_at:
        raise LinkExpired()
    return link


def consume_link(*, kind: str, token: str) -> AccessLink:
    """Check and mark used, atomically with respect to a concurrent second use."""
    link = check_link(kind=kind, token=token)
    if not AccessLink.objects.filter(pk=link.pk, used_at=None).update(used_at=timezone.now()):
        raise LinkUsed()
    return link
