"""The outbox: emails and SMS held in the sender's transaction and sent after it commits (issue 14).

Inside ``held(source)`` (a business-day chunk), ``send_email`` and ``send_sms`` write an
``OutboxMessage`` row instead of sending: the row commits or rolls back with the chunk, so a chunk
killed with SIGKILL sends nothing and its retry writes its messages again. ``flush()`` then sends
the pending rows, oldest first, each claimed (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several
workers can flush at once) and marked sent in one short transaction: a committed message is sent
once. A process killed between the SMTP server's acceptance and that commit would send that one
message again (at-least-once for one message at most per killed flusher; an SMTP send cannot join a
database transaction), with the same Message-ID (``message_id``) so that mail systems can drop the
copy. A failed send stays pending with its error and is retried by the next flush, up to
``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import connection, transaction
from django.utils import timezone

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
_holding: ContextVar[str | None] = ContextVar("guichet_outbox_holding", default=None)


@contextmanager
def held(source: str) -> Iterator[None]:
    """Messages sent inside this block go to the outbox (in the current transaction)."""
    token = _holding.set(source)
    try:
        yield
    finally:
        _holding.reset(token)


def holding() -> bool:
    return _holding.get() is not None


def _model():
    # Same app, imported late: notifications/__init__ imports email (and so this module) before the
    # app registry is ready, when models cannot be imported yet.
    from .models import OutboxMessage

    return OutboxMessage


def hold_email(message: EmailMultiAlternatives) -> None:
    OutboxMessage = _model()
    html = next((content for content, mime in message.alternatives if mime == "text/html"), "")
    OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        source=(_holding.get() or "")[:120],
        to=", ".join(message.to),
        from_email=message.from_email,
        subject=message.subject,
        body=message.body,
        html=html,
    )


def hold_sms(*, to: str, text: str) -> None:
    OutboxMessage = _model()
    OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.SMS, source=(_holding.get() or "")[:120], to=to, body=text
    )


def message_id(message) -> str:  # type: ignore[no-untyped-def]
    """The email's Message-ID, the same at every attempt: a message sent again after its flusher was
    killed between the SMTP acceptance and the commit (see above) carries the id of the first copy,
    so mail systems that de-duplicate on Message-ID show it once."""
    return f"<guichet.outbox.{message.pk}.{int(message.created_at.timestamp())}@{DNS_NAME}>"


def pending() -> int:
    OutboxMessage = _model()
    return OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).count()


def flush(limit: int | None = None) -> int:
    """Send the pending messages (at most ``limit``); returns how many were sent."""
    from .sms import get_gateway  # sms imports this module (held messages)

    OutboxMessage = _model()
    sent, failed = 0, []
    while limit is None or sent < limit:
        with transaction.atomic():
            claim = (
                OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
                .exclude(pk__in=failed)
                .order_by("pk")
            )
            if connection.features.has_select_for_update_skip_locked:
                claim = claim.select_for_update(skip_locked=True)
            message = claim.first()
            if message is None:
                return sent
            try:
                if message.channel == OutboxMessage.Channel.SMS:
                    get_gateway().send(to=message.to, text=message.body)
                else:
                    email = EmailMultiAlternatives(
                        subject=message.subject,
                        body=message.body,
                        from_email=message.from_email or None,
                        to=[a.strip() for a in message.to.split(",") if a.strip()],
                        headers={"Message-ID": message_id(message)},
                    )
                    if message.html:
                        email.attach_alternative(message.html, "text/html")
                    email.send()
            except Exception as exc:  # kept pending with its error; the next flush retries it
                log.exception("Outbox message %s not sent", message.pk)
                message.attempts += 1
                message.error = f"{type(exc).__name__}: {exc}"[:2000]
                message.save(update_fields=["attempts", "error"])
                failed.append(message.pk)
                continue
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            sent += 1
    return sent
