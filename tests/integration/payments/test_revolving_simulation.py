"""Revolving products in the simulations (issue 12): the page and /api/v1/simulations/new-credit offer the
catalogue's revolving products; the figures (minimum payment of D312-27 at the product's speed, duration,
daily interest at the tier of the amount used, insurance at the sheet's rate of the monthly amount owed
rounded up to the décime, the contract's TAEG) are recomputed here from the rules, not from the module."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from guichet.catalogue.models import InsuranceOption
from guichet.credit import EUR, Money
from guichet.payments.simulations import SimulationRefused, simulate_product
from tests.factories import make_customer

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731
ON = date(2026, 11, 16)  # a quarter whose usury ceilings are recorded
DAYS = 30  # 16/11 → 16/12: the first statement's days


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-16 10:00:00+00:00", tick=False)  # the shipped 2022 sheet still in force


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _half_up(x: Fraction) -> int:
    return (2 * x.numerator + x.denominator) // (2 * x.denominator)


def _annuity(capital: int, annual: Fraction, months: int) -> int:
    i = annual / 12
    return _ceil(capital * i / (1 - (1 + i) ** -months))


def _option(code: str) -> int:
    return InsuranceOption.objects.get(
        product__code=code, adhesion_until__isnull=True, kind="on_outstanding_monthly"
    ).pk


def test_accessio_express_1000_euros_is_repaid_in_12_months_by_the_annuity_of_d312_27(tariff):
    r = simulate_product(product_code="accessio-express", amount=E("1000"), term_months=None, on=ON)
    assert r.revolving and r.term_months == 12  # Express: 12 months (< the legal 36 for a limit ≤ 3 000 €)
    assert r.debit_rate == Decimal("0.1219")  # the tier of the amount used (≤ 3 000 €)
    # the first payment is the annuity clearing K = 1 000 € over 12 months at r = the tier's TAEG 12,90 %
    assert r.installment.minor == _annuity(100_000, Fraction("0.1290"), 12)
    assert r.insurance_monthly == E("0") and r.insurance_total == E("0")
    assert r.total_due == r.amount + r.total_cost
    assert r.first_due_on == date(2026, 12, 16) and r.last_due_on == date(2027, 11, 16)


def test_the_insurance_is_the_sheets_rate_of_the_monthly_amount_owed_rounded_up_to_the_decime(tariff):
    r = simulate_product(product_code="accessio-confort", amount=E("1000"), term_months=None, on=ON,
                         insurance_option=_option("accessio-confort"))  # fmt: skip
    assert r.insurance_rate == Decimal("0.0065")  # adhesion after 11/03/2019
    interest = _half_up(Fraction(100_000) * Fraction("0.1934") * DAYS / 365)
    assert r.insurance_monthly.minor == _ceil((100_000 + interest) * Fraction("0.0065") / 10) * 10
    assert r.insurance_monthly.minor % 10 == 0 and r.insurance_total.minor > 0
    assert 12 < r.term_months <= 36  # Confort: within the legal period for a limit ≤ 3 000 €
    # with the insurance taken, r of D312-27 adds its annual cost: 21,15 % + 12 × 0,65 %
    assert r.installment.minor == _annuity(100_000, Fraction("0.2115") + 12 * Fraction("0.0065"), 36)
    assert r.total_cost == r.total_due - r.amount
    assert "assurance facultative (0,65\xa0%" in r.representative_example


def test_projelia_insurance_is_0_40_percent(tariff):
    r = simulate_product(product_code="projelia", amount=E("8000"), term_months=None, on=ON,
                         insurance_option=_option("projelia"))  # fmt: skip
    assert r.insurance_rate == Decimal("0.0040")
    interest = _half_up(Fraction(800_000) * Fraction("0.0481") * DAYS / 365)
    assert r.insurance_monthly.minor == _ceil((800_000 + interest) * Fraction("0.0040") / 10) * 10
    assert 36 < r.term_months <= 60  # a limit above 3 000 €: within 60 months


def test_the_taeg_is_the_one_the_contract_would_disclose_with_its_daily_convention(tariff):
    from guichet.loans.services.revolving import open_revolving

    r = simulate_product(product_code="accessio-confort", amount=E("2000"), term_months=None, on=ON)
    line = open_revolving(product_code="accessio-confort", limit=E("2000"), start_on=ON,
                          customers=[make_customer()])  # fmt: skip
    assert r.taeg == line.taeg
    assert r.taeg != Decimal("0.2115")  # the daily convention, not the sheet's monthly figure
    assert r.usury_ok


def test_the_interest_and_the_total_due_follow_the_daily_convention_month_by_month(tariff):
    """Total interest recomputed from each statement's balance (the capital the simulation repaid)."""
    from guichet.catalogue.selectors import revolving_tiers
    from guichet.credit.revolving_simulation import simulate_revolving

    sim = simulate_revolving(used=E("1000"), tiers=revolving_tiers("accessio-express", ON), on=ON,
                             speed_months=12)  # fmt: skip
    start, total = ON, 0
    for st in sim.statements:
        days = (st.period_end - start).days
        assert st.interest.minor == _half_up(
            Fraction(st.opening_balance.minor) * Fraction("0.1219") * days / 365
        )
        total += st.interest.minor
        start = st.period_end
    assert sim.statements[-1].closing_balance.is_zero() and len(sim.statements) == 12
    r = simulate_product(product_code="accessio-express", amount=E("1000"), term_months=None, on=ON)
    assert r.total_cost.minor == total and r.total_due.minor == 100_000 + total


