"""Links in emails are absolute and point at the port the site is served on (issue 16).

"Votre espace client est prêt !" used to point at "/espace/documents/" (no host: the site URL setting
was unset), and the demo printed port 8000 whatever ``PORT`` was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from guichet.notifications.email import send_email

ROOT = Path(__file__).resolve().parents[3]


def _site_url_with(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("PORT", "GUICHET_SITE_URL")}
    code = "import django; django.setup(); from django.conf import settings; print(settings.GUICHET_SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "guichet.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_site_url_defaults_to_the_port_the_demo_serves():
    assert _site_url_with(PORT="8123") == "http://127.0.0.1:8123"


def test_site_url_comes_from_the_environment_without_a_trailing_slash():
    assert (
        _site_url_with(GUICHET_SITE_URL="https://espace.credit-demo.fr/") == "https://espace.credit-demo.fr"
    )


@pytest.mark.django_db
def test_financing_confirmation_links_to_the_documents_with_an_absolute_url(mailbox, settings):
    send_email(
        to="camille@example.fr",
        subject="Votre espace client est prêt !",
        template="financing_confirmation",
        context={"documents_path": "/espace/documents/"},
    )
    body = mailbox.text(mailbox.messages[-1])
    assert settings.GUICHET_SITE_URL.startswith("http")
    assert f"{settings.GUICHET_SITE_URL}/espace/documents/" in body
