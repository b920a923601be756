"""The staff door: password, then a second factor (TOTP, or an SMS code), then a short-lived session.

Separate from the customer door: customer accounts are refused here with the same words as a wrong
password, and a session opened at the customer door never reaches the back office (the staff
login time is only written here). Sessions end after 10 minutes idle or 8 hours in total.
"""

from __future__ import annotations

import secrets
import time

from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.customers.codes import issue_code, verify_code
from guichet.customers.events import record_event
from guichet.customers.exceptions import CodeError, LoginRefused
from guichet.customers.models import SecurityEvent, User
from guichet.customers.signin import (
    burn_time,
    check_rate,
    complete_login,
    is_locked,
    note_attempt,
    register_failed_login,
)
from guichet.lenders.profile import get_profile

from . import totp
from .models import StaffProfile
from .permissions import STAFF_ROLES

PENDING_KEY = "backoffice_pending"
LOGIN_AT_KEY = "backoffice_login_at"
LAST_SEEN_KEY = "backoffice_last_seen"
INACTIVITY_SECONDS = 10 * 60
ABSOLUTE_SECONDS = 8 * 3600
PENDING_SECONDS = 5 * 60
MAX_FACTOR_TRIES = 5


class SecondFactorRefused(LoginRefused):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Code incorrect."))


def check_staff_password(*, request: HttpRequest, email: str, password: str) -> User:
    """First step. One message for every failure; wrong passwords count towards the lockout."""
    check_rate(request=request, kind="login")
    note_attempt(request=request, kind="login", email=email)
    user = User.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None or user.role not in STAFF_ROLES or not user.is_active:
        burn_time(password)
        raise LoginRefused()
    if is_locked(user):
        burn_time(password)
        record_event(
            user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, reason="locked", door="staff"
        )
        raise LoginRefused()
    if not user.check_password(password):
        register_failed_login(user=user, request=request)
        raise LoginRefused()
    return user


def begin_second_factor(*, request: HttpRequest, user: User) -> str:
    """Hold the sign-in until the second factor; returns the method: "totp", "sms" or "setup"."""
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    request.session.cycle_key()
    pending = {"user": user.pk, "nonce": secrets.token_urlsafe(16), "at": int(time.time()), "tries": 0}
    if profile.has_totp:
        pending["method"] = "totp"
    elif profile.phone:
        pending["method"] = "sms"
        issue_code(
            user=user,
            purpose="staff_login",
            bound_to=f"staff:{pending['nonce']}",
            channel="sms",
            to=profile.phone,
        )
    else:
        # First sign-in without a factor: enrol an authenticator; the secret is saved once confirmed.
        pending["method"], pending["secret"] = "setup", totp.new_secret()
    request.session[PENDING_KEY] = pending
    record_event(
        user=user, kind=SecurityEvent.Kind.STEP_UP, request=request, door="staff", method=pending["method"]
    )
    return str(pending["method"])


def pending_sign_in(request: HttpRequest) -> dict | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return pending


def finish_second_factor(*, request: HttpRequest, code: str) -> User:
    """Check the code, open the staff session; a wrong code counts, five end the attempt."""
    pending = pending_sign_in(request)
    user = User.objects.filter(pk=pending["user"]).first() if pending else None
    if pending is None or user is None:
        request.session.pop(PENDING_KEY, None)
        raise SecondFactorRefused(_("La connexion a expiré. Recommencez."))
    try:
        _check_factor(user=user, pending=pending, code=code)
    except (SecondFactorRefused, CodeError):
        pending["tries"] += 1
        request.session[PENDING_KEY] = pending
        record_event(user=user, kind=SecurityEvent.Kind.CODE_FAILED, request=request, door="staff")
        if pending["tries"] >= MAX_FACTOR_TRIES:
            request.session.pop(PENDING_KEY, None)
            register_failed_login(user=user, request=request)
            raise SecondFactorRefused(_("Trop d'essais. Recommencez la connexion.")) from None
        raise
    complete_login(request=request, user=user)
    now = int(time.time())
    request.session[LOGIN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now
    return user


def _check_factor(*, user: User, pending: dict, code: str) -> None:
    method = pending["method"]
    if method == "sms":
        verify_code(user=user, purpose="staff_login", bound_to=f"staff:{pending['nonce']}", code=code)
        return
    with transaction.atomic():
        profile = StaffProfile.objects.select_for_update().get(user=user)
        secret = pending["secret"] if method == "setup" else profile.totp_secret
        step = totp.match_step(secret, code, after_step=profile.last_totp_step)
        if step is None:
            raise SecondFactorRefused()
        profile.last_totp_step = step
        if method == "setup":
            profile.totp_secret, profile.totp_confirmed_at = secret, timezone.now()
        profile.save(update_fields=["last_totp_step", "totp_secret", "totp_confirmed_at"])


def setup_uri(pending: dict, user: User) -> str:
    return totp.provisioning_uri(pending["secret"], account=user.email, issuer=get_profile().name)


def session_state(request: HttpRequest) -> str:
    """ "ok", "none" (never signed in at the staff door) or "expired" (idle 10 min or 8 h in total)."""
    login_at = request.session.get(LOGIN_AT_KEY)
    if not login_at:
        return "none"
    now = int(time.time())
    last = int(request.session.get(LAST_SEEN_KEY, login_at))
    if now - int(login_at) > ABSOLUTE_SECONDS or now - last > INACTIVITY_SECONDS:
        return "expired"
    request.session[LAST_SEEN_KEY] = now
    return "ok"


def sign_out(request: HttpRequest) -> None:
    if request.user.is_authenticated:
        record_event(user=request.user, kind=SecurityEvent.Kind.LOGOUT, request=request, door="staff")
    logout(request)
