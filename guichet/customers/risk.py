"""Risk score of a sign-in whose password was right: new device, new network, unusual hour, and
many real accounts failing from one address. Medium risk asks for an SMS code; high risk suspends.

Suspension needs strong evidence about THIS account: a browser and a network it has never used, at an
unusual hour. What other people do from the same address (a shared NAT, a café, a mobile carrier)
can raise the score to an SMS code, never to a suspension, and unknown emails typed there count for
nothing: otherwise a neighbour could get a customer suspended (issue 11, item 3).
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
from .models import KnownDevice, SecurityEvent, User

DEVICE_COOKIE = "guichet_device"
DEVICE_SALT = "guichet.customers.device"
DEVICE_COOKIE_DAYS = 400  # browsers cap cookie lifetime at 400 days
USUAL_HOURS = range(6, 23)  # 06:00–22:59 in the lender's time zone
MANY_ACCOUNTS_PER_IP_HOUR = 5
WEIGHTS = {"new_device": 1, "new_network": 1, "unusual_hour": 1, "many_accounts": 2, "locked": 2}
# Reasons that are facts about this account's own history; only they can add up to a suspension.
ACCOUNT_EVIDENCE = frozenset({"new_device", "new_network", "unusual_hour"})
STEP_UP_FROM = 2
SUSPEND_FROM = 3


@dataclass(frozen=True)
class Risk:
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def score(self) -> int:
        return sum(WEIGHTS[r] for r in self.reasons)

    @property
    def account_score(self) -> int:
        return sum(WEIGHTS[r] for r in self.reasons if r in ACCOUNT_EVIDENCE)

    @property
    def level(self) -> str:
        if self.account_score >= SUSPEND_FROM and {"new_device", "new_network"} <= set(self.reasons):
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
        if not is_known_device(user=user, request=request):
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
    if ip and other_accounts_failing_from(ip, user=user) >= MANY_ACCOUNTS_PER_IP_HOUR:
        reasons.append("many_accounts")
    return Risk(tuple(reasons))


def other_accounts_failing_from(ip: str, *, user: User) -> int:
    """Real customer accounts other than ``user`` with a failed sign-in from ``ip`` in the last hour.

    Unknown emails leave no such event, so typing made-up addresses costs a real customer nothing.
    """
    since = timezone.now() - timedelta(hours=1)
    return (
        SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED, ip=ip, created_at__gte=since)
        .exclude(user=None)
        .exclude(user=user)
        .values("user")
        .distinct()
        .count()
    )


def is_known_device(*, user: User, request: HttpRequest) -> bool:
    """Whether this browser carries the signed device cookie of an earlier sign-in to ``user``."""
    dev = device_id(request)
    return dev is not None and KnownDevice.objects.filter(user=user, device_digest=digest(dev)).exists()


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
