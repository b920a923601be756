"""The business day's emails go through the outbox (issue 14): written in the chunk's transaction, sent
after it commits, once. A chunk that fails after writing its messages sends none of them; its retry
writes them again and they are sent once. Inline run, real SMTP server."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.notifications import outbox
from guichet.notifications.models import OutboxMessage
from guichet.operations import engine, steps
from guichet.operations.models import Chunk
from guichet.payments.models import PreNotification
from guichet.payments.services import create_mandate
from tests.factories import make_contract, make_customer, make_user, verify_identity

pytestmark = pytest.mark.django_db
ON = date(2026, 2, 10)
NOTICED = 3  # debits due on 24/02: a pre-notification each (a document, and an email saying so)


@pytest.fixture(autouse=True)
def _small_chunks(settings):
    settings.GUICHET_BUSINESS_DAY_CHUNK = 2
    settings.GUICHET_BUSINESS_DAY_BACKOFF_S = 0.0


def _subjects(mailbox, address: str) -> list[str]:
    return [str(m["Subject"]) for m in mailbox.to(address) if "nouveau document" in str(m["Subject"]).lower()]


def test_a_failed_chunk_sends_nothing_and_its_retry_sends_each_email_once(mailbox, monkeypatch) -> None:
    customer = make_customer()
    make_user(customer)
    verify_identity(customer)
    for _ in range(NOTICED):
        c = make_contract(customer, start_on=date(2026, 1, 24))
        create_mandate(contract=c, holder_name="Camille Martin", iban="FR7630006000011234567890189")
    real = steps.BY_NAME["notices"]
    failures = {"left": 1}

    def notices_then_fail(on, first_id, last_id):
        written = real.run(on, first_id, last_id)
        assert OutboxMessage.objects.filter(sent_at__isnull=True).exists()  # held, not sent
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("the worker dies after writing its messages")
        return written

    monkeypatch.setitem(
        steps.BY_NAME, "notices", steps.Step("notices", real.label, real.plan, notices_then_fail)
    )

    day = engine.run_inline(on=ON)

    assert day.status == "done", list(Chunk.objects.exclude(error="").values_list("error", flat=True))
    assert Chunk.objects.filter(step__name="notices", attempts=1).count() == 1  # one chunk failed once
    assert PreNotification.objects.count() == NOTICED
    assert len(_subjects(mailbox, customer.email)) == NOTICED  # none from the failed attempt, none lost
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert outbox.flush() == 0  # a second flush sends nothing again
    assert len(_subjects(mailbox, customer.email)) == NOTICED


def test_outside_a_chunk_emails_are_sent_at_once(mailbox) -> None:
    from guichet.notifications import send_email

    send_email(to="camille@example.org", subject="Bonjour", template="document_available", context={})
    assert not OutboxMessage.objects.exists()
    assert len(mailbox.to("camille@example.org")) == 1


def test_a_chunks_document_sms_is_held_with_the_document_and_lost_with_a_killed_chunk(sms_outbox) -> None:
    """The "document delivered" SMS of a document a chunk delivers goes to the outbox in the chunk's
    transaction: none when the chunk rolls back, one after it commits and the outbox is flushed."""
    from django.db import transaction

    from guichet.documents.services import deliver_document
    from guichet.notifications.services import update_alert_preferences

    customer = make_customer()
    make_user(customer)
    update_alert_preferences(
        customer=customer,
        due_reminder_days=3,
        balance_threshold=None,
        contract_updates=True,
        by_email=True,
        by_sms=True,
    )
    pdf = b"%PDF-1.4 notice"

    class Killed(Exception):
        pass

    with pytest.raises(Killed), transaction.atomic(), outbox.held("chunk 1"):
        deliver_document(customer=customer, kind="notice", title="Avis", pdf=pdf)
        assert OutboxMessage.objects.filter(channel="sms", sent_at__isnull=True).count() == 1
        raise Killed
    assert not OutboxMessage.objects.exists() and sms_outbox.messages() == []

    with transaction.atomic(), outbox.held("chunk 1, retried"):
        deliver_document(customer=customer, kind="notice", title="Avis", pdf=pdf)
    assert sms_outbox.messages() == []  # held until the flush
    outbox.flush()
    assert [m["to"] for m in sms_outbox.messages()] == [customer.phone]
    assert outbox.flush() == 0 and len(sms_outbox.messages()) == 1


def test_an_email_sent_again_after_a_killed_flusher_carries_the_same_message_id(mailbox) -> None:
    """A flusher killed after the SMTP server accepted a message but before marking it sent leaves it
    pending: the next flush sends it again, with the first copy's Message-ID so that mail systems that
    de-duplicate on it show one message."""
    from django.db import transaction

    from guichet.notifications import send_email

    with transaction.atomic(), outbox.held("chunk 7"):
        send_email(to="camille@example.org", subject="Avis", template="document_available", context={})
    assert outbox.flush() == 1
    OutboxMessage.objects.update(sent_at=None)  # what a kill between acceptance and commit leaves
    assert outbox.flush() == 1
    first, again = mailbox.to("camille@example.org")
    assert first["Message-ID"] == again["Message-ID"] == outbox.message_id(OutboxMessage.objects.get())
