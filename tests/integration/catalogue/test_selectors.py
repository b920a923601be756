"""Product lookup: rates, insurance and refusals for a product, amount, term and date (EUR and XPF)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from guichet.catalogue import selectors
from guichet.catalogue.exceptions import NoTariffInForce, OutOfRange, UnknownProduct
from guichet.catalogue.services import load_tariff
from guichet.credit import EUR, XPF, Money

pytestmark = pytest.mark.django_db
ON = date(2022, 6, 1)


def terms(code: str, amount: Money, term: int, on: date = ON, **kw):
    return selectors.product_terms(product_code=code, amount=amount, term_months=term, on=on, **kw)


def test_personal_loan_terms_follow_the_amount_tier(tariff):
    # Seed 004, Prêt Sur Mesure: ≤ 3 000 € 19,34 % / 21,15 %; 3 000–6 000 € 9,37 % / 9,78 %;
    # > 6 000 € 4,80 % / 4,91 %.
    assert (terms("pret-sur-mesure", Money.of("3000.00", EUR), 36).debit_rate) == Decimal("0.1934")
    middle = terms("pret-sur-mesure", Money.of("3000.01", EUR), 36)
    assert (middle.debit_rate, middle.max_taeg) == (Decimal("0.0937"), Decimal("0.0978"))
    top = terms("pret-sur-mesure", Money.of("35000.00", EUR), 84)
    assert (top.debit_rate, top.max_taeg, top.daily_period_rate) == (
        Decimal("0.048"),
        Decimal("0.0491"),
        None,
    )
    assert top.tariff.effective_on == date(2022, 1, 1) and top.kind == "amortizable"


def test_lookup_costs_a_fixed_number_of_queries(tariff, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        found = terms("rachat", Money.of("20000.00", EUR), 120, borrower_age=50)
        assert len(found.insurance_options) == 4


def test_a_term_outside_the_product_range_is_refused_with_a_clear_message(tariff):
    with pytest.raises(OutOfRange) as err:
        terms("projexio", Money.of("10000.00", EUR), 200)
    assert str(err.value) == "La durée de 200 mois est hors de la plage de Projexio (3 à 180 mois)."
    assert isinstance(err.value, ValueError)


def test_an_amount_outside_the_product_range_is_refused_with_a_clear_message(tariff):
    with pytest.raises(OutOfRange) as err:
        terms("fraxio-plus", Money.of("35000.01", EUR), 24)
    # Amounts are formatted as babel does for fr_FR: U+202F between thousands, U+00A0 before €.
    expected = "Le montant de 35 000,01 € est hors de la plage de Fraxio Plus (200,00 € à 35 000,00 €)."
    assert str(err.value) == expected.replace("35 ", "35\u202f").replace(" €", "\u00a0€")


def test_the_term_band_assumed_for_the_amount_narrows_the_term(tariff):
    with pytest.raises(
        OutOfRange,
        match=r"La durée de 60 mois est hors de la plage de Prêt Sur Mesure pour 2.500,00.€ \(6 à 48 mois\)",
    ):
        terms("pret-sur-mesure", Money.of("2500.00", EUR), 60)
    assert terms("pret-sur-mesure", Money.of("2500.00", EUR), 48).max_term_months == 48


def test_split_and_fixed_count_products_check_the_number_of_payments(tariff):
    assert terms("4xcb", Money.of("800.00", EUR), 4).max_taeg == Decimal("0.2115")
    with pytest.raises(OutOfRange, match="3 à 33 mois"):
        terms("fraxio-3-33x", Money.of("800.00", EUR), 36)


def test_revolving_tier_goes_by_used_amount_and_term_is_not_checked(tariff):
    used = terms("accessio-express", Money.of("2999.99", EUR), 0)
    assert (used.debit_rate, used.daily_period_rate) == (Decimal("0.1219"), Decimal("0.0003341"))
    with pytest.raises(OutOfRange, match=r"Le montant utilisé de 6.000,01.€ est hors de la plage de Fraxio"):
        terms("fraxio-petites-mensualites", Money.of("6000.01", EUR), 0)


def test_revolving_insurance_offered_on_a_date_is_the_one_open_to_new_adhesions(tariff):
    # Seed 004: 0,60 % for adhesions up to 11/03/2019, 0,65 % after.
    assert [o.rate for o in terms("modulcio-rapide", Money.of("100.00", EUR), 0).insurance_options] == [
        Decimal("0.0065")
    ]
    old = terms("modulcio-rapide", Money.of("100.00", EUR), 0, on=date(2022, 1, 1))
    assert all(o.open_on(date(2022, 1, 1)) for o in old.insurance_options)
    grid = selectors.insurance_grid("modulcio-rapide", ON)
    assert [(o.rate, o.adhesion_until) for o in grid] == [
        (Decimal("0.006"), date(2019, 3, 11)),
        (Decimal("0.0065"), None),
    ]


def test_insurance_options_follow_the_borrower_age_band(tariff):
    # Seed 004, Prêt Sur Mesure grid: Senior 60-80 ans, 78 ans maximum à l'adhésion.
    senior = terms("pret-sur-mesure", Money.of("10000.00", EUR), 60, borrower_age=78).insurance_options
    assert {(o.cover, o.heads, o.rate) for o in senior} == {
        ("DC/PTIA/ITT", 1, Decimal("0.0021")),
        ("DC/PTIA/ITT", 2, Decimal("0.0033")),
        ("DC/PTIA/ITT/PE", 1, Decimal("0.003")),
        ("DC/PTIA/ITT/PE", 2, Decimal("0.0046")),
    }
    assert terms("pret-sur-mesure", Money.of("10000.00", EUR), 60, borrower_age=79).insurance_options == ()
    junior = terms("pret-sur-mesure", Money.of("10000.00", EUR), 60, borrower_age=39).insurance_options
    assert {o.age_band for o in junior} == {"Junior"}
    assert len(selectors.insurance_grid("pret-sur-mesure", ON)) == 12


def test_xpf_amounts_are_served_at_the_fixed_parity(tariff):
    # 1 000 XPF = 8,38 €: "≤ 3 000 €" is ≤ 357 995 XPF.
    assert terms("pret-sur-mesure", Money.of(357995, XPF), 24).debit_rate == Decimal("0.1934")
    above = terms("pret-sur-mesure", Money.of(357996, XPF), 24)
    assert above.debit_rate == Decimal("0.0937")
    assert (above.min_amount, above.max_amount) == (Money.of(23867, XPF), Money.of(4176610, XPF))
    with pytest.raises(
        OutOfRange, match=r"Le montant de 4.176.611.XPF est hors de la plage de Prêt Sur Mesure"
    ):
        terms("pret-sur-mesure", Money.of(4176611, XPF), 24)
    tiers = selectors.revolving_tiers("accessio-express", ON, in_currency=XPF)
    assert [t.up_to for t in tiers] == [Money.of(357995, XPF), Money.of(715990, XPF), None]


def test_lookup_uses_the_tariff_in_force_on_the_date(tariff, later_tariff_file):
    load_tariff(path=later_tariff_file)
    amount = Money.of("2000.00", EUR)
    assert terms("pret-sur-mesure", amount, 24, on=date(2022, 12, 31)).debit_rate == Decimal("0.1934")
    newer = terms("pret-sur-mesure", amount, 24, on=date(2023, 1, 1))
    assert (newer.debit_rate, newer.tariff.effective_on) == (Decimal("0.18"), date(2023, 1, 1))
    assert len(selectors.products_on(on=date(2023, 6, 1))) == 31


def test_unknown_product_and_dates_before_any_tariff_are_refused(tariff):
    with pytest.raises(UnknownProduct, match="« pret-perso » n'existe pas"):
        terms("pret-perso", Money.of("1000.00", EUR), 12)
    with pytest.raises(NoTariffInForce, match="Aucun tarif n'est en vigueur au 31/12/2021"):
        terms("projexio", Money.of("1000.00", EUR), 12, on=date(2021, 12, 31))


def test_products_on_filters_by_family_and_kind(tariff):
    assert [p.code for p in selectors.products_on(on=ON, family="consolidation")] == ["rachat"]
    assert len(selectors.products_on(on=ON, kind="revolving")) == 18
    assert len(selectors.products_on(on=ON, family="split")) == 4


def test_services_of_the_tariff(tariff):
    policy = selectors.complaint_policy(ON)
    assert (policy.acknowledge_within_days, policy.answer_within_months) == (10, 2)
    assert "75854 PARIS Cedex 17" in policy.mediator_address
    old_card = {f.code: f.amount for f in selectors.card_fees(ON, card_requested_on=date(2012, 5, 1))}
    new_card = {f.code: f for f in selectors.card_fees(ON, card_requested_on=date(2013, 9, 10))}
    assert old_card["annual_fee"] == Money.of("24.00", EUR) and new_card["annual_fee"].amount.minor == 0
    assert new_card["atm_withdrawal"].amount == Money.of("1.00", EUR)
    assert new_card["store_payment_cap"].period_days == 30
    assert selectors.card_fees(ON, product_code="projelia") == []
    margins = {m.currency_code: m.margin_percent for m in selectors.fx_margins(ON)}
    assert margins["HUF"] == Decimal("1.18913")
    assert "{margin}" in selectors.clause("fx", ON)["notification_text"]
    assert all(f.amount.minor == 0 for f in selectors.management_fees(ON))


def test_a_missing_term_skips_the_term_check_but_not_the_amount_check(tariff):
    assert terms("projexio", Money.of("10000.00", EUR), None).max_term_months == 180
    with pytest.raises(OutOfRange, match="Le montant de 100,00"):
        terms("projexio", Money.of("100.00", EUR), None)


def test_refusals_are_translated_when_the_customer_reads_english(tariff):
    from django.utils import translation

    with translation.override("en"), pytest.raises(OutOfRange) as err:
        terms("projexio", Money.of("10000.00", EUR), 200)
    assert str(err.value) == "A term of 200 months is outside the range of Projexio (3 to 180 months)."
