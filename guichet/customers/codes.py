"""One-time codes (SMS or email): issued at random, stored as an HMAC, bound to a purpose and to the
exact operation (``bound_to``), single use, short-lived, at most N wrong tries, resent after a cooldown.

Call :func:`verify_code` outside ``transaction.atomic``: a wrong try must be counted even though the
exception propagates (a rolled-back counter would allow brute force).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.lenders.profile import get_profile
from guichet.notifications import send_email, send_sms

from .exceptions import CodeCooldown, CodeExhausted, CodeExpired, CodeInvalid, CodeUsed, NoPhoneNumber
from .models import Customer, OneTimeCode, User

INVITATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from a phone
DIGITS = "0123456789"
DEFAULT_DIGITS = 6


@dataclass(frozen=True)
class IssuedCode:
    id: int
    code: str  # plaintext, only to be sent; never stored
    channel: str
    sent_to: str
    expires_at: datetime


def digest(value: str) -> str:
    """SHA-256 of what a code or link authorises (operation and parameters, document hash, amount+payee)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _code_hash(purpose: str, bound: str, code: str) -> str:
    msg = f"{purpose}|{bound}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), msg, hashlib.sha256).hexdigest()


def _shape(purpose: str) -> tuple[str, int]:
    policy = get_profile().security
    if purpose == "invitation":
        return INVITATION_ALPHABET, policy.invitation_code_length
    if purpose == "signature":
        return DIGITS, policy.signature_code_length
    return DIGITS, getattr(policy, "otp_code_length", DEFAULT_DIGITS)


def normalize(code: str) -> str:
    return "".join(code.split()).upper()


def mask_phone(phone: str) -> str:
    return phone[:3] + "•" * max(len(phone) - 5, 0) + phone[-2:] if len(phone) > 5 else "••"


