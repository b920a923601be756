"""Signing a customer in and out: per-IP rate limit, per-account lockout, no account enumeration,
risk-based step-up or suspension, session rotation and "log out everywhere".
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.hashers import check_password, make_password
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.lenders.profile import get_profile
from guichet.notifications import absolute_url, send_email, send_sms

from .codes import digest, issue_code, verify_code
from .events import client_ip, record_event
from .exceptions import AccountSuspended, LoginRefused, RateLimited
from .links import revoke_links
from .middleware import LOGIN_AT_KEY
from .models import Customer, LoginAttempt, SecurityEvent, User
from .risk import Risk, assess_risk, is_known_device

BACKEND = "guichet.customers.backends.CustomerBackend"  # reads the Customer with the user
IP_LIMIT = 20
IP_WINDOW = timedelta(minutes=10)
PENDING_KEY = "guichet_pending_login"


@dataclass(frozen=True)
class SignIn:
    user: User
    risk: Risk

    @property
    def needs_step_up(self) -> bool:
        return self.risk.level == "medium"


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return make_password(secrets.token_urlsafe(16))


def burn_time(raw: str) -> None:
    """Spend one password-hash worth of time, so an unknown account answers as slowly as a known one."""
    check_password(raw, _dummy_hash())


def check_rate(
    *, request: HttpRequest, kind: str, limit: int = IP_LIMIT, window: timedelta = IP_WINDOW
) -> None:
    """Raise :class:`RateLimited` when this address made ``limit`` attempts at ``kind`` within ``window``."""
    ip = client_ip(request)
    since = timezone.now() - window
    if ip and LoginAttempt.objects.filter(kind=kind, ip=ip, created_at__gte=since).count() >= limit:
        raise RateLimited()


def note_attempt(*, request: HttpRequest, kind: str, email: str = "", succeeded: bool = False) -> None:
    LoginAttempt.objects.create(
        kind=kind,
        ip=client_ip(request),
        email_digest=digest(email.strip().lower()) if email else "",
        succeeded=succeeded,
    )


def is_locked(user: User) -> bool:
    """The account is locked (``lockout_failures`` wrong passwords) until ``locked_until``: the one rule
    both doors (customer and staff) ask."""
    return bool(user.locked_until and user.locked_until > timezone.now())


def register_failed_login(*, user: User, request: HttpRequest | None = None) -> bool:
    """Count one wrong password; at the profile's threshold lock the account. Returns True if now locked."""
    policy = get_profile().security
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    record_event(user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, request=request)
    if user.failed_logins < policy.lockout_failures:
        return False
    user.locked_until = timezone.now() + timedelta(minutes=policy.lockout_minutes)
    user.failed_logins = 0
    user.save(update_fields=["locked_until", "failed_logins"])
    record_event(user=user, kind=SecurityEvent.Kind.LOCKOUT, request=request, minutes=policy.lockout_minutes)
    _notify(
        user, "lockout", gettext_lazy("Accès temporairement bloqué"), request, minutes=policy.lockout_minutes
    )
    return True


def authenticate_customer(*, request: HttpRequest, email: str, password: str) -> SignIn:
    """Check email and password at the customer door. Raises :class:`LoginRefused` with one message for
    every failure (unknown email, wrong password, locked, staff account), or :class:`RateLimited`;
    :class:`AccountSuspended` (which says so, and how to lift it) only once the password was right.
    The caller completes with :func:`complete_login` or, when ``needs_step_up``, :func:`start_step_up`."""
    check_rate(request=request, kind=LoginAttempt.Kind.LOGIN)
    note_attempt(request=request, kind=LoginAttempt.Kind.LOGIN, email=email)
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None or not user.is_customer or not user.is_active:
        burn_time(password)
        raise LoginRefused()
    # A lock (N failures) costs the owner nothing on a browser that signed in before: the right
    # password there asks an SMS code, which lifts the lock (issue 11, item 4). Elsewhere it holds.
    locked = is_locked(user)
    if locked and not is_known_device(user=user, request=request):
        burn_time(password)
        record_event(user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, reason="locked")
        raise LoginRefused()
    if not user.check_password(password):
        if locked:
            record_event(user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, reason="locked")
        else:
            register_failed_login(user=user, request=request)
        raise LoginRefused()
    if user.is_suspended:
        record_event(user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, request=request, reason="suspended")
        raise AccountSuspended()
    risk = assess_risk(user=user, request=request)
    if locked:
        risk = Risk((*risk.reasons, "locked"))  # medium at least: the SMS code proves the owner
    if risk.level == "high":
        suspend_account(user=user, request=request, reasons=risk.reasons)
        raise AccountSuspended()
    return SignIn(user=user, risk=risk)


