"""The README's production command, started as a subprocess by the page benchmark and the server test.

The command is read from README.md (the line that starts with ``PRODUCTION_PREFIX`` in the
"Production" section), so what is measured and tested is what the README tells people to run;
only the address (``--host``/``--port``) and, for the benchmark, the settings module change.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_PREFIX = "DJANGO_SETTINGS_MODULE=guichet.settings.prod granian "
# What the README said before issue 15 (no pool, no sizing), for a tree that has no such line.
FALLBACK = "DJANGO_SETTINGS_MODULE=guichet.settings.prod granian --interface wsgi guichet.wsgi:application"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_command(root: Path = ROOT) -> tuple[dict[str, str], list[str]]:
    """(environment assignments, argv) of the README's production command."""
    lines = (root / "README.md").read_text().splitlines()
    line = next((ln.strip() for ln in lines if ln.startswith(PRODUCTION_PREFIX)), FALLBACK)
    words = shlex.split(line)
    first = next(i for i, w in enumerate(words) if "=" not in w)  # NAME=value words come first
    return dict(w.split("=", 1) for w in words[:first]), words[first:]


def bench_env(
    database_url: str, var_dir: Path, settings: str = "tests.bench.settings_prod"
) -> dict[str, str]:
    """The environment production needs, on loopback without TLS (no HTTPS redirect)."""
    return {
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "GUICHET_VAR_DIR": str(var_dir),
        # Page fragments in Redis (production's default) under this run's own prefix: a database
        # flushed and filled again, or another engineer's run, never reads this one's fragments.
        "GUICHET_CACHE_PREFIX": f"bench-{uuid.uuid4().hex[:12]}",
    }


class Server:
    """The production command on ``port`` with ``env`` on top of the README's own assignments."""

    def __init__(
        self, env: dict[str, str], port: int, log: Path, root: Path = ROOT, workers: int | None = None
    ) -> None:
        self.port, self.log, self.root = port, log, root
        readme_env, argv = production_command(root)
        if workers is not None:  # the benchmark measures one worker, as the figures did
            argv = [a for i, a in enumerate(argv) if a != "--workers" and argv[i - 1] != "--workers"]
            argv[1:1] = ["--workers", str(workers)]
        granian = shutil.which("granian", path=str(Path(sys.executable).parent)) or argv[0]
        self.command = [granian, *argv[1:-1], "--host", "127.0.0.1", "--port", str(port), "--no-ws", argv[-1]]
        self.env = {**os.environ, **readme_env, **env, "PYTHONPATH": str(root)}
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(
            self.command, cwd=self.root, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log.open("wb")
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"granian exited with {self.proc.returncode}: {tail}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("granian did not start in time")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
