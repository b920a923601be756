"""Invitations (New Caledonian route, and advisors anywhere): an email with a link "connecter à votre
espace client" and an 8-character code; the page asks the code ("Demander un nouveau code" sends a new
one and kills the old), then the customer chooses a password.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guichet.audit import trail
from guichet.customers.codes import digest, issue_code, verify_code
from guichet.customers.exceptions import LinkExpired, LinkInvalid, LinkUsed
from guichet.customers.models import Customer, User
from guichet.lenders.profile import get_profile
from guichet.notifications import absolute_url, send_email

from .accounts import AlreadyActive, has_account, open_account
from .models import Invitation

PURPOSE = "invitation"
SESSION_KEY = "guichet_invitation_ok"


def _bound(invitation: Invitation) -> str:
    return f"invitation:{invitation.pk}"


def invite_customer(
    *, customer: Customer, invited_by: User | None = None, request: HttpRequest | None = None
) -> Invitation:
    """Email an invitation link and code to ``customer``. The returned invitation carries ``link`` and
    ``code`` (not stored) so a command or the demo can print them. Older invitations die."""
    if has_account(customer):
        raise AlreadyActive()
    hours = get_profile().security.activation_link_hours
    now = timezone.now()
    Invitation.objects.filter(customer=customer, accepted_at=None, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        customer=customer,
        invited_by=invited_by,
        token_hash=digest(token),
        expires_at=now + timedelta(hours=hours),
    )
    issued = issue_code(
        customer=customer,
        purpose=PURPOSE,
        bound_to=_bound(invitation),
        channel="email",
        lifetime=timedelta(hours=hours),
        deliver=False,
    )
    link = absolute_url(reverse("portal:invitation", args=[token]), request)
    send_email(
        to=customer.email,
        subject=gettext_lazy("Votre espace client vous attend"),
        template="invitation",
        context={
            "customer": customer,
            "link": link,
            "code": issued.code,
            "hours": hours,
            "phone": get_profile().support.phone,
        },
        language=customer.language,
    )
    # Recorded once the email is out: a refused send leaves no "invited" line in the trail.
    trail.record_if_staff(by=invited_by, action="invite_customer", customer=customer, target=customer.email)
    invitation.link = link  # type: ignore[attr-defined]
    invitation.code = issued.code  # type: ignore[attr-defined]
    return invitation


def invitation_for(token: str) -> Invitation:
    """The live invitation behind a link, or LinkInvalid / LinkUsed / LinkExpired."""
    invitation = Invitation.objects.select_related("customer").filter(token_hash=digest(token)).first()
    if invitation is None or invitation.revoked_at is not None:
        raise LinkInvalid()
    if invitation.accepted_at is not None:
        raise LinkUsed()
    if timezone.now() >= invitation.expires_at:
        raise LinkExpired()
    return invitation


def resend_invitation_code(*, token: str) -> None:
    """ "Demander un nouveau code": a new code by email (the old one dies); CodeCooldown if too soon."""
    invitation = invitation_for(token)
    issue_code(customer=invitation.customer, purpose=PURPOSE, bound_to=_bound(invitation), channel="email")


def verify_invitation_code(*, request: HttpRequest, token: str, code: str) -> Invitation:
    """Check the code (errors from ``verify_code`` propagate) and remember it in this browser's session."""
    invitation = invitation_for(token)
    verify_code(customer=invitation.customer, purpose=PURPOSE, bound_to=_bound(invitation), code=code)
    invitation.code_verified_at = timezone.now()
    invitation.save(update_fields=["code_verified_at"])
    request.session[SESSION_KEY] = invitation.pk
    return invitation


def code_verified_here(request: HttpRequest, invitation: Invitation) -> bool:
    return request.session.get(SESSION_KEY) == invitation.pk and invitation.code_verified_at is not None


def accept_invitation(*, request: HttpRequest, token: str, raw: str) -> User:
    """Choose the password after the code: opens the account and signs in. The link is then spent."""
    invitation = invitation_for(token)
    if not code_verified_here(request, invitation):
        raise LinkInvalid()
    user = open_account(request=request, customer=invitation.customer, raw=raw, via="invitation")
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    return user
