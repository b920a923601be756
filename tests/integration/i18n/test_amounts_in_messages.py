"""A message built in Python names amounts and rates as the page around it does: one formatter for
people (``lenders.formatting.Formatter.current``), in the active language and the lender's pattern."""

from __future__ import annotations

import pytest
from django.utils import translation

from guichet.payments.amounts import AmountRefused, parse_amount

pytestmark = pytest.mark.django_db


@pytest.fixture
def tariff(db, time_machine):
    from django.conf import settings

    from guichet.catalogue.services import load_tariff

    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)
    return load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml").tariff


def test_a_refused_amount_names_the_ceiling_in_the_language_of_the_page(tariff) -> None:
    with translation.override("en"), pytest.raises(AmountRefused) as refused:
        parse_amount("80000.01")
    assert "€80,000.00" in str(refused.value)
    with pytest.raises(AmountRefused) as refused:
        parse_amount("80000.01")
    assert "80\u202f000,00\u00a0€" in str(refused.value)
