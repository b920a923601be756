"""Getting back in: a password reset needs both the email link and an SMS code (seed 000: "validation
de votre identité par email et SMS"), whether it starts from the email or the mobile number; it also
lifts a suspension. Unknown accounts get the same answer and the same work.

Answer first, look up later (issue 11, item 2): the page that starts a reset does the same work whatever
was typed: it records the attempt and enqueues a task with what was typed. The task (a django-tasks
worker in production, inline in dev and tests) looks the account up and, only if there is one, issues
the link or code and sends it. So neither the lookup nor the SMTP relay or SMS gateway can be timed
from the page, and nothing secret travels through the queue: the worker creates the link or code, and
only its hash is stored.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from guichet.lenders.profile import get_profile
from guichet.notifications import absolute_url, send_email

from .codes import issue_code, verify_code
from .events import RequestOrigin, record_event
from .exceptions import CodeError, CodeInvalid, LinkInvalid
from .links import check_link, consume_link, issue_link
from .models import AccessLink, Customer, LoginAttempt, SecurityEvent, User
from .passwords import check_password_policy, set_password
from .signin import burn_time, check_rate, complete_login, lift_suspension, note_attempt

RESET = AccessLink.Kind.RESET
# Session key: the reset link whose SMS factor this browser proved on the phone path.
SMS_VERIFIED_KEY = "guichet_reset_sms_verified"


def reset_lifetime() -> timedelta:
    return timedelta(minutes=get_profile().security.reset_link_minutes)


def describe_lifetime(lifetime: timedelta) -> str:
    minutes = int(lifetime.total_seconds() // 60)
    if minutes % 60 == 0:
        return _("%(n)d heures") % {"n": minutes // 60}
    return _("%(n)d minutes") % {"n": minutes}


def _customer_user(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), role=User.Role.CUSTOMER, is_active=True).first()


def send_reset_link(*, user: User, origin: RequestOrigin) -> str:
    """Email a reset link to ``user`` and return its token."""
    token = issue_link(kind=RESET, user=user, lifetime=reset_lifetime())
    path = reverse("portal:password_reset", args=[token])
    link = f"{origin.site_url}{path}" if origin.site_url else absolute_url(path)
    send_email(
        to=user.email,
        subject=gettext_lazy("Réinitialisation de votre mot de passe"),
        template="password_reset",
        context={"link": link, "lifetime": describe_lifetime(reset_lifetime())},
        language=user.language,
    )
    record_event(user=user, kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED, origin=origin, channel="email")
    return token


def request_password_reset(*, request: HttpRequest, email: str) -> None:
    """Start "mot de passe oublié" by email: the same work whatever ``email`` is (see the module doc)."""
    check_rate(request=request, kind=LoginAttempt.Kind.RESET)
    note_attempt(request=request, kind=LoginAttempt.Kind.RESET, email=email)
    email_reset_link.enqueue(email=email, origin=RequestOrigin.of(request).as_json())


@task()
def email_reset_link(*, email: str, origin: dict[str, str | None]) -> bool:
    """Background half of :func:`request_password_reset`: a link only if ``email`` is a customer's."""
    user = _customer_user(email)
    if user is None:
        return False
    send_reset_link(user=user, origin=RequestOrigin.from_json(origin))
    return True


def _user_by_phone(phone: str) -> User | None:
    customer = (
        Customer.objects.filter(phone=phone.replace(" ", ""), user__isnull=False)
        .select_related("user")
        .first()
    )
    user = customer.user if customer else None
    return user if user is not None and user.is_customer and user.is_active else None


def request_reset_by_phone(*, request: HttpRequest, phone: str) -> None:
    """Start "mot de passe oublié" by mobile: the same work whatever ``phone`` is (see the module doc)."""
    check_rate(request=request, kind=LoginAttempt.Kind.RESET)
    note_attempt(request=request, kind=LoginAttempt.Kind.RESET)
    text_reset_code.enqueue(phone=phone, origin=RequestOrigin.of(request).as_json())


@task()
def text_reset_code(*, phone: str, origin: dict[str, str | None]) -> bool:
    """Background half of :func:`request_reset_by_phone`: an SMS code only if ``phone`` is a customer's."""
    user = _user_by_phone(phone)
    if user is None:
        return False
    try:
        issue_code(user=user, purpose="password_reset", bound_to=f"reset-phone:{phone}", channel="sms")
    except CodeError:
        return False  # cooldown: the previous code is still valid; say nothing different
    record_event(
        user=user,
        kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
        origin=RequestOrigin.from_json(origin),
        channel="sms",
    )
    return True


def verify_reset_by_phone(*, request: HttpRequest, phone: str, code: str) -> None:
    """Check the SMS code, then email the reset link: the SMS alone never opens the reset form.

    Seed 000: recovery "nécessite la validation de votre identité par email et SMS". This browser
    has proved the SMS factor, so the emailed link opened here asks no second code (see
    :func:`reset_needs_sms`); opened elsewhere, it asks one.
    """
    user = _user_by_phone(phone)
    burn_time(code)  # both branches alike (issue 11, item 2)
    if user is None:
        raise CodeInvalid()
    verify_code(user=user, purpose="password_reset", bound_to=f"reset-phone:{phone}", code=code)
    token = send_reset_link(user=user, origin=RequestOrigin.of(request))
    request.session[SMS_VERIFIED_KEY] = check_link(kind=RESET, token=token).pk


def reset_needs_sms(link: AccessLink, request: HttpRequest | None = None) -> bool:
    """Whether the reset form also needs an SMS code: always (seed 000, "par email et SMS"), unless
    this browser verified an SMS code for this very link on the phone path just before."""
    proved = request is not None and request.session.get(SMS_VERIFIED_KEY) == link.pk
    return bool(link.user) and not proved


def send_recovery_code(*, link: AccessLink) -> None:
    issue_code(user=link.user, purpose="recovery", bound_to=f"reset:{link.pk}", channel="sms")


def reset_password(*, request: HttpRequest, token: str, raw: str, sms_code: str = "") -> User:
    """Set the new password from a reset link (single use), lift a suspension, sign the person in."""
    link = check_link(kind=RESET, token=token)
    user = link.user
    if user is None:
        raise LinkInvalid()
    check_password_policy(raw, user=user)
    if reset_needs_sms(link, request):
        verify_code(user=user, purpose="recovery", bound_to=f"reset:{link.pk}", code=sms_code)
    request.session.pop(SMS_VERIFIED_KEY, None)
    with transaction.atomic():
        consume_link(kind=RESET, token=token)
        set_password(user=user, raw=raw)
        lift_suspension(user=user, request=request)
    record_event(user=user, kind=SecurityEvent.Kind.PASSWORD_RESET, request=request)
    notify_password_changed(user=user)
    complete_login(request=request, user=user)
    return user


def change_password(*, request: HttpRequest, user: User, raw: str) -> None:
    """Change the password of the signed-in user; other sessions end, this one stays."""
    set_password(user=user, raw=raw)
    update_session_auth_hash(request, user)
    record_event(user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=request)
    notify_password_changed(user=user)


def notify_password_changed(*, user: User) -> None:
    send_email(
        to=user.email,
        subject=gettext_lazy("Votre mot de passe a été modifié"),
        template="password_changed",
        context={"at": timezone.now()},
        language=user.language,
    )
