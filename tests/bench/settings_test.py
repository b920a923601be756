"""Test settings with the benchmark-only ``/hello/`` (the SQLite benchmarks: dashboard, simulation)."""

from guichet.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
