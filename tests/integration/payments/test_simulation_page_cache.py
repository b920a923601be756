"""The simulation page is a public cached fragment (issue 15): keyed by the tariff in force, the
form's values, the language and the day, so a new tariff or another language shows at once."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as dj_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.catalogue.services import load_tariff

pytestmark = pytest.mark.django_db
PAGE = "/simulations/credit/?product=pret-sur-mesure&amount=2000&term=24"  # PSM's first tier: 19,34 %


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)  # the shipped tariff is in force


@pytest.fixture
def page_cache(settings):
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {"default": {"BACKEND": locmem, "LOCATION": "simulation-page"}}


def _get(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PAGE)
    assert response.status_code == 200
    page = re.sub(r'(csrfmiddlewaretoken" value=|data-csrf=)"[^"]*"', r"\1", response.content.decode())
    return page, len(ctx.captured_queries)


def test_the_simulation_is_computed_once_then_served_from_the_cache(client, tariff, page_cache):
    first, cold = _get(client)
    assert "19,34" in first
    again, warm = _get(client)
    assert again == first and warm < cold


def test_a_new_tariff_in_force_shows_at_once(client, tariff, page_cache, tmp_path):
    assert "19,34" in _get(client)[0]
    text = (dj_settings.DATA_DIR / "tariffs" / "2022-01-01.toml").read_text(encoding="utf-8")
    text = text.replace("effective_on = 2022-01-01\ncurrency", "effective_on = 2022-03-01\ncurrency", 1)
    old = (
        '{ up_to = "3000.00", debit_rate = "19.34", max_taeg = "21.15" },\n'
        '  { up_to = "6000.00", debit_rate = "9.37"'
    )
    assert old in text  # Prêt Sur Mesure's first two tiers
    text = text.replace(old, old.replace('"19.34", max_taeg = "21.15"', '"18.00", max_taeg = "19.56"'), 1)
    path = tmp_path / "2022-03-01.toml"
    path.write_text(text, encoding="utf-8")
    load_tariff(path=path)
    page = _get(client)[0]
    assert "18,00" in page and "19,34" not in page


def test_another_language_is_another_fragment(client, tariff, page_cache):
    assert "Simuler un crédit" in _get(client)[0]
    client.cookies["django_language"] = "en"
    page = _get(client)[0]
    assert "Simuler un crédit" not in page and "19.34" in page
