"""Issue 4: "amounts and dates by locale (117 992 XPF, 1 234,56 €)". babel separates French thousands
with U+202F and puts U+00A0 before the currency; English puts the symbol first."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from guichet.credit import EUR, XPF, Money

NNBSP, NBSP = "\u202f", "\u00a0"
AMOUNT = "{{ amount|money }}"


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(("language", "expected"), [("fr", f"1{NNBSP}234,56{NBSP}€"), ("en", "€1,234.56")])
def test_euro_amounts_follow_the_active_language(language, expected):
    with translation.override(language):
        assert render(AMOUNT, amount=Money.of("1234.56", EUR)) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", f"117{NNBSP}992{NBSP}XPF"), ("en", f"117,992{NBSP}XPF")]
)
def test_new_caledonian_profile_writes_xpf_with_its_iso_code_and_no_decimals(settings, language, expected):
    """Seed 003 writes "117 992 XPF" (babel alone would print FCFP)."""
    settings.GUICHET_LENDER = "nc"
    with translation.override(language):
        assert render(AMOUNT, amount=Money.of("117992", XPF)) == expected


@pytest.mark.parametrize(("language", "expected"), [("fr", "19,34\u00a0%"), ("en", "19.34%")])
def test_rates_follow_the_active_language(language, expected):
    from decimal import Decimal

    with translation.override(language):
        assert render("{{ r|rate }}", r=Decimal("0.1934")) == expected


@pytest.mark.parametrize(("language", "expected"), [("fr", "15/06/2027"), ("en", "15/06/2027")])
def test_dates_are_day_first_in_both_languages(language, expected):
    with translation.override(language):
        assert render("{{ d|day }}", d=date(2027, 6, 15)) == expected


def test_long_dates_spell_the_month_in_the_language():
    from guichet.lenders.formatting import format_day

    assert format_day(date(2027, 6, 15), "fr", fmt="d MMMM y") == "15 juin 2027"
    assert format_day(date(2027, 6, 15), "en", fmt="d MMMM y") == "15 June 2027"
