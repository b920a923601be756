"""A worker killed with SIGKILL in the middle of the business day, the run started again: nothing is
posted twice and nothing is missed, and no email is sent twice or lost (the chunks' messages go through
the outbox, issue 14). Real Celery worker processes, Redis, PostgreSQL, a local SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from guichet.loans.models import JournalEntry
from guichet.loans.positions import positions_for
from guichet.notifications.models import OutboxMessage
from guichet.operations.models import BusinessDay, Chunk
from guichet.payments.models import DirectDebit, PreNotification
from guichet.payments.services import create_mandate
from tests.factories import make_contract, make_customer, make_user, verify_identity

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
ON = date(2026, 2, 10)
CONTRACTS = 12
NOTICED = 6  # contracts whose debit is due in 14 days: a pre-notification (a document and its email) each
BROKER = "redis://127.0.0.1:6379/15"


def _redis_or_skip() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the chunk claim (SKIP LOCKED) and the workers' shared database need PostgreSQL")
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")


def _env(queue: str, smtp_port: int) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guichet.settings.test",
        "DATABASE_URL": url,
        "GUICHET_BROKER_URL": BROKER,
        "GUICHET_TASK_QUEUE": queue,
        "GUICHET_TASKS_EAGER": "0",  # real workers take the chunks
        "GUICHET_BUSINESS_DAY_CHUNK": "2",
        # Each chunk holds its transaction a while, so the kill lands inside one.
        "GUICHET_BUSINESS_DAY_PAUSE_S": "0.4",
        "GUICHET_TEST_SMTP_PORT": str(smtp_port),
    }


def _worker(env: dict[str, str], name: str) -> subprocess.Popen:
    """A worker whose database session is named ``name`` (pg_stat_activity.application_name)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", "business_worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": f"{env['DATABASE_URL']}?application_name={name}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _start_day(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "business_day", "--date", ON.isoformat()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _in_a_chunk(name: str) -> bool:
    """The worker's session is inside a transaction (holding a claimed chunk), right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND xact_start IS NOT NULL", [name]
        )
        return cursor.fetchone() is not None


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_killed_mid_chunk_and_a_restarted_run_post_nothing_twice_and_miss_nothing(
    smtp_server,
) -> None:
    _redis_or_skip()
    customer = make_customer(phone="+33612345678")
    make_user(customer)
    verify_identity(customer)
    contracts = [make_contract(customer, start_on=date(2026, 1, 10)) for _ in range(CONTRACTS)]
    noticed = [make_contract(customer, start_on=date(2026, 1, 24)) for _ in range(NOTICED)]  # due 24/02
    for c in contracts + noticed:
        create_mandate(contract=c, holder_name="Camille Martin", iban="FR7630006000011234567890189")
    mailbox, _port = smtp_server
    mailbox.clear()
    env = _env(f"guichet-kill-test-{os.getpid()}", smtp_server[1])
    workers = [_worker(env, "guichet-victim"), _worker(env, "guichet-survivor")]
    try:
        _start_day(env)
        done = Chunk.objects.filter(step__name="installments", status="done")
        assert _wait(lambda: done.exists(), 30), "no worker finished a chunk"
        assert _wait(lambda: _in_a_chunk("guichet-victim"), 10), "the victim never held a chunk"
        victim = workers[0]
        victim.send_signal(signal.SIGKILL)  # in the middle of a chunk: its transaction is open
        victim.wait(10)
        workers[0] = _worker(env, "guichet-restarted")  # the worker restarted…
        _start_day(env)  # …and the run started again: what is not done is sent again
        day = BusinessDay.objects.filter(business_date=ON)
        assert _wait(lambda: day.filter(status__in=("done", "failed")).exists(), 45), "the day did not finish"
        unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
        assert _wait(lambda: not unsent.exists(), 30), "the outbox was not flushed"
    finally:
        for w in workers:
            if w.poll() is None:
                w.send_signal(signal.SIGKILL)
                w.wait(10)
        import redis

        broker = redis.Redis.from_url(BROKER)
        for key in broker.scan_iter(f"*{env['GUICHET_TASK_QUEUE']}*"):  # the queue and its bindings
            broker.delete(key)

    assert day.get().status == "done", list(Chunk.objects.exclude(error="").values_list("error", flat=True))
    assert not Chunk.objects.exclude(status="done").exists()
    dues = JournalEntry.objects.filter(kind="installment_due", effective_on=ON)
    per_contract = dues.values("contract_id").annotate(n=Count("pk"))
    assert sorted(r["contract_id"] for r in per_contract) == sorted(c.pk for c in contracts)  # none missed
    assert {r["n"] for r in per_contract} == {1}  # none twice
    assert DirectDebit.objects.count() == CONTRACTS
    assert JournalEntry.objects.filter(kind="payment", effective_on=ON).count() == CONTRACTS
    positions = positions_for(c.pk for c in contracts)
    assert all(p.due_unpaid_minor == 0 for p in positions.values())  # each installment collected exactly
    # Each pre-notification's email went once: none from the killed chunk, none lost after a commit.
    assert PreNotification.objects.count() == NOTICED
    assert OutboxMessage.objects.filter(sent_at__isnull=False, channel="email").count() >= NOTICED
    documents = [m for m in mailbox.to(customer.email) if "nouveau document" in str(m["Subject"]).lower()]
    assert len(documents) == NOTICED
    sent = OutboxMessage.objects.filter(sent_at__isnull=False, channel="email")
    assert len(mailbox.messages) == sent.count()  # every email of the day went through the outbox, once
