"""Simulation endpoint throughput: requests/s and p95 latency of a 60-month new-credit simulation
(POST /api/v1/simulations/new-credit) against the ``portal:hello`` view, in the same run, on a real
server subprocess (granian, WSGI, one worker; runserver --noreload if granian does not start).

A fresh SQLite database under a temporary directory gets the migrations and the shipped tariff.
Requests are bounded (``GUICHET_BENCH_SCALE`` scales them) and sent by 4 client threads with
keep-alive connections. Prints figures; never fails on time.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.bench._common import scaled

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
THREADS = 4
BODY = json.dumps({"product_code": "pret-sur-mesure", "amount": "10000.00", "term_months": 60})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.bench.settings_test",  # /hello/ is bench-only
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        GUICHET_VAR_DIR=str(tmp),
        PYTHONPATH=str(ROOT),
    )
    return env


def _prepare(env: dict[str, str]) -> None:
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "load_tariff", str(ROOT / "data" / "tariffs" / "2022-01-01.toml")],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def _wait(port: int, timeout: float = 30) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/hello/")
            if conn.getresponse().status == 200:
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _start(env: dict[str, str]) -> tuple[subprocess.Popen, int, str]:
    port = _free_port()
    granian = [
        PY,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "guichet.wsgi:application",
    ]
    proc = subprocess.Popen(granian, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if _wait(port):
        return proc, port, "granian (WSGI, 1 worker)"
    proc.terminate()
    proc.wait()
    port = _free_port()
    runserver = [PY, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(
        runserver, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    if not _wait(port):
        proc.terminate()
        raise RuntimeError("The benchmark server did not start.")
    return proc, port, "runserver --noreload"


def _load(port: int, method: str, path: str, body: str | None, total: int) -> tuple[float, list[float]]:
    per_thread = max(1, total // THREADS)

    def worker(_k: int) -> list[float]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json"} if body else {}
        out = []
        for _i in range(per_thread):
            t0 = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise RuntimeError(f"{path} answered {resp.status}")
            out.append(time.perf_counter() - t0)
        conn.close()
        return out

    started = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        latencies = [x for chunk in pool.map(worker, range(THREADS)) for x in chunk]
    return time.perf_counter() - started, latencies


def _report(name: str, elapsed: float, lat: list[float]) -> None:
    p95 = statistics.quantiles(lat, n=20)[-1] * 1000
    print(
        f"  {name:<34} {len(lat):>5} req  {len(lat) / elapsed:8.1f} req/s"
        f"  p50 {statistics.median(lat) * 1000:6.1f} ms"
        f"  p95 {p95:6.1f} ms"
    )


def main() -> None:
    total = scaled(800, minimum=40)
    with tempfile.TemporaryDirectory(prefix="guichet-bench-") as tmp:
        env = _env(Path(tmp))
        _prepare(env)
        proc, port, server = _start(env)
        try:
            _load(port, "POST", "/api/v1/simulations/new-credit", BODY, 20)  # warm-up
            print(f"simulation endpoint vs hello — {server}, {THREADS} client threads, {total} requests each")
            _report("GET /hello/ (portal:hello)", *_load(port, "GET", "/hello/", None, total))
            _report(
                "POST new-credit 10 000 € / 60 months",
                *_load(port, "POST", "/api/v1/simulations/new-credit", BODY, total),
            )
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
