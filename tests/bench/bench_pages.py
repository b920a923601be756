"""Customer pages under load on PostgreSQL with the production settings (issue 15).

The demo (``demo_setup``, French lender) is loaded into a PostgreSQL database that is created,
migrated and flushed here (``GUICHET_BENCH_DATABASE_URL``, default ``guichet_pages_bench``).
The server is the README's production command (``tests.bench.server``: granian, the pooled
``guichet.settings.prod``) with the benchmark-only ``/hello/`` added. ``wrk`` drives 32 concurrent
connections at each page, then at the signed-in ``/hello/`` (same middleware and session) right
after it, for ``GUICHET_BENCH_ROUNDS`` alternating rounds of ``GUICHET_BENCH_SECONDS`` each; public
pages are also compared with the anonymous ``/hello/``. Prints req/s, p50 and p99, each page's
ratio to its hello, errors, and the most PostgreSQL connections seen during the run.
Never fails on time; a page that does not answer 200 before the run stops it.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from tests.bench.server import ROOT, Server, bench_env, free_port

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/guichet_pages_bench"
CONNECTIONS = 32
CUSTOMER = "camille.durand@example.fr"  # 2 contracts with history, documents, messages
SIMULATION = "/simulations/credit/?product=pret-sur-mesure&amount=10000&term=60"
API_BODY = '{"product_code": "pret-sur-mesure", "amount": "10000.00", "term_months": 60}'


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out: str) -> Result:
    """req/s, p50, p99, requests and errors (non-2xx/3xx, socket errors) from ``wrk --latency`` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return Result(rps, p50, p99, requests, errors)


def _prepare(url: str, var_dir: Path) -> tuple[dict[str, str], str, str]:
    """Create, migrate and fill the database; return (env, session cookie, a contract number)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = bench_env(url, var_dir)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from guichet.customers.models import User
    from guichet.loans.selectors import contracts_for

    # The demo's mails are not the benchmark's business: kept in memory (production sends by SMTP).
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("demo_setup", profile="fr", stdout=open(os.devnull, "w"))  # noqa: SIM115
    user = User.objects.get(email=CUSTOMER)
    number = contracts_for(user.customer).filter(kind="amortizable").first().number
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    from django.db import connections

    connections.close_all()
    return env, cookie, number


def _check(port: int, method: str, path: str, cookie: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1", "Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=API_BODY if method == "POST" else None, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{method} {path} answered {response.status}: {body[:300]!r}")


def wrk(
    port: int, path: str, cookie: str, seconds: int, script: Path | None = None, conns: int = CONNECTIONS
) -> Result:
    cmd = ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "30s",
           "-H", "Host: 127.0.0.1"]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    return parse_wrk(out.stdout)


class ConnectionWatch(threading.Thread):
    """Samples how many connections the benchmark database has, every 0.2 s."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.name_ = url, url.rsplit("/", 1)[1]
        self.most, self.samples, self.stop = 0, 0, threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.2):
                (n,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    (self.name_,),
                ).fetchone()
                self.most, self.samples = max(self.most, n), self.samples + 1


def _pages(number: str, tmp: Path) -> list[tuple[str, str, str, bool, Path | None]]:
    """(label, method, path, public, wrk script)."""
    script = tmp / "post.lua"
    lua = [
        'wrk.method = "POST"',
        f"wrk.body = '{API_BODY}'",
        'wrk.headers["Content-Type"] = "application/json"',
    ]
    script.write_text("\n".join(lua) + "\n")
    return [
        ("dashboard", "GET", "/espace/", False, None),
        ("contract", "GET", f"/espace/contrats/{number}/", False, None),
        ("payments", "GET", "/espace/paiements/", False, None),
        ("documents", "GET", "/espace/documents/", False, None),
        ("simulation", "GET", SIMULATION, True, None),
        ("api new-credit", "POST", "/api/v1/simulations/new-credit", True, script),
    ]


def main() -> None:
    url = os.environ.get("GUICHET_BENCH_DATABASE_URL", DEFAULT_URL)
    seconds = int(os.environ.get("GUICHET_BENCH_SECONDS", "10"))
    rounds = int(os.environ.get("GUICHET_BENCH_ROUNDS", "2"))
    only = [w for w in os.environ.get("GUICHET_BENCH_PAGES", "").split(",") if w]
    tmp = Path(tempfile.mkdtemp(prefix="guichet-bench-pages-"))
    server = None
    try:
        env, cookie, number = _prepare(url, tmp)
        port = free_port()
        root = Path(os.environ.get("GUICHET_BENCH_ROOT", ROOT))
        workers = int(os.environ.get("GUICHET_BENCH_WORKERS", "1"))
        server = Server(env, port, tmp / "granian.log", root=root, workers=workers)
        server.start()
        print(f"server: {' '.join(server.command)}")
        pages = [p for p in _pages(number, tmp) if not only or p[0] in only]
        for _label, method, path, public, _script in pages:  # a public POST is sent without a session
            _check(port, method, path, "" if public and method == "POST" else cookie)
        watch = ConnectionWatch(url)
        watch.start()
        wrk(port, "/hello/", cookie, 2)  # warm-up: threads, pool and caches
        print(f"{CONNECTIONS} connections, {rounds} rounds of {seconds} s, uptime: {os.getloadavg()[0]:.1f}")
        print(f"{'page':15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'err':>5} | {'hello':>7} "
              f"{'ratio':>6} | {'anon.':>7} {'ratio':>6} | p99/p50", flush=True)  # fmt: skip
        for _ in range(rounds):
            for label, method, path, public, script in pages:
                page = wrk(port, path, "" if public and method == "POST" else cookie, seconds, script)
                hello = wrk(port, "/hello/", cookie, seconds)
                anon = wrk(port, "/hello/", "", seconds) if public else None
                anon_part = f"{anon.rps:7.0f} {page.rps / anon.rps:6.3f}" if anon else f"{'':7} {'':6}"
                print(f"{label:15} {page.rps:8.1f} {page.p50_ms:8.1f} {page.p99_ms:8.1f} "
                      f"{page.errors + hello.errors:5d} | {hello.rps:7.0f} {page.rps / hello.rps:6.3f} | "
                      f"{anon_part} | {page.p99_ms / page.p50_ms:5.1f}", flush=True)  # fmt: skip
        watch.stop.set()
        watch.join()
        print(f"uptime at the end: {os.getloadavg()[0]:.1f}")
        print(f"most PostgreSQL connections to the database during the run: {watch.most}")
    except Exception:
        log = tmp / "granian.log"
        if log.exists():
            print(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
