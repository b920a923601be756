"""End-to-end fixtures: Debian's Chromium driven by pytest-playwright against pytest-django's live server.

Browsers cannot be downloaded here, so the session fixture ``browser_type_launch_args`` points
Playwright at /usr/bin/chromium (STACK-NOTES.md).
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def use_demo_seal_and_private_storage(settings, tmp_path, *, organisation: str) -> None:
    """A demo seal made for ``organisation`` (no time-stamping authority) and uploads kept under
    ``tmp_path``: what every journey that seals or stores a document needs."""
    from guichet.signing.certificates import make_demo_certificates

    files = make_demo_certificates(directory=tmp_path / "seal", organisation=organisation)
    settings.GUICHET_SEAL_KEY, settings.GUICHET_SEAL_CERT, settings.GUICHET_SEAL_CA = (
        files.key,
        files.cert,
        files.ca,
    )
    settings.GUICHET_TSA_URL = ""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
