"""CPU time per request of the customer pages, in process (issue 15): steadier than ``bench_pages``.

The same database, customer and pages as ``bench_pages`` (PostgreSQL, production settings with the
bench-only ``/hello/``), but through Django's test client in this process: for each page, the CPU
time of the process per request (``time.process_time``, so other engineers' load counts far less
than in a wrk run) and the number of queries. Pages run in ``GUICHET_BENCH_ROUNDS`` alternating
rounds of ``GUICHET_BENCH_REQUESTS`` requests; the best round's median is printed.

``GUICHET_BENCH_REUSE=1`` keeps a database ``bench_pages`` already filled (no migrate/flush/demo).
``GUICHET_BENCH_PROFILE=<page>`` prints a cProfile of that page (cumulative, top 40) instead.
The cache (fragment caching) is measured warm, as a customer reading their pages again sees it;
``GUICHET_BENCH_COLD=1`` measures without it (a dummy cache: every fragment computed each time).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from tests.bench.bench_pages import API_BODY, CUSTOMER, DEFAULT_URL, SIMULATION


def _pages(number: str) -> list[tuple[str, str, str, bool]]:
    return [
        ("signed-in hello", "GET", "/hello/", False),
        ("dashboard", "GET", "/espace/", False),
        ("contract", "GET", f"/espace/contrats/{number}/", False),
        ("payments", "GET", "/espace/paiements/", False),
        ("documents", "GET", "/espace/documents/", False),
        ("simulation", "GET", SIMULATION, False),
        ("api new-credit", "POST", "/api/v1/simulations/new-credit", True),
    ]


def main() -> None:
    url = os.environ.get("GUICHET_BENCH_DATABASE_URL", DEFAULT_URL)
    rounds = int(os.environ.get("GUICHET_BENCH_ROUNDS", "3"))
    requests = int(os.environ.get("GUICHET_BENCH_REQUESTS", "30"))
    cold = os.environ.get("GUICHET_BENCH_COLD") == "1"
    if os.environ.get("GUICHET_BENCH_REUSE") == "1":
        from tests.bench.server import bench_env

        os.environ.update(bench_env(url, Path("/nonexistent-bench-var")))
        import django

        django.setup()
    else:
        import tempfile

        from tests.bench.bench_pages import _prepare

        _prepare(url, Path(tempfile.mkdtemp(prefix="guichet-bench-cpu-")))
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from guichet.customers.models import User
    from guichet.loans.selectors import contracts_for

    if cold:  # never clear() a shared Redis: no cache at all instead
        dummy = "django.core.cache.backends.dummy.DummyCache"
        override_settings(CACHES={"default": {"BACKEND": dummy}}).enable()
    user = User.objects.get(email=CUSTOMER)
    number = contracts_for(user.customer).filter(kind="amortizable").first().number
    client, anonymous = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def get(method: str, path: str, public: bool) -> None:
        c = anonymous if public else client
        if method == "POST":
            response = c.post(path, data=API_BODY, content_type="application/json")
        else:
            response = c.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{method} {path} answered {response.status_code}")

    pages = _pages(number)
    profile = os.environ.get("GUICHET_BENCH_PROFILE")
    if profile:
        import cProfile
        import pstats

        _label, method, path, public = next(p for p in pages if p[0] == profile)
        for _ in range(3):
            get(method, path, public)
        prof = cProfile.Profile(time.process_time)  # CPU time, as the figures below
        prof.enable()
        for _ in range(requests):
            get(method, path, public)
        prof.disable()
        pstats.Stats(prof).sort_stats(os.environ.get("GUICHET_BENCH_SORT", "cumulative")).print_stats(40)
        return
    queries: dict[str, int] = {}
    for label, method, path, public in pages:  # warm-up, and the query count of a warm request
        get(method, path, public)
        with CaptureQueriesContext(connection) as ctx:
            get(method, path, public)
        queries[label] = len(ctx.captured_queries)
    best: dict[str, float] = {}
    load = os.getloadavg()[0]
    for _ in range(rounds):
        for label, method, path, public in pages:
            times = []
            for _ in range(requests):
                started = time.process_time()
                get(method, path, public)
                times.append(time.process_time() - started)
            median = statistics.median(times) * 1000
            best[label] = min(best.get(label, median), median)
    print(f"{rounds} rounds × {requests} requests, load {load:.1f} → {os.getloadavg()[0]:.1f}, "
          f"cache {'cold' if cold else 'warm'}")  # fmt: skip
    hello = best["signed-in hello"]
    print(f"{'page':16} {'CPU ms':>7} {'queries':>8} {'hello/page':>10}")
    for label, *_ in pages:
        print(f"{label:16} {best[label]:7.2f} {queries[label]:8d} {hello / best[label]:10.3f}")


if __name__ == "__main__":
    main()
