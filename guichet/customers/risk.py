"""Risk score of a sign-in whose password was right: new device, new network, unusual hour, and
many accounts tried from one address. Medium risk asks for an SMS code; high risk suspends the account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from guichet.lenders.profile import get_profile

from .codes import digest
from .events import client_ip, network_of, user_agent
from .models import KnownDevice, LoginAttempt, SecurityEvent, User

DEVICE_COOKIE = "guichet_device"
DEVICE_SALT = "guichet.customers.device"
DEVICE_COOKIE_DAYS = 400  # browsers cap cookie lifetime at 400 days
USUAL_HOURS = range(6, 23)  # 06:00–22:59 in the lender's time zone
MANY_ACCOUNTS_PER_IP_HOUR = 5
WEIGHTS = {"new_device": 1, "new_network": 1, "unusual_hour": 1, "many_accounts": 2}
STEP_UP_FROM = 2
SUSPEND_FROM = 3


@dataclass(frozen=True)
class Risk:
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def score(self) -> int:
        return sum(WEIGHTS[r] for r in self.reasons)

    @property
    def level(self) -> str:
        if self.score >= SUSPEND_FROM:
            return "high"
        return "medium" if self.score >= STEP_UP_FROM else "low"


def device_id(request: HttpRequest) -> str | None:
    """The browser's id from the signed cookie, or None when absent or forged."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        return str(signing.loads(raw, salt=DEVICE_SALT))
    except signing.BadSignature:
        return None


def assess_risk(*, user: User, request: HttpRequest) -> Risk:
    ip = client_ip(request)
    reasons: list[str] = []
    has_history = SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGIN_OK).exists()
    if has_history:
        dev = device_id(request)
        if dev is None or not KnownDevice.objects.filter(user=user, device_digest=digest(dev)).exists():
            reasons.append("new_device")
        net = network_of(ip)
        if (
            net
            and not SecurityEvent.objects.filter(
                user=user, kind=SecurityEvent.Kind.LOGIN_OK, network=net
            ).exists()
        ):
            reasons.append("new_network")
    local_hour = timezone.now().astimezone(get_profile().time_zone).hour
    if local_hour not in USUAL_HOURS:
        reasons.append("unusual_hour")
    if ip:
        since = timezone.now() - timedelta(hours=1)
        accounts = (
            LoginAttempt.objects.filter(kind=LoginAttempt.Kind.LOGIN, ip=ip, created_at__gte=since)
            .values("email_digest")
            .distinct()
            .count()
        )
        if accounts >= MANY_ACCOUNTS_PER_IP_HOUR:
            reasons.append("many_accounts")
    return Risk(tuple(reasons))


def remember_device(*, user: User, request: HttpRequest, response: HttpResponse) -> None:
    """Record this browser as known for ``user`` and (re)issue its long-lived signed cookie."""
    import secrets

    dev = device_id(request) or secrets.token_urlsafe(24)
    now = timezone.now()
    KnownDevice.objects.update_or_create(
        user=user,
        device_digest=digest(dev),
        defaults={"last_seen_at": now, "user_agent": user_agent(request)},
    )
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(dev, salt=DEVICE_SALT),
        max_age=DEVICE_COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        # Behind a TLS proxy that does not say so, is_secure() is False: production settings decide.
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
    )
