"""Golden values from the tariff sheet, seed 004 (../shared/seeds/004_471c784c30d21826.txt, 'Tarifs en
vigueur au 01 janvier 2022'), each with the convention that reproduces it."""

from decimal import Decimal

import pytest

from guichet.credit import apr_from_nominal, check_published_pair, daily_period_rate, round_taeg

D = Decimal

# (debit rate, published TAEG) — every pair printed on the sheet.
PAIRS = [
    ("0.1934", "0.2115"),  # Petites mensualités ≤ 3 000 €, 3 x CB, Fraxio, PNF...
    ("0.0938", "0.0979"),  # 3 000–6 000 € tiers
    ("0.0481", "0.0492"),  # > 6 000 € tiers
    ("0.1659", "0.1791"),  # Accessio Rapide ≤ 3 000 €
    ("0.1388", "0.1480"),  # Carte 4 Etoiles, Fraxio paiement fractionné
    ("0.1536", "0.1649"),  # COFIDIS Pay
    ("0.1752", "0.1900"),  # Option Crédit paiement fractionné ("19%")
    ("0.0937", "0.0978"),  # Prêt Sur Mesure, Rachat 3 000–6 000 €
    ("0.0480", "0.0491"),  # Prêt Sur Mesure, Rachat > 6 000 €
    ("0.1933", "0.2114"),  # Rachat ≤ 3 000 €
]


@pytest.mark.parametrize(("debit", "taeg"), PAIRS)
def test_published_taeg_is_the_monthly_compounded_debit_rate_rounded_half_up(debit, taeg):
    assert round_taeg(apr_from_nominal(D(debit))) == D(taeg)
    assert check_published_pair(D(debit), D(taeg)) == []


@pytest.mark.parametrize(
    ("debit", "daily"),
    [("0.1934", "0.0005299"), ("0.0481", "0.0001318"), ("0.1659", "0.0004545")],
)
def test_published_daily_rate_is_debit_over_365_rounded_to_five_decimals_of_a_percent(debit, daily):
    assert daily_period_rate(D(debit)) == D(daily)
    assert check_published_pair(D(debit), apr_from_nominal(D(debit)).quantize(D("0.0001")), D(daily)) == []


def test_published_daily_rate_for_9_38_is_truncated_not_rounded_and_reported_as_a_notice():
    assert daily_period_rate(D("0.0938")) == D("0.0002570")
    assert daily_period_rate(D("0.0938"), truncate=True) == D("0.0002569")
    found = check_published_pair(D("0.0938"), D("0.0979"), D("0.0002569"))
    assert [(f.field, f.severity) for f in found] == [("daily_rate", "notice")]


def test_accessio_express_line_follows_from_12_195_percent_not_12_19_and_is_reported():
    # Sheet: Accessio Express ≤ 3 000 €: TAEG 12,90 %, taux débiteur 12,19 %, journalier 0,03341 %.
    assert round_taeg(apr_from_nominal(D("0.1219"))) == D("0.1289")
    assert round_taeg(apr_from_nominal(D("0.0003341") * 365)) == D("0.1290")
    assert round_taeg(apr_from_nominal(D("0.12195"))) == D("0.1290")
    assert daily_period_rate(D("0.12195")) == D("0.0003341")
    found = check_published_pair(D("0.1219"), D("0.1290"), D("0.0003341"))
    assert {(f.field, f.severity) for f in found} == {("taeg", "error"), ("daily_rate", "error")}
    assert "arrondi" in found[0].message


def test_round_taeg_is_half_up_per_annex_i():
    # Directive 2008/48/EC Annex I (c): the next decimal ≥ 5 rounds up.
    assert round_taeg(D("0.211450")) == D("0.2115")
    assert round_taeg(D("0.2114499")) == D("0.2114")
