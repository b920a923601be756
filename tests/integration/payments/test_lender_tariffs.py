"""Each lender simulates its own products in its own currency (issue 16): the New Caledonian lender
loads its own XPF tariff (data/tariffs/nc-2022-01-01.toml, named by data/lenders/nc.toml) and its
simulation page, API and back-office application form offer only those products, priced in francs
CFP, with no euro threshold; the French lender keeps seed 004's sheet."""

from __future__ import annotations

import json
import re

import pytest

from guichet.catalogue import demo as catalogue_demo
from guichet.catalogue.models import Product, Tariff
from guichet.lenders.profile import _profile_for, get_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-12-02 10:00:00+00:00", tick=False)


@pytest.fixture
def lender(settings, request):
    """Serve as the lender named by the test's parameter and load the tariff its profile names."""
    settings.GUICHET_LENDER = request.param
    _profile_for.cache_clear()
    catalogue_demo.seed(profile=get_profile())
    yield get_profile()
    _profile_for.cache_clear()


def _options(page: str) -> list[str]:
    select = re.search(r'<select id="product"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="([^"]+)"', select)


@pytest.mark.parametrize("lender", ["nc"], indirect=True)
def test_the_new_caledonian_lender_loads_its_own_tariff_in_xpf(lender) -> None:
    tariff = Tariff.objects.get()
    assert tariff.currency == "XPF" and tariff.source_file.startswith("nc-")
    assert set(Product.objects.values_list("code", flat=True)) == {"pret-personnel", "loa", "rachat"}
    assert set(Product.objects.values_list("currency", flat=True)) == {"XPF"}
    personal = Product.objects.get(code="pret-personnel")
    assert personal.max_amount_minor == 9_000_000  # francs, no decimals (XPF exponent 0)


@pytest.mark.parametrize("lender", ["nc"], indirect=True)
def test_the_new_caledonian_simulation_page_lists_its_products_in_xpf_with_no_euro(client, lender) -> None:
    form = client.get("/simulations/credit/").content.decode()
    assert _options(form) == ["pret-personnel"]  # the lease is not a loan to simulate
    assert "Prêt Sur Mesure" not in form and "Projexio" not in form and "€" not in form
    assert 'value="1000000"' in form  # a first amount the product lends, in francs
    page = client.get(
        "/simulations/credit/", {"product": "pret-personnel", "amount": "1000000", "term": "48"}
    ).content.decode()
    assert "€" not in page and "XPF" in page
    assert "4,80" in page  # the > 715 990 XPF tier of the NC demo sheet
    consolidation = client.get("/simulations/regroupement/").content.decode()
    hint = re.search(r'<p class="hint" id="limits">(.*?)</p>', consolidation, re.S).group(1)
    assert "9\u202f000\u202f000" in hint.replace("\xa0", "\u202f") and "XPF" in hint and "€" not in hint


@pytest.mark.parametrize("lender", ["nc"], indirect=True)
def test_the_new_caledonian_api_simulates_its_own_product_and_refuses_the_french_one(client, lender) -> None:
    def post(code: str):
        body = {"product_code": code, "amount": "1000000", "term_months": 48}
        return client.post(
            "/api/v1/simulations/new-credit", data=json.dumps(body), content_type="application/json"
        )

    ok = post("pret-personnel")
    assert ok.status_code == 200, ok.content
    assert ok.json()["currency"] == "XPF" and ok.json()["debit_rate"].startswith("0.048")
    assert "." not in ok.json()["installment"]  # whole francs
    assert post("pret-sur-mesure").status_code == 409  # seed 004's product is not this lender's


@pytest.mark.parametrize("lender", ["nc"], indirect=True)
def test_the_new_caledonian_back_office_offers_its_own_products(lender) -> None:
    from guichet.backoffice.views.applications import ApplicationForm

    codes = [code for code, _ in ApplicationForm().fields["product"].choices]
    assert codes == ["pret-personnel", "rachat"]


@pytest.mark.parametrize("lender", ["fr"], indirect=True)
def test_the_french_lender_still_simulates_seed_004_in_euros(client, lender) -> None:
    assert Tariff.objects.get().currency == "EUR"
    form = client.get("/simulations/credit/").content.decode()
    assert "pret-sur-mesure" in _options(form) and "pret-personnel" not in _options(form)
    assert 'value="10000"' in form
    page = client.get(
        "/simulations/credit/", {"product": "pret-sur-mesure", "amount": "10000", "term": "60"}
    ).content.decode()
    assert "€" in page and "XPF" not in page
