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


@pytest.mark.parametrize(
    ("code", "loaded"),
    # Issue 16: the New Caledonian lender has its own XPF sheet, no longer seed 004's.
    [("fr", "chargé (31 produits ; 1 ligne(s) incohérente(s)"), ("nc", "chargé (3 produits ; 0 ligne(s)")],
)
def test_seed_loads_the_profile_tariff_once(code, loaded):
    profile = load_profile(LENDERS / f"{code}.toml")
    out = StringIO()
    demo.seed(profile=profile, stdout=out)
    demo.seed(profile=profile, stdout=out)
    tariff = Tariff.objects.get()
    assert tariff.source_file.endswith(f"{profile.tariff}.toml")
    assert tariff.currency == profile.currency.code
    first, second = out.getvalue().splitlines()
    assert loaded in first
    assert "déjà chargé" in second