def complete_login(*, request: HttpRequest, user: User, risk: Risk | None = None) -> None:
    """Open the session (Django rotates the session key: no fixation) and note the login time."""
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=BACKEND)
    request.session[LOGIN_AT_KEY] = int(time.time())
    note_attempt(request=request, kind=LoginAttempt.Kind.LOGIN, succeeded=True)
    record_event(
        user=user, kind=SecurityEvent.Kind.LOGIN_OK, request=request, risk=list(risk.reasons) if risk else []
    )


def start_step_up(*, request: HttpRequest, sign_in: SignIn) -> None:
    """Hold the sign-in until the code sent by SMS (email when no mobile is known) is entered."""
    user = sign_in.user
    nonce = secrets.token_urlsafe(16)
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "nonce": nonce, "reasons": list(sign_in.risk.reasons)}
    customer = Customer.objects.filter(user=user).first()
    channel = "sms" if customer is not None and customer.phone else "email"
    issue_code(user=user, purpose="login", bound_to=f"login:{nonce}", channel=channel)
    record_event(
        user=user, kind=SecurityEvent.Kind.STEP_UP, request=request, reasons=list(sign_in.risk.reasons)
    )


def pending_login(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_KEY)
    return User.objects.filter(pk=pending["user"]).first() if pending else None


def finish_step_up(*, request: HttpRequest, code: str) -> User:
    """Verify the step-up code and open the session; code errors propagate (see ``codes``)."""
    pending = request.session.get(PENDING_KEY)
    user = pending_login(request)
    if user is None or pending is None:
        raise LoginRefused()
    verify_code(user=user, purpose="login", bound_to=f"login:{pending['nonce']}", code=code)
    complete_login(request=request, user=user, risk=Risk(tuple(pending.get("reasons", ()))))
    return user


def suspend_account(*, user: User, request: HttpRequest | None, reasons: tuple[str, ...]) -> None:
    """Suspend after a high-risk sign-in, end every session, and tell the owner by email AND SMS."""
    User.objects.filter(pk=user.pk).update(is_suspended=True, session_generation=F("session_generation") + 1)
    user.refresh_from_db()
    record_event(user=user, kind=SecurityEvent.Kind.SUSPENDED, request=request, reasons=list(reasons))
    _notify(
        user,
        "suspended",
        gettext_lazy("Votre espace client est suspendu par précaution"),
        request,
        at=timezone.now(),
    )
    customer = Customer.objects.filter(user=user).first()
    if customer is not None and customer.phone:
        text = _(
            "%(lender)s : connexion inhabituelle, votre espace client est suspendu par précaution. "
            "Pour le rétablir : « Mot de passe oublié ? » puis le code reçu par SMS. Aide : %(phone)s"
        ) % {"lender": get_profile().name, "phone": get_profile().support.phone}
        send_sms(to=customer.phone, text=text)


def lift_suspension(*, user: User, request: HttpRequest | None = None) -> None:
    if user.is_suspended:
        User.objects.filter(pk=user.pk).update(is_suspended=False)
        user.is_suspended = False
        record_event(user=user, kind=SecurityEvent.Kind.UNSUSPENDED, request=request)


def logout_customer(*, request: HttpRequest) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        record_event(user=user, kind=SecurityEvent.Kind.LOGOUT, request=request)
    logout(request)


def logout_everywhere(*, user: User, request: HttpRequest | None = None) -> None:
    """End every session of ``user`` on every device (the session hash carries the generation)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    record_event(user=user, kind=SecurityEvent.Kind.LOGOUT_ALL, request=request)
    if request is not None:
        logout(request)


def end_other_access(*, user: User, request: HttpRequest | None = None) -> None:
    """A way to sign in changed (email, mobile): end every outstanding link and every other session.

    The session of ``request``, when it is this user's, stays open (its hash is refreshed).
    """
    revoke_links(user=user)
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    if request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk:
        request.user.session_generation = user.session_generation
        update_session_auth_hash(request, user)


def _notify(user: User, template: str, subject: str, request: HttpRequest | None, **context: object) -> None:
    link = absolute_url(reverse("portal:password_forgot"), request)
    send_email(
        to=user.email,
        subject=subject,
        template=template,
        context={"link": link, **context},
        language=user.language,
    )
