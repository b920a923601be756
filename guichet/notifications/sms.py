"""SMS gateways behind one interface: the outbox (dev, tests, demo) and an HTTP provider adapter.

``settings.GUICHET_SMS_GATEWAY`` names the class. The outbox appends one JSON line per message
(``{"to", "text", "sent_at"}``) to ``settings.GUICHET_SMS_OUTBOX`` (``var/sms-outbox.jsonl`` by default).
"""

from __future__ import annotations

import fcntl
import json
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .outbox import hold_sms, holding


class SmsError(Exception):
    """The provider refused or could not be reached; the message was not sent."""


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class OutboxSmsGateway:
    """Writes each SMS as a JSON line; a lock keeps lines whole when several processes append."""

    def send(self, *, to: str, text: str) -> None:
        path = settings.GUICHET_SMS_OUTBOX
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"to": to, "text": text, "sent_at": timezone.now().isoformat()}, ensure_ascii=False)
        with open(path, "a", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.write(line + "\n")


class HttpSmsGateway:
    """Skeleton adapter for an HTTP SMS provider: POST JSON ``{"to", "text", "sender"}`` with a bearer token.

    Settings: ``GUICHET_SMS_HTTP_URL``, ``GUICHET_SMS_HTTP_TOKEN``, ``GUICHET_SMS_SENDER``. Adapt the
    payload to the provider chosen; it is not exercised by the test suite (no provider is reachable).
    """

    timeout_seconds = 10

    def send(self, *, to: str, text: str) -> None:
        url = getattr(settings, "GUICHET_SMS_HTTP_URL", "")
        if not url.startswith("https://"):
            raise SmsError("GUICHET_SMS_HTTP_URL must be an https:// URL.")
        payload = {"to": to, "text": text, "sender": getattr(settings, "GUICHET_SMS_SENDER", "")}
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url,
            data=json.dumps(payload).encode(),
            headers={
                "Authorization": f"Bearer {getattr(settings, 'GUICHET_SMS_HTTP_TOKEN', '')}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"SMS provider answered {response.status}.")
        except OSError as exc:
            raise SmsError(f"SMS provider unreachable: {exc}") from exc


def get_gateway() -> SmsGateway:
    return import_string(settings.GUICHET_SMS_GATEWAY)()


def send_sms(*, to: str, text: str) -> None:
    """Send one SMS through the configured gateway (into the outbox inside ``outbox.held``)."""
    if holding():
        hold_sms(to=to, text=text)
        return
    get_gateway().send(to=to, text=text)
