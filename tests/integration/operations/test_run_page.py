"""The business day seen from the back office: run page with progress and errors, retry, metrics endpoint."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.customers.models import User
from guichet.operations import engine, steps
from guichet.operations.models import Chunk
from tests.factories import make_contract, make_staff
from tests.integration.backoffice.helpers import staff_session

pytestmark = pytest.mark.django_db
ON = date(2026, 2, 10)


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.GUICHET_BUSINESS_DAY_BACKOFF_S = 0.0


def test_run_page_shows_each_step_with_its_chunks_progress_and_errors(client, monkeypatch) -> None:
    make_contract(start_on=date(2026, 1, 10))
    step = steps.BY_NAME["installments"]

    def broken(on, first_id, last_id):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setitem(steps.BY_NAME, "installments", steps.Step(step.name, step.label, step.plan, broken))
    engine.run_inline(on=ON)
    staff_session(client, make_staff(role=User.Role.SUPERVISOR))

    page = client.get("/backoffice/operations/2026-02-10/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Échéances exigibles" in html and "ledger unavailable" in html
    assert "<progress" in html and "Relancer les lots en échec" in html
    assert "2026-02-10" in client.get("/backoffice/operations/").content.decode()

    monkeypatch.setitem(steps.BY_NAME, "installments", step)
    retried = client.post("/backoffice/operations/2026-02-10/relancer")
    assert retried.status_code == 302
    assert not Chunk.objects.filter(status="failed").exists()


def test_an_advisor_sees_the_run_but_cannot_retry_it(client) -> None:
    engine.run_inline(on=ON)
    staff_session(client, make_staff(role=User.Role.ADVISOR))
    assert client.get("/backoffice/operations/2026-02-10/").status_code == 200
    assert client.post("/backoffice/operations/2026-02-10/relancer").status_code == 403


def test_metrics_endpoint_needs_the_bearer_token(client, settings) -> None:
    engine.run_inline(on=ON)
    settings.GUICHET_METRICS_TOKEN = ""
    assert client.get("/backoffice/operations/metrics").status_code == 404  # no token set: no endpoint
    settings.GUICHET_METRICS_TOKEN = "s3cret-scrape-token"
    assert client.get("/backoffice/operations/metrics").status_code == 404
    ok = client.get("/backoffice/operations/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/plain; version=0.0.4")
    assert 'guichet_business_day_status{date="2026-02-10"} 2' in ok.content.decode()
