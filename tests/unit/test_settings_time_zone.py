""" "Today" is the lender's: the settings take the time zone of the lender profile the deployment serves."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("lender", "zone"), [("fr", "Europe/Paris"), ("nc", "Pacific/Noumea")])
def test_time_zone_comes_from_the_lender_profile(lender, zone):
    code = (
        "import django; django.setup(); from django.conf import settings; from django.utils import timezone;"
        "from datetime import datetime, UTC; import time_machine;"
        "t = time_machine.travel(datetime(2026, 11, 23, 22, 0, tzinfo=UTC), tick=False); t.start();"
        "print(settings.TIME_ZONE, timezone.localdate().isoformat())"
    )
    env = {**os.environ, "GUICHET_LENDER": lender, "DJANGO_SETTINGS_MODULE": "guichet.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    # 22:00 UTC on 23 November is still the 23rd in Paris and already the 24th in Nouméa (UTC+11).
    expected_day = "2026-11-24" if lender == "nc" else "2026-11-23"
    assert out.stdout.split() == [zone, expected_day]
