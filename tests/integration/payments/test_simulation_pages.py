"""Simulation pages (issue 16): an insurance can be chosen, the chart says its bars are years, and
the New Caledonian lender is shown its ceilings in francs CFP, never in euros."""

from __future__ import annotations

import re
from datetime import date

import pytest

from guichet.catalogue.models import InsuranceOption
from guichet.lenders.profile import _profile_for
from tests.factories import make_contract, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    # The shipped tariff is the 1 Jan 2022 sheet; simulate while it is the tariff in force.
    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)


@pytest.fixture
def nc(settings):
    settings.GUICHET_LENDER = "nc"
    _profile_for.cache_clear()
    yield
    _profile_for.cache_clear()


def _dd(page: str, label: str) -> str:
    match = re.search(rf"{re.escape(label)}</dt><dd[^>]*>([^<]+)</dd>", page)
    assert match, label
    return match.group(1)


def test_the_credit_simulation_offers_the_products_insurance_and_prices_it(client, tariff) -> None:
    option = InsuranceOption.objects.filter(
        product__code="pret-sur-mesure", kind="monthly_on_borrowed", heads=1, cover="DC/PTIA/ITT"
    ).order_by("position")[0]
    form = client.get("/simulations/credit/").content.decode()
    assert f'<option value="{option.pk}">' in form and "Sans assurance" in form
    query = {"product": "pret-sur-mesure", "amount": "10000", "term": "60"}
    bare = client.get("/simulations/credit/", query).content.decode()
    insured = client.get("/simulations/credit/", {**query, "insurance": option.pk}).content.decode()
    assert _dd(bare, "Assurance par mois") == "0,00\xa0€"
    assert _dd(insured, "Assurance par mois") == "16,00\xa0€"  # 0,16 % × 10 000 € a month (seed 004)
    assert f'<option value="{option.pk}" selected>' in insured


def test_the_chart_says_its_bars_are_years(client, tariff) -> None:
    query = {"product": "pret-sur-mesure", "amount": "10000", "term": "60"}
    page = client.get("/simulations/credit/", query).content.decode()
    assert "Années du crédit" in page


def test_the_new_caledonian_consolidation_page_announces_its_ceiling_in_xpf(client, nc) -> None:
    from django.conf import settings

    from guichet.catalogue.services import load_tariff

    # The NC lender's own sheet (issue 16): its « Regroupement de crédits » goes up to 9 000 000 XPF.
    load_tariff(path=settings.DATA_DIR / "tariffs" / "nc-2022-01-01.toml")
    page = client.get("/simulations/regroupement/").content.decode()
    hint = re.search(r'<p class="hint" id="limits">(.*?)</p>', page, re.S).group(1)
    assert "9\u202f000\u202f000" in hint.replace("\xa0", "\u202f") and "XPF" in hint
    assert "€" not in hint


def test_the_new_caledonian_early_repayment_page_gives_the_d312_15_threshold_in_xpf(client, nc) -> None:
    user = make_user()
    contract = make_contract(
        user.customer, amount=600000, term_months=24, currency_code="XPF", start_on=date(2022, 1, 10)
    )
    client.force_login(user)
    path = f"/espace/contrats/{contract.number}/remboursement-anticipe/"
    page = client.get(path, {"on": "2022-03-20"}).content.decode()
    assert 'id="quote"' in page
    assert "10 000 €" not in page
    assert "1\u202f193\u202f317" in page.replace("\xa0", "\u202f")
