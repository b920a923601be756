"""Shared helpers for the benchmarks: scale from the environment and a timer."""

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
