"""Production settings (``guichet.settings.prod``: pool, DEBUG off) with the benchmark-only ``/hello/``."""

from guichet.settings.prod import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
