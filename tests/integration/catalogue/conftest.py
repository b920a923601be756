"""Fixtures: the shipped tariff loaded once per test (the report is built as load_tariff does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guichet.catalogue.services import load_tariff

TARIFF = Path(__file__).resolve().parents[3] / "data" / "tariffs" / "2022-01-01.toml"


@pytest.fixture
def tariff(db):
    return load_tariff(path=TARIFF).tariff


@pytest.fixture
def later_tariff_file(tmp_path):
    """A 2023 tariff: the shipped one with a new effective date and PSM's first tier at 18 %."""
    text = TARIFF.read_text(encoding="utf-8")
    text = text.replace("effective_on = 2022-01-01\ncurrency", "effective_on = 2023-01-01\ncurrency", 1)
    old = (
        '{ up_to = "3000.00", debit_rate = "19.34", max_taeg = "21.15" },\n'
        '  { up_to = "6000.00", debit_rate = "9.37"'
    )
    assert old in text
    text = text.replace(old, old.replace('"19.34", max_taeg = "21.15"', '"18.00", max_taeg = "19.56"'), 1)
    path = tmp_path / "2023-01-01.toml"
    path.write_text(text, encoding="utf-8")
    return path
