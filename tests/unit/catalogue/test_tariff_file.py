"""The tariff file: seed 004 transcribed completely, and a broken file refused with its line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from guichet.catalogue.exceptions import TariffFileError
from guichet.catalogue.tariff_file import parse_tariff, read_tariff
from guichet.credit import EUR, Money

from .helpers import SEED_004_PRODUCTS, TARIFF, line_of, parse_variant, tariff_text


@pytest.fixture(scope="module")
def tariff():
    return read_tariff(TARIFF)


def test_every_product_of_seed_004_is_in_the_file_in_sheet_order(tariff):
    assert [p.code for p in tariff.products] == SEED_004_PRODUCTS
    assert len(tariff.products) == 31


def test_families_follow_the_sections_of_the_sheet(tariff):
    families = {
        f: [p.code for p in tariff.products if p.family == f] for f in {p.family for p in tariff.products}
    }
    assert len(families["split"]) == 4
    assert len(families["revolving"]) == 18
    assert len(families["amortizable"]) == 7
    assert families["personal_loan"] == ["pret-sur-mesure"]
    assert families["consolidation"] == ["rachat"]
    assert all(p.kind == "revolving" for p in tariff.products if p.family == "revolving")


def test_rates_are_read_as_exact_decimal_fractions(tariff):
    # Seed 004, Accessio Express ≤ 3 000 €: "12,90% | 12,19% | 0,03341%".
    tier = tariff.product("accessio-express").tiers[0]
    assert tier.debit_rate == Decimal("0.1219")
    assert tier.max_taeg == Decimal("0.1290")
    assert tier.daily_period_rate == Decimal("0.0003341")
    assert tier.up_to == Money.of("3000.00", EUR)


def test_revolving_speeds_and_tiers_by_used_amount(tariff):
    speeds = {p.code: p.speed for p in tariff.products if p.speed}
    assert sorted(set(speeds.values())) == ["confort", "express", "rapide"]
    assert len(speeds) == 9  # Accessio, Modulcio, Alto × 3 speeds
    assert [t.max_taeg for t in tariff.product("modulcio-rapide").tiers] == [
        Decimal("0.0979"),
        Decimal("0.0492"),
    ]
    assert len(tariff.product("projelia").tiers) == 1  # "Quel qu'il soit"


def test_revolving_insurance_changes_rate_after_adhesion_on_11_march_2019(tariff):
    # Seed 004: 0,60 % for adhesion up to 11/03/2019, 0,65 % after; Projelia 0,40 %; Libravou 0,60 %.
    old, new = tariff.product("accessio-confort").insurance
    assert (old.rate, old.adhesion_until, old.adhesion_from) == (Decimal("0.006"), date(2019, 3, 11), None)
    assert (new.rate, new.adhesion_from, new.adhesion_until) == (Decimal("0.0065"), date(2019, 3, 12), None)
    assert [o.rate for o in tariff.product("projelia").insurance] == [Decimal("0.004")]
    assert [o.rate for o in tariff.product("formule-libravou").insurance] == [Decimal("0.006")]
    assert all(
        o.kind == "on_outstanding_monthly"
        for p in tariff.products
        if p.kind == "revolving"
        for o in p.insurance
    )


def test_personal_loan_grid_expands_to_age_bands_heads_and_covers(tariff):
    grid = tariff.product("pret-sur-mesure").insurance
    assert len(grid) == 12
    senior_two_heads_pe = next(
        o for o in grid if o.age_band == "Senior" and o.heads == 2 and o.cover.endswith("PE")
    )
    assert senior_two_heads_pe.rate == Decimal("0.0046")  # seed 004: DC/PTIA/ITT/PE, Senior, 2 têtes: 0,46%
    assert (senior_two_heads_pe.age_min, senior_two_heads_pe.age_max) == (60, 80)
    assert senior_two_heads_pe.age_max_at_adhesion == 78
    rachat_junior = next(
        o for o in tariff.product("rachat").insurance if o.age_band == "Junior" and o.heads == 1
    )
    assert rachat_junior.rate == Decimal("0.0018") and rachat_junior.kind == "monthly_on_borrowed"


def test_amortizable_insurance_on_borrowed_amount(tariff):
    (projexio,) = tariff.product("projexio").insurance
    assert (projexio.kind, projexio.rate, projexio.heads, projexio.is_maximum) == (
        "on_borrowed",
        Decimal("0.0036"),
        1,
        True,
    )
    (option,) = tariff.product("option-credit-amortissable").insurance
    assert (option.kind, option.rate) == ("on_borrowed", Decimal("0.0024"))


def test_unpublished_values_are_marked_as_lender_assumptions(tariff):
    psm = tariff.product("pret-sur-mesure")
    assert "term_bands" in psm.assumed and "hypothèse prêteur" in psm.assumption_note
    assert [b.max_term_months for b in psm.term_bands] == [48, 60, 84]
    assert "max_amount" not in tariff.product("projexio").assumed  # 75 000 € is published


def test_services_section_is_data(tariff):
    assert [c.rate for c in tariff.ceilings] == [Decimal("0.2117"), Decimal("0.098"), Decimal("0.0493")]
    before, after = tariff.cards
    assert before.requested_until == date(2013, 9, 9) and after.requested_from == date(2013, 9, 10)
    annual = {c.code: next(f.amount for f in c.fees if f.code == "annual_fee") for c in tariff.cards}
    assert annual == {before.code: Money.of("24.00", EUR), after.code: Money.of("0.00", EUR)}
    assert {m.currency: m.margin for m in tariff.fx_margins}["NOK"] == Decimal("0.0196731")
    assert all(f.amount.minor == 0 for f in tariff.management_fees) and len(tariff.management_fees) == 5
    complaints = tariff.clauses["complaints"]
    assert (complaints["acknowledge_within_days"], complaints["answer_within_months"]) == (10, 2)


def test_a_decimal_comma_is_refused_naming_the_product_tier_and_line():
    text = tariff_text()
    line = line_of(text, 'debit_rate = "12.19"')
    with pytest.raises(TariffFileError) as err:
        parse_variant('debit_rate = "12.19"', 'debit_rate = "12,19"')
    assert err.value.line == line
    assert str(err.value).startswith(f"Ligne {line} : produit « accessio-express », tranche 1 :")
    assert "12,19" in str(err.value)


def test_a_float_rate_is_refused_because_it_would_not_be_exact():
    with pytest.raises(TariffFileError, match="entre guillemets"):
        parse_variant('max_taeg = "12.90"', "max_taeg = 12.90")


def test_an_unknown_key_is_refused_with_its_line():
    text = tariff_text()
    with pytest.raises(TariffFileError, match="clé\\(s\\) inconnue\\(s\\) : first_installment_day") as err:
        parse_variant("first_installment_days = 30", "first_installment_day = 30")
    assert err.value.line == line_of(text, "first_installment_days = 30")


def test_tiers_must_cover_the_whole_amount_range():
    with pytest.raises(TariffFileError, match=r"dernière tranche s'arrête à 35000\.00 EUR"):
        parse_variant('max_amount = "35000.00"', 'max_amount = "40000.00"')


def test_tiers_must_be_in_increasing_order():
    with pytest.raises(TariffFileError, match="non croissant"):
        parse_variant('{ up_to = "6000.00", debit_rate = "9.37"', '{ up_to = "2000.00", debit_rate = "9.37"')


def test_a_taeg_below_its_debit_rate_is_refused():
    with pytest.raises(TariffFileError, match="inférieur au taux débiteur"):
        parse_variant('debit_rate = "13.88", max_taeg = "14.80"', 'debit_rate = "13.88", max_taeg = "1.48"')


def test_an_incomplete_insurance_grid_is_refused():
    with pytest.raises(TariffFileError, match="5 taux pour 3 tranches d'âge × 2 têtes"):
        parse_variant('rates = ["0.16", "0.28", ', 'rates = ["0.28", ')


def test_overlapping_adhesion_windows_are_refused():
    with pytest.raises(TariffFileError, match="ouvertes aux mêmes dates d'adhésion"):
        parse_variant("adhesion_from = 2019-03-12", "adhesion_from = 2019-03-01")


def test_a_card_naming_an_unknown_product_is_refused():
    with pytest.raises(TariffFileError, match="absents du fichier : flexibiliss"):
        parse_variant(
            'applies_to = ["formule-libravou", "flexibilis"',
            'applies_to = ["formule-libravou", "flexibiliss"',
        )


def test_a_duplicate_product_code_is_refused():
    with pytest.raises(TariffFileError, match="« fraxio-plus » : code en double"):
        parse_variant('code = "projexio"', 'code = "fraxio-plus"')


def test_an_assumption_must_be_explained():
    # Drops the first note of this wording: 3 x CB keeps assumed = ["max_amount"].
    wording = (
        "Montant maximum non publié : 3 000 € = seule catégorie d'usure où un TAEG de 21,15 % est licite."
    )
    note = f'assumption_note = "{wording}"\n'
    with pytest.raises(TariffFileError, match="« 3xcb » : des valeurs sont supposées"):
        parse_variant(note, "")


def test_a_toml_syntax_error_gives_its_line():
    text = tariff_text()
    broken = text.replace('name = "Projexio"', 'name = "Projexio', 1)
    with pytest.raises(TariffFileError, match="syntaxe TOML") as err:
        parse_tariff(broken.encode(), source_name="broken.toml")
    assert err.value.line == line_of(text, 'name = "Projexio"')


def test_checksum_identifies_the_exact_bytes():
    a = parse_tariff(tariff_text().encode())
    b = parse_tariff((tariff_text() + "\n# comment\n").encode())
    assert a.checksum != b.checksum and len(a.checksum) == 64
