"""The help page: opening hours from the lender profile and the open-now mark in the lender's time zone.

Hours come from the seeds: seed 000 "du lundi au vendredi de 8h à 20h et le samedi de 8h à 17h"
(data/lenders/fr.toml), seed 003 "Le vendredi en continu : de 7h45 à 15h" (data/lenders/nc.toml).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOUMEA = ZoneInfo("Pacific/Noumea")


def _open_mark(client) -> str:
    html = client.get(reverse("portal:support")).content.decode()
    start = html.index('id="open-now"')
    return html[start : start + 300]


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 21, 16, 59, tzinfo=PARIS), "Ouvert maintenant"),  # Saturday 16:59
        (datetime(2026, 11, 21, 17, 0, tzinfo=PARIS), "Fermé"),  # Saturday 17:00
        (datetime(2026, 11, 23, 7, 59, tzinfo=PARIS), "Fermé"),  # Monday 07:59
        (datetime(2026, 11, 23, 8, 0, tzinfo=PARIS), "Ouvert maintenant"),  # Monday 08:00
        (datetime(2026, 11, 22, 12, 0, tzinfo=PARIS), "Fermé"),  # Sunday
    ],
)
def test_french_support_is_open_saturday_until_17h_paris_time(client, settings, local, expected):
    settings.GUICHET_LENDER = "fr"
    with time_machine.travel(local, tick=False):
        assert expected in _open_mark(client)


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 20, 14, 59, tzinfo=NOUMEA), "Ouvert maintenant"),  # Friday 14:59
        (datetime(2026, 11, 20, 15, 0, tzinfo=NOUMEA), "Fermé"),  # Friday 15:00
        (datetime(2026, 11, 19, 15, 30, tzinfo=NOUMEA), "Ouvert maintenant"),  # Thursday 15:30
        (datetime(2026, 11, 19, 7, 44, tzinfo=NOUMEA), "Fermé"),  # Thursday 07:44
    ],
)
def test_new_caledonian_agency_closes_at_15h_on_friday_noumea_time(client, settings, local, expected):
    settings.GUICHET_LENDER = "nc"
    with time_machine.travel(local, tick=False):
        assert expected in _open_mark(client)


def test_support_page_lists_phone_hours_and_mediator(client, settings):
    settings.GUICHET_LENDER = "nc"
    html = client.get(reverse("portal:support")).content.decode()
    assert "448.448" in html
    assert "de 07:45 à 15:00" in html  # Friday row, seed 003
    assert "19 avenue du Maréchal Foch" in html
    assert "Médiateur" in html


def test_the_new_caledonian_support_page_gives_both_mailboxes_of_seed_003(client, settings):
    settings.GUICHET_LENDER = "nc"
    html = client.get(reverse("portal:support")).content.decode()
    assert "ops@credit-demo.nc" in html  # "pour toute autre demande"
    assert "service.commercial@credit-demo.nc" in html  # "Mes conseillers"


def test_the_french_support_page_has_no_empty_advisors_line(client):
    assert "Mes conseillers" not in client.get(reverse("portal:support")).content.decode()
