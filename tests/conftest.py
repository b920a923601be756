"""Fixtures shared by every suite: a real SMTP server (aiosmtpd) and the SMS outbox.

Emails in tests go through Django's SMTP backend to a real local SMTP server started here;
tests read them with the ``mailbox`` fixture. SMS go to the outbox gateway's JSONL file,
read with the ``sms_outbox`` fixture.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the local SMTP server received, parsed as email messages."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(msg)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def last_to(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert found, f"no email received for {address}; got {[str(m['To']) for m in self.messages]}"
        return found[-1]

    @staticmethod
    def text(msg: EmailMessage) -> str:
        part = msg.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[Mailbox, int], settings) -> Mailbox:
    box, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    box.clear()
    return box


@dataclass
class SmsOutbox:
    path: Path

    def messages(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]

    def last_to(self, phone: str) -> dict[str, str]:
        found = [m for m in self.messages() if m["to"] == phone]
        assert found, f"no SMS sent to {phone}; outbox has {self.messages()}"
        return found[-1]


@pytest.fixture
def sms_outbox(settings, tmp_path: Path) -> SmsOutbox:
    path = tmp_path / "sms-outbox.jsonl"
    settings.GUICHET_SMS_OUTBOX = path
    return SmsOutbox(path)


@pytest.fixture(autouse=True)
def _lender_profile_cache() -> Iterator[None]:
    """Tests may switch ``settings.GUICHET_LENDER``; the profile cache must not leak across tests."""
    from guichet.lenders.profile import _profile_for

    _profile_for.cache_clear()
    yield
    _profile_for.cache_clear()


@pytest.fixture(autouse=True)
def _page_cache() -> Iterator[None]:
    """Each test's database starts again from the same ids: no page fragment may outlive its test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A test that switches the language (a request with another cookie, ``activate``) must not leak it."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")
