"""The last-seen time is written to the session at most every 30 s (a session save is a database write
and commit per request otherwise); inactivity is still measured from the stored time, never longer."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.customers.middleware import LAST_SEEN_KEY, last_seen_precision
from tests.factories import make_user

from .helpers import login

pytestmark = pytest.mark.django_db
PAGE = "/securite/activite/"


def session_writes(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)


def test_pages_within_30_seconds_of_the_stored_time_do_not_write_the_session(client: Client) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, user.email)
        client.get(PAGE)  # the first page stores the last-seen time and the limit
        stored = client.session[LAST_SEEN_KEY]
        for _ in range(2):
            traveller.shift(timedelta(seconds=14))
            assert session_writes(client) == 0
        assert client.session[LAST_SEEN_KEY] == stored
        traveller.shift(timedelta(seconds=2))  # 30 s after the stored time
        assert session_writes(client) == 1
        assert client.session[LAST_SEEN_KEY] == int(time.time()) == stored + 30


def test_inactivity_counts_from_the_stored_time_so_a_session_never_outlives_the_limit(
    client: Client,
) -> None:
    user = make_user()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, user.email)
        client.get(PAGE)
        traveller.shift(timedelta(seconds=20))
        client.get(PAGE)  # activity not written: within the precision
        traveller.shift(timedelta(minutes=14, seconds=41))  # 15 min 1 s after the stored time
        assert client.get(PAGE).status_code == 302


def test_the_precision_is_a_tenth_of_a_short_limit_and_at_most_30_seconds() -> None:
    assert [last_seen_precision(s) for s in (8, 60, 300, 900, 3600)] == [1, 6, 30, 30, 30]