def test_the_api_offers_revolving_products_with_their_insurance(client, tariff):
    body = {
        "product_code": "accessio-confort",
        "amount": "1000.00",
        "insurance_option": _option("accessio-confort"),
    }
    res = client.post("/api/v1/simulations/new-credit", json.dumps(body), content_type="application/json")
    assert res.status_code == 200, res.content
    data = res.json()
    r = simulate_product(product_code="accessio-confort", amount=E("1000"), term_months=None, on=ON,
                         insurance_option=_option("accessio-confort"))  # fmt: skip
    assert data["kind"] == "revolving" and data["term_months"] == r.term_months
    assert data["insurance_monthly"] == f"{r.insurance_monthly.amount:.2f}" != "0.00"
    assert data["installment"] == f"{r.installment.amount:.2f}"
    assert data["insurance_rate"] == "0.0065"
    assert "crédit renouvelable de 1 000" in data["representative_example"].replace("\u202f", " ").replace(
        "\xa0", " "
    )


def test_usury_is_judged_on_the_amount_used_and_a_breach_is_said(tariff, time_machine):
    """On 15/03/2022 the daily convention gives 21,28 % for the ≤ 3 000 € tier, above that quarter's
    21,17 % ceiling: the simulation says so (as ``draw_revolving`` would refuse the drawdown)."""
    time_machine.move_to("2022-03-15 10:00:00+00:00", tick=False)
    r = simulate_product(
        product_code="accessio-confort", amount=E("1000"), term_months=None, on=date(2022, 3, 15)
    )
    assert not r.usury_ok and "21,17" in r.usury_message


def test_an_amortizable_product_still_needs_its_term(client, tariff):
    with pytest.raises(SimulationRefused, match="durée"):
        simulate_product(product_code="pret-sur-mesure", amount=E("10000"), term_months=None, on=ON)


def test_the_public_page_lists_revolving_products_and_shows_their_insurance(client, tariff):
    url = reverse("portal:simulate_credit")
    page = client.get(url).content.decode()
    assert 'value="accessio-confort"' in page and 'value="projelia"' in page
    option = _option("accessio-confort")
    html = client.get(url, {"product": "accessio-confort", "amount": "1000", "term": "60",
                            "insurance": option}).content.decode()  # fmt: skip
    r = simulate_product(product_code="accessio-confort", amount=E("1000"), term_months=None, on=ON,
                         insurance_option=option)  # fmt: skip
    assert "TAEG révisable" in html and f">{r.term_months}<" in html
    from guichet.lenders.formatting import format_money

    assert format_money(r.insurance_monthly) in html and r.insurance_monthly.minor > 0
