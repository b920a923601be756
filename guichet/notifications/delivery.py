"""Sending an alert once per channel: the customer's channels and language from the preferences, and
``deliver``, which records a ``SentAlert`` per channel under a unique key before sending, so re-running a
batch or a repeated commit hook sends nothing twice; a failed send removes its row so the next run
retries it. Which alert to send is decided next to what it watches (``guichet.loans.alerts``,
``guichet.documents.updates``): this app only sends (email, SMS, inbox) and imports no other app.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction

from .email import send_email
from .models import AlertPreference, SentAlert
from .sms import send_sms

log = logging.getLogger(__name__)


def preference_of(customer: Any) -> AlertPreference:
    """The stored preferences, or the defaults the profile page shows (not saved) when none are stored."""
    try:
        return customer.alert_preference
    except AlertPreference.DoesNotExist:
        return AlertPreference(customer=customer)


def language_of(customer: Any) -> str:
    return (customer.user.language if customer.user_id else customer.language) or "fr"


def channels_for(customer: Any, pref: AlertPreference) -> list[str]:
    channels = [SentAlert.Channel.EMAIL] if pref.by_email and customer.email else []
    if pref.by_sms and customer.phone:
        channels.append(SentAlert.Channel.SMS)
    return channels


def _claim(*, customer: Any, kind: str, channel: str, key: str, contract_number: str) -> SentAlert | None:
    """Record the alert before sending it; ``None`` when it was already sent (or is being sent)."""
    try:
        with transaction.atomic():
            return SentAlert.objects.create(
                customer=customer, kind=kind, channel=channel, key=key[:200], contract_number=contract_number
            )
    except IntegrityError:
        return None


class AlertNotSent(Exception):
    """Some channel of an alert failed (logged); ``sent`` messages did leave and are recorded."""

    def __init__(self, key: str, *, sent: int, failed: int) -> None:
        super().__init__(f"Alert {key}: {failed} channel(s) failed; the next run retries them.")
        self.sent, self.failed = sent, failed


def deliver(
    *,
    customer: Any,
    channels: list[str],
    kind: str,
    key: str,
    contract_number: str,
    subject: Any,
    template: str,
    context: dict[str, Any],
    sms_text: str,
) -> int:
    """Send on each channel not yet used for ``key``; returns how many messages left.

    Raises ``AlertNotSent`` after trying every channel when one failed (its record is removed).
    """
    sent = failed = 0
    for channel in channels:
        claim = _claim(
            customer=customer,
            kind=kind,
            channel=channel,
            key=f"{key}:{channel}",
            contract_number=contract_number,
        )
        if claim is None:
            continue
        try:
            if channel == SentAlert.Channel.EMAIL:
                send_email(
                    to=customer.email,
                    subject=subject,
                    template=template,
                    context={"customer": customer, **context},
                    language=language_of(customer),
                )
            else:
                send_sms(to=customer.phone, text=sms_text)
        except Exception:  # a provider failure must not stop the batch; the next run retries
            log.exception("Alert %s by %s to customer %s failed", key, channel, customer.pk)
            claim.delete()
            failed += 1
        else:
            sent += 1
    if failed:
        raise AlertNotSent(key, sent=sent, failed=failed)
    return sent
