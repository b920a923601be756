"""The README's production command holds 256 concurrent clients on PostgreSQL (issue 15).

It starts the exact line of README "Production" (granian, ``guichet.settings.prod`` with its
bounded connection pool) against the test database, signs a customer in, and lets 256 clients
load the dashboard at the same time, each on its own connection, within a bounded time. Every
answer must be a 200, and the server's PostgreSQL connections, sampled all along in
``pg_stat_activity``, must never exceed ``workers × DATABASE_POOL_SIZE``: without the pool each
request thread kept its own connection and PostgreSQL ran out ("too many clients already").
"""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.bench.server import Server, bench_env, free_port, production_command
from tests.factories import make_contract, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLIENTS = 256
REQUESTS_EACH = 2
DEADLINE_S = 150


def _option(argv: list[str], name: str) -> int:
    return int(argv[argv.index(name) + 1])


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _server_connections(url: str, name: str, own: set[int], stop: threading.Event, seen: list[int]) -> None:
    # Sample first, then wait: at least one sample is taken even if the waits are slow to return
    # (under libfaketime a timed wait can last until ``stop`` is set), and one after the load.
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            pids = {
                pid
                for (pid,) in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
                )
            }
            seen.append(len(pids - own))
            if stop.wait(0.1):
                return


def test_the_readme_production_command_serves_256_concurrent_clients_with_a_flat_number_of_connections(
    tmp_path,
):
    if connection.vendor != "postgresql":
        pytest.skip("the connection pool is PostgreSQL's (Django's psycopg pool)")
    readme_env, argv = production_command()
    assert readme_env["DJANGO_SETTINGS_MODULE"] == "guichet.settings.prod"
    workers, threads = _option(argv, "--workers"), _option(argv, "--blocking-threads")
    user = make_user()
    make_contract(user.customer)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = _database_url()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = {cursor.fetchone()[0]}

    env = bench_env(url, tmp_path, settings="guichet.settings.prod")
    env.update(DJANGO_SECRET_KEY=settings.SECRET_KEY)  # the session was signed by this process
    port = free_port()
    server = Server(env, port, tmp_path / "granian.log")
    assert server.command[-1] == argv[-1] and "--blocking-threads" in server.command
    stop, seen = threading.Event(), []
    watcher = threading.Thread(
        target=_server_connections, args=(url, connection.settings_dict["NAME"], own, stop, seen)
    )
    server.start()
    watcher.start()
    started = time.monotonic()
    go = threading.Barrier(CLIENTS, timeout=60)

    def one_client(_: int) -> list[int]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE_S)
        statuses = []
        try:
            go.wait()
            for _ in range(REQUESTS_EACH):
                conn.request("GET", "/espace/", headers={"Host": "127.0.0.1", "Cookie": cookie})
                response = conn.getresponse()
                response.read()
                statuses.append(response.status)
        except Exception as exc:  # counted as an error below, with its kind
            statuses.append(type(exc).__name__)
        finally:
            conn.close()
        return statuses

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = [s for statuses in pool.map(one_client, range(CLIENTS)) for s in statuses]
        elapsed = time.monotonic() - started
        time.sleep(0.5)  # a last sample after the load
    finally:
        stop.set()
        watcher.join()
        server.stop()
    errors = [a for a in answers if a != 200]
    assert not errors, f"{len(errors)} of {len(answers)} requests failed: {sorted(set(map(str, errors)))}"
    assert len(answers) == CLIENTS * REQUESTS_EACH
    assert elapsed < DEADLINE_S
    assert seen and max(seen) <= workers * threads, (
        f"connections seen: max {max(seen)}, bound {workers * threads}"
    )


@pytest.mark.django_db(transaction=False)
def test_the_benchmark_hello_view_is_not_a_production_url():
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/hello/", urlconf="guichet.urls")
    assert resolve("/hello/", urlconf="tests.bench.urls").url_name == "hello"
