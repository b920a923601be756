"""Password policy of the lender profile (length and character classes), history and periodic renewal.

The same rules drive the server check and the live hints of the form (password-rules.js reads the
``data-rule`` attributes rendered from :func:`password_rules`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.lenders.profile import SecurityPolicy, get_profile

from .exceptions import PasswordPolicyError, PasswordReuseError
from .links import revoke_links
from .models import PasswordHistory, User


@dataclass(frozen=True)
class PasswordRule:
    code: str  # "min", "lower", "upper", "digit", "special"
    label: str
    value: int = 0  # the length for "min"


_CLASS_TESTS = {
    "lower": lambda c: c.islower(),
    "upper": lambda c: c.isupper(),
    "digit": lambda c: c.isdigit(),
    "special": lambda c: not c.isalnum(),
}


def _class_label(code: str) -> str:
    return {
        "lower": _("une minuscule"),
        "upper": _("une majuscule"),
        "digit": _("un chiffre"),
        "special": _("un caractère spécial"),
    }[code]


def password_rules(policy: SecurityPolicy | None = None) -> list[PasswordRule]:
    """The rules of the profile in display order: length first, then each required class."""
    policy = policy or get_profile().security
    rules = [
        PasswordRule(
            "min",
            _("au moins %(n)d caractères") % {"n": policy.password_min_length},
            policy.password_min_length,
        )
    ]
    rules += [PasswordRule(code, _class_label(code)) for code in policy.password_classes]
    return rules


def password_rules_sentence(policy: SecurityPolicy | None = None) -> str:
    """ "Le mot de passe doit comporter au moins 12 caractères dont une minuscule, …" (seed 003's wording)."""
    rules = password_rules(policy)
    classes = [r.label for r in rules[1:]]
    sentence = _("Le mot de passe doit comporter %(min)s") % {"min": rules[0].label}
    if classes:
        joined = ", ".join(classes[:-1]) + (" " + _("et") + " " if len(classes) > 1 else "") + classes[-1]
        sentence += " " + _("dont %(classes)s") % {"classes": joined}
    return sentence + "."


def unmet_rules(raw: str, policy: SecurityPolicy | None = None) -> list[str]:
    """Labels of the rules ``raw`` breaks (empty when it is acceptable)."""
    unmet = []
    for rule in password_rules(policy):
        ok = len(raw) >= rule.value if rule.code == "min" else any(_CLASS_TESTS[rule.code](c) for c in raw)
        if not ok:
            unmet.append(rule.label)
    return unmet


def check_password_policy(raw: str, *, user: User | None = None) -> None:
    """Raise :class:`PasswordPolicyError` listing each unmet rule, or :class:`PasswordReuseError`."""
    policy = get_profile().security
    unmet = unmet_rules(raw, policy)
    if unmet:
        raise PasswordPolicyError(unmet)
    if user is not None and user.pk and policy.password_history:
        # The current hash too: accounts created outside set_password have no history row yet.
        hashes = [
            user.password,
            *(h.password_hash for h in PasswordHistory.objects.filter(user=user)[: policy.password_history]),
        ]
        if any(h and check_password(raw, h) for h in dict.fromkeys(hashes)):
            raise PasswordReuseError(policy.password_history)


def set_password(*, user: User, raw: str) -> None:
    """Check the policy and history, then store the new hash and keep the last N in the history.

    Every outstanding reset or activation link ends with the old password, and so does every session
    signed with the old hash (Django compares it on each request); the caller keeps its own session
    with ``update_session_auth_hash`` or opens a new one.
    """
    check_password_policy(raw, user=user)
    policy = get_profile().security
    with transaction.atomic():
        user.set_password(raw)
        user.password_changed_at = timezone.now()
        user.failed_logins = 0
        user.locked_until = None
        user.save()
        PasswordHistory.objects.create(user=user, password_hash=user.password)
        keep = list(
            PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
                : max(policy.password_history, 1)
            ]
        )
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        revoke_links(user=user)


def password_expired(user: User) -> bool:
    """Whether the periodic renewal is due (profile ``password_max_age_days``; 0 disables it)."""
    max_age = get_profile().security.password_max_age_days
    if not max_age or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=max_age)
