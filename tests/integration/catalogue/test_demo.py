"""The demo seeding loads the tariff the lender profile names, once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

from guichet.catalogue import demo
from guichet.catalogue.models import Tariff
from guichet.lenders.profile import load_profile

pytestmark = pytest.mark.django_db
LENDERS = Path(__file__).resolve().parents[3] / "data" / "lenders"


@pytest.mark.parametrize("code", ["fr", "nc"])
def test_seed_loads_the_profile_tariff_once(code):
    profile = load_profile(LENDERS / f"{code}.toml")
    out = StringIO()
    demo.seed(profile=profile, stdout=out)
    demo.seed(profile=profile, stdout=out)
    assert Tariff.objects.get().effective_on.isoformat() == profile.tariff
    first, second = out.getvalue().splitlines()
    assert "chargé (31 produits ; 1 ligne(s) incohérente(s)" in first
    assert "déjà chargé" in second
