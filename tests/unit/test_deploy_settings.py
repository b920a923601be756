"""Production settings: `check --deploy` is clean given a secret; without one, start-up stops."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, secret: str | None) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(DJANGO_SETTINGS_MODULE="guichet.settings.prod", DJANGO_ALLOWED_HOSTS="guichet.example")
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_prod_settings_and_a_secret():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", secret=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_prod_settings_refuse_to_start_without_a_secret_key():
    result = _manage("check", secret=None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
