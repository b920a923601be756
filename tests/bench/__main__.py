"""Benchmark runner: ``python -m tests.bench [name ...]`` runs every ``tests/bench/bench_*.py`` ``main()``.

``python -m tests.bench apr`` runs ``bench_apr`` only. Sizes scale with ``GUICHET_BENCH_SCALE``
(default 1 keeps each benchmark under about two minutes on two cores). Benchmarks print their
figures and never fail on time; a benchmark that raises makes the run exit with status 1.
Modules that need Django call ``django.setup()`` themselves; the settings default to the test ones.
Each benchmark runs in its own Python process, so that one's database and settings (a temporary
SQLite file, a PostgreSQL database it flushes) cannot leak into the next.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path


def discover(names: list[str]) -> list[str]:
    found = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if not names:
        return found
    wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in names}
    unknown = wanted - set(found)
    if unknown:
        raise SystemExit(f"Unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(found)}")
    return [f for f in found if f in wanted]


def run(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.test")
    failures = 0
    for name in discover(argv):
        print(
            f"\n=== {name} (GUICHET_BENCH_SCALE={os.environ.get('GUICHET_BENCH_SCALE', '1')}) ===", flush=True
        )
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", "tests.bench", "--one", name])
        failures += code != 0
        print(f"--- {name}: {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failures else 0


def run_one(name: str) -> int:
    try:
        importlib.import_module(f"tests.bench.{name}").main()
    except Exception:  # reported; the runner goes on with the other benchmarks
        traceback.print_exc()
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.test")
        sys.exit(run_one(sys.argv[2]))
    sys.exit(run(sys.argv[1:]))
