"""Shared helpers for the benchmarks: scale from the environment and two timers.

``timed`` is wall-clock time (servers, databases); ``cpu_timed`` is the CPU time of this process,
for pure-Python paths compared with each other in one run: on a machine shared with other jobs
the wall clock swings with their load, the CPU time much less, so the ratios stay meaningful.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def scale() -> float:
    return float(os.environ.get("GUICHET_BENCH_SCALE", "1"))


def scaled(n: int, minimum: int = 10) -> int:
    return max(minimum, int(n * scale()))


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def cpu_timed(fn: Callable[[], T]) -> tuple[T, float]:
    started = time.process_time()
    result = fn()
    return result, time.process_time() - started


def host_speed() -> float:
    """Seconds for a fixed pure-Python loop, printed beside a figure: this shared host's speed varies by
    up to 1.7× within an hour with no load or steal reported (docs/benchmarks.md)."""
    t0 = time.perf_counter()
    total = 0
    for i in range(20_000_000):
        total += i
    return time.perf_counter() - t0
