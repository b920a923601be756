"""The consistency report: published figures recomputed, and maximum TAEGs against usury ceilings.

Golden figures: seed 004 (../shared/seeds/004_471c784c30d21826.txt) for the published lines and
the 1 Jan 2022 ceilings; ceilings from 1 Apr 2022 (21,11 / 9,85 / 4,93 %) as given by issue 3 and
../shared/REGULATION.md, read through guichet.credit.usury (data/usury/ceilings.toml).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from guichet.catalogue.consistency import build_report, tier_categories
from guichet.catalogue.consistency_text import render_report
from guichet.catalogue.tariff_file import read_tariff

from .helpers import TARIFF, parse_variant

UNTIL = date(2022, 12, 31)


@pytest.fixture(scope="module")
def tariff():
    return read_tariff(TARIFF)


@pytest.fixture(scope="module")
def report(tariff):
    return build_report(tariff, until=UNTIL)


def test_accessio_express_up_to_3000_is_the_only_inconsistent_line(report):
    (pair,) = report.inconsistent_pairs
    assert (pair.debit_rate, pair.max_taeg, pair.daily_period_rate) == (
        Decimal("0.1219"),
        Decimal("0.1290"),
        Decimal("0.0003341"),
    )
    assert [(ref.product, ref.tier) for ref in pair.lines] == [("accessio-express", "≤ 3 000 €")]


def test_the_report_explains_that_the_daily_rate_implies_12_195_percent(report):
    (pair,) = report.inconsistent_pairs
    taeg = next(p for p in pair.problems if p.field == "taeg")
    # 12,19 % compounds monthly to 12,89 %; 0,03341 % × 365 = 12,19465 % compounds to 12,90 %.
    assert taeg.expected == Decimal("0.1289")
    assert "12,1947 %" in taeg.message and "arrondi" in taeg.message
    assert "12,19465 % (≈ 12,195 %), qui redonne le TAEG publié 12,90 %" in pair.explanation
    text = render_report(report)
    assert pair.explanation in text
    assert "INCOHÉRENT 12,19 % → TAEG 12,90 %, journalier 0,03341 %" in text
    assert "accessio-express ≤ 3 000 €" in text


def test_the_truncated_daily_rate_of_9_38_percent_is_a_notice_not_an_error(report):
    pair = next(p for p in report.pairs if p.debit_rate == Decimal("0.0938") and p.daily_period_rate)
    assert pair.status == "NOTE"
    assert [p.severity for p in pair.problems] == ["notice"]


def test_every_other_published_pair_follows_the_monthly_convention(report):
    consistent = [p for p in report.pairs if p.status != "INCOHÉRENT"]
    assert sum(len(p.lines) for p in consistent) == 62  # 63 tariff lines minus Accessio Express ≤ 3 000 €


def test_no_maximum_taeg_exceeds_the_ceilings_in_force_on_1_january_2022(report):
    assert report.usury_at_tariff_date == []
    assert report.printed_ceiling_mismatches == []


def test_lines_at_21_15_percent_become_usurious_from_1_april_2022(report, tariff):
    period, found = report.later_periods[0]
    assert period.effective_on == date(2022, 4, 1)
    assert period.rates["up_to_3000"] == Decimal("0.2111")
    at_2115 = {f.ref.product for f in found if f.taeg == Decimal("0.2115")}
    expected = {p.code for p in tariff.products if any(t.max_taeg == Decimal("0.2115") for t in p.tiers)}
    assert at_2115 == expected and len(expected) == 16
    assert {f.ref.product for f in found if f.taeg == Decimal("0.2114")} == {"rachat"}
    assert all(f.category == "up_to_3000" and f.ceiling == Decimal("0.2111") for f in found)
    assert "USURAIRE TAEG 21,15 % > seuil 21,11 % (≤ 3 000 €) — 16 ligne(s)" in render_report(report)


def test_a_tier_is_checked_against_every_usury_category_it_spans(tariff):
    # Modulcio's first tier covers 0–6 000 € used: both the ≤ 3 000 € and the 3 000–6 000 € ceilings apply.
    assert tier_categories(tariff.product("modulcio-confort"), 0) == {"up_to_3000", "from_3000_to_6000"}
    assert tier_categories(tariff.product("alto-express"), 0) == {
        "up_to_3000",
        "from_3000_to_6000",
        "above_6000",
    }
    assert tier_categories(tariff.product("pnf"), 0) == {"up_to_3000"}


def test_a_taeg_above_the_ceiling_of_its_tariff_date_is_reported():
    # A split product allowed up to 6 000 € at 14,80 % would exceed the 9,80 % ceiling above 3 000 €.
    # The first 'max_amount = "3000.00"' of the file is Carte 4 Etoiles' split option.
    variant = parse_variant('max_amount = "3000.00"', 'max_amount = "6000.00"')
    found = build_report(variant, until=UNTIL).usury_at_tariff_date
    assert [(f.ref.product, f.category, f.ceiling) for f in found] == [
        ("carte-4-etoiles-comptant-24x", "from_3000_to_6000", Decimal("0.0980"))
    ]


def test_the_report_lists_the_lender_assumptions(report):
    text = render_report(report)
    assert "5. Hypothèses du prêteur" in text
    assert "pret-sur-mesure [term_bands]" in text
