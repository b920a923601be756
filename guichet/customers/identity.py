"""Whether a customer's identity documents were approved: a fact the onboarding app (KYC) owns.

The customers app asks it here, through one hook that ``OnboardingConfig.ready`` fills with
``onboarding.kyc.identity_verified``, so customers (below onboarding) never imports onboarding: the
dependency runs one way, and this is the one place customers needs the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_identity_check: Callable[[Any], bool] | None = None


def provide_identity_check(check: Callable[[Any], bool]) -> None:
    """Called once by the onboarding app when Django is ready."""
    global _identity_check
    _identity_check = check


def identity_verified(customer: Any) -> bool:
    if _identity_check is None:
        raise ImproperlyConfigured(
            "guichet.onboarding is not installed: no one can say the identity was verified."
        )
    return _identity_check(customer)