def mask_email(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def _owner_filter(user: User | None, customer: Customer | None) -> dict[str, object]:
    if user is None and customer is None:
        raise ValueError("A code belongs to a user or a customer.")
    return {"user": user} if user is not None else {"customer": customer}


def _cooldown_left(last: OneTimeCode | None, now: datetime) -> int:
    """Seconds before another code may be issued after ``last`` (an unused code younger than the
    profile's ``otp_resend_cooldown_seconds``); 0 when one may be issued now."""
    if last is None or last.used_at is not None:
        return 0
    cooldown = get_profile().security.otp_resend_cooldown_seconds
    return max(0, cooldown - int((now - last.created_at).total_seconds()))


def resend_wait(*, purpose: str, user: User | None = None, customer: Customer | None = None) -> int:
    """Seconds before ``issue_code`` accepts another code for this owner and purpose (0: now), so a
    page can say so without re-deciding the cooldown."""
    last = OneTimeCode.objects.filter(**_owner_filter(user, customer), purpose=purpose).order_by(
        "-created_at"
    )
    return _cooldown_left(last.first(), timezone.now())


def issue_code(
    *,
    purpose: str,
    bound_to: str,
    channel: str = OneTimeCode.Channel.SMS,
    user: User | None = None,
    customer: Customer | None = None,
    lifetime: timedelta | None = None,
    deliver: bool = True,
    to: str | None = None,
    operation: Callable[[], str] | None = None,
) -> IssuedCode:
    """Issue a code for ``purpose`` bound to ``bound_to``; the previous live code for that purpose dies.

    Sends it (SMS to the customer's mobile or email to ``to``/the account email) unless ``deliver=False``.
    Raises :class:`CodeCooldown` when the last code for the purpose is younger than the profile's cooldown.
    """
    policy = get_profile().security
    owner = _owner_filter(user, customer)
    now = timezone.now()
    destination = to or _destination(channel, user, customer)
    with transaction.atomic():
        last = (
            OneTimeCode.objects.select_for_update()
            .filter(**owner, purpose=purpose)
            .order_by("-created_at")
            .first()
        )
        wait = _cooldown_left(last, now)
        if wait:
            raise CodeCooldown(wait)
        OneTimeCode.objects.filter(**owner, purpose=purpose, used_at=None, revoked_at=None).update(
            revoked_at=now
        )
        alphabet, length = _shape(purpose)
        code = "".join(secrets.choice(alphabet) for _i in range(length))
        bound = digest(bound_to)
        row = OneTimeCode.objects.create(
            **owner,
            purpose=purpose,
            bound_to=bound,
            code_hash=_code_hash(purpose, bound, code),
            channel=channel,
            sent_to=mask_phone(destination) if channel == "sms" else mask_email(destination),
            expires_at=now + (lifetime or timedelta(minutes=policy.otp_minutes)),
        )
    issued = IssuedCode(row.pk, code, channel, row.sent_to, row.expires_at)
    if deliver:
        _deliver(issued, destination, purpose, user, customer, operation)
    return issued


#: What a code confirms, named in its SMS when the caller gives no more precise ``operation``.
OPERATIONS = {
    "login": gettext_lazy("vous connecter à votre espace client"),
    "password_reset": gettext_lazy("réinitialiser votre mot de passe"),
    "recovery": gettext_lazy("réinitialiser votre mot de passe"),
    "email_recovery": gettext_lazy("remplacer votre adresse email"),
    "password_change": gettext_lazy("changer votre mot de passe"),
    "email_change": gettext_lazy("changer votre adresse email"),
    "email_change_step_up": gettext_lazy("changer votre adresse email"),
    "phone_change": gettext_lazy("confirmer votre nouveau numéro de mobile"),
    "phone_change_step_up": gettext_lazy("changer votre numéro de mobile"),
}


def _destination(channel: str, user: User | None, customer: Customer | None) -> str:
    if customer is None and user is not None:
        customer = Customer.objects.filter(user=user).first()
    if channel == "sms":
        phone = customer.phone if customer else ""
        if not phone:
            raise NoPhoneNumber()
        return phone
    return (user.email if user else "") or (customer.email if customer else "")


def _deliver(
    issued: IssuedCode,
    destination: str,
    purpose: str,
    user: User | None,
    customer: Customer | None,
    operation: Callable[[], str] | None = None,
) -> None:
    from .events import record_event

    # Rounded up: a 10-minute code sent a few milliseconds ago still says 10 minutes, not 9.
    seconds = (issued.expires_at - timezone.now()).total_seconds()
    minutes = max(1, math.ceil(seconds / 60 - 0.05))
    name = get_profile().name
    # The recipient's language, not the page's: an adviser may trigger the code from the back office.
    language = (user.language if user else None) or (customer.language if customer else "fr")
    if issued.channel == "sms":
        with translation.override(language):
            # The SMS names what the code confirms (and its amount), so a code asked for by someone
            # else for another operation is recognised (called ``operation`` inside the language).
            what = operation() if operation is not None else str(OPERATIONS.get(purpose, ""))
            if what:
                text = _(
                    "%(lender)s : code %(code)s pour %(operation)s. Il expire dans %(m)d min. "
                    "Ne le communiquez à personne."
                ) % {"lender": name, "code": issued.code, "operation": what, "m": minutes}
            else:
                text = _(
                    "%(lender)s : votre code de vérification est %(code)s. Il expire dans %(m)d min. "
                    "Ne le communiquez à personne."
                ) % {"lender": name, "code": issued.code, "m": minutes}
        send_sms(to=destination, text=text)
    else:
        send_email(
            to=destination,
            subject=gettext_lazy("Votre code de vérification"),
            template="code",
            context={"code": issued.code, "minutes": minutes, "purpose": purpose},
            language=language,
        )
    record_event(user=user, kind="code_sent", purpose=purpose, channel=issued.channel, sent_to=issued.sent_to)


def verify_code(
    *, purpose: str, bound_to: str, code: str, user: User | None = None, customer: Customer | None = None
) -> OneTimeCode:
    """Check ``code`` against the owner's latest code for ``purpose`` and consume it.

    Raises :class:`CodeInvalid` (wrong code, or a code bound to another operation), :class:`CodeExpired`,
    :class:`CodeExhausted` (too many wrong tries: the code is dead) or :class:`CodeUsed` (replay).
    """
    max_attempts = get_profile().security.otp_max_attempts
    row = (
        OneTimeCode.objects.filter(**_owner_filter(user, customer), purpose=purpose, revoked_at=None)
        .order_by("-created_at")
        .first()
    )
    if row is None:
        raise CodeInvalid()
    if row.used_at is not None:
        raise CodeUsed()
    if row.attempts >= max_attempts:
        raise CodeExhausted()
    if timezone.now() >= row.expires_at:
        raise CodeExpired()
    expected = _code_hash(purpose, row.bound_to, normalize(code))
    if row.bound_to != digest(bound_to) or not hmac.compare_digest(expected, row.code_hash):
        OneTimeCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        row.refresh_from_db(fields=["attempts"])
        _record_failure(user, purpose)
        if row.attempts >= max_attempts:
            raise CodeExhausted()
        raise CodeInvalid(remaining=max_attempts - row.attempts)
    # Conditional update: two concurrent requests with the right code cannot both consume it.
    if not OneTimeCode.objects.filter(pk=row.pk, used_at=None).update(used_at=timezone.now()):
        raise CodeUsed()
    row.refresh_from_db()
    return row


def _record_failure(user: User | None, purpose: str) -> None:
    from .events import record_event

    record_event(user=user, kind="code_failed", purpose=purpose)
