"""Dashboard throughput: requests/s of ``portal:dashboard`` for a customer with 5 contracts, against the
``portal:hello`` view, both served by the same granian WSGI server in the same run (issue 4).

A temporary SQLite database is migrated and filled here, then ``granian --interface wsgi`` serves
it from a subprocess (one worker); one keep-alive HTTP connection sends a bounded number of
sequential requests to each URL. Sizes scale with ``GUICHET_BENCH_SCALE``.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.bench._common import scaled

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(var_dir: Path) -> tuple[str, str]:
    """Migrate a fresh database and return (dashboard path, session cookie) for a 5-contract customer."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.bench.settings_test",  # /hello/ is bench-only
        GUICHET_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'bench.sqlite3'}",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from guichet.loans.models import ScheduleLine
    from guichet.loans.services import post_installment_due, post_payment
    from tests.factories import make_contract, make_user

    call_command("migrate", interactive=False, verbosity=0)
    user = make_user()
    today = date.today()
    for i in range(5):
        contract = make_contract(user.customer, amount=f"{4000 + 1000 * i}.00", term_months=36 + 6 * i,
                                 start_on=today - timedelta(days=200 + 30 * i))  # fmt: skip
        for line in ScheduleLine.objects.filter(version_id=contract.current_schedule_id, due_on__lt=today):
            post_installment_due(contract=contract, line=line)
            post_payment(
                contract=contract,
                amount=contract.money(line.total_due_minor),
                on=line.due_on,
                key=f"b{line.pk}",
            )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    assert client.get("/espace/").status_code == 200, "the dashboard must answer 200 before measuring"
    return "/espace/", f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"granian exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("granian did not start in time")


def _measure(port: int, path: str, cookie: str, n: int) -> float:
    """Requests per second for ``n`` sequential GETs on one keep-alive connection (after a warm-up)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie, "Host": "127.0.0.1"} if cookie else {"Host": "127.0.0.1"}

    def get() -> None:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}: {body[:200]!r}")

    for _ in range(min(20, n)):
        get()
    started = time.perf_counter()
    for _ in range(n):
        get()
    elapsed = time.perf_counter() - started
    conn.close()
    return n / elapsed


def main() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="guichet-bench-dashboard-"))
    proc = None
    try:
        dashboard, cookie = _prepare(var_dir)
        port = _free_port()
        log = var_dir / "granian.log"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or "granian"
        proc = subprocess.Popen(
            [granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
             "--no-ws", "guichet.wsgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
        )  # fmt: skip
        _wait_until_up(port, proc)
        n_dash, n_hello = scaled(300), scaled(2000)
        hello = _measure(port, "/hello/", "", n_hello)
        hello_session = _measure(port, "/hello/", cookie, n_dash)
        dash = _measure(port, dashboard, cookie, n_dash)
        print(
            f"hello view, anonymous      : {hello:8.1f} req/s  ({n_hello} requests, granian WSGI, 1 worker)"
        )
        print(
            f"hello view, signed-in      : {hello_session:8.1f} req/s"
            f"  ({n_dash} requests, session read, saved at most every 30 s)"
        )
        print(f"dashboard, 5 contracts     : {dash:8.1f} req/s  ({n_dash} requests, same server and session)")
        print(f"ratio dashboard/hello      : {dash / hello:.3f}  (hello is {hello / dash:.1f}x faster)")
        print(f"ratio dashboard/hello (s.) : {dash / hello_session:.3f}  (same middleware and session cost)")
    except Exception:
        log_path = var_dir / "granian.log"
        if log_path.exists():
            print(log_path.read_text(errors="replace")[-3000:])
        raise
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
