"""Issue 11, item 9: the JSON API matches its OpenAPI document. Schemathesis (``st run``, every check:
no server error, status codes, content types, headers and bodies as documented, schema-invalid bodies
rejected, schema-valid ones never answered 422) runs against a live server on PostgreSQL, once as an
anonymous client and once as a signed-in customer (session cookie + CSRF token), with a fixed seed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.factories import make_contract, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ST = Path(sys.executable).with_name("st")
SEED = "20261202"
EXAMPLES = "25"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("schemathesis runs against a live server on PostgreSQL (CI)")


@pytest.fixture
def tariff(time_machine):
    from guichet.catalogue.services import load_tariff

    # The live server's thread shares the frozen clock: the shipped sheet is the tariff in force.
    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=True)
    return load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml").tariff


def _schemathesis(live_server, *headers: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(ST),
        "run",
        f"{live_server.url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        EXAMPLES,
        "--seed",
        SEED,
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--no-color",
    ]
    for header in headers:
        command += ["-H", header]
    # In a temporary folder: schemathesis keeps its example database in ./.schemathesis.
    return subprocess.run(command, capture_output=True, text=True, timeout=240, check=False, cwd=cwd)


def _signed_in_headers(live_server) -> list[str]:
    user = make_user()
    make_contract(user.customer)
    client = Client()
    client.force_login(user)
    client.get("/espace/")
    session, csrf = client.cookies[settings.SESSION_COOKIE_NAME].value, client.cookies["csrftoken"].value
    return [f"Cookie: {settings.SESSION_COOKIE_NAME}={session}; csrftoken={csrf}", f"X-CSRFToken: {csrf}"]


def test_the_api_answers_as_its_openapi_document_says_to_an_anonymous_client(
    live_server, tariff, tmp_path
) -> None:
    result = _schemathesis(live_server, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_api_answers_as_its_openapi_document_says_to_a_signed_in_customer(
    live_server, tariff, tmp_path
) -> None:
    result = _schemathesis(live_server, *_signed_in_headers(live_server), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # The session and the token were accepted: the contract routes answered more than 401/403.
    refused = re.search(r"401 Unauthorized[^\n]*\n((?:\s+- [^\n]*\n)+)", result.stdout)
    assert refused is None or "/simulations/" not in refused.group(1), refused.group(1)
