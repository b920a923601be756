"""Money and days are formatted once per (locale, currency), byte for byte as babel does (issue 15)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from guichet.credit import EUR, Money, currency
from guichet.lenders.formatting import format_day, format_money, format_money_babel

XPF = currency("XPF")


@given(
    minor=st.one_of(st.integers(-(10**15), 10**15), st.integers(-20_000, 20_000)),
    code=st.sampled_from(["EUR", "XPF"]),
    language=st.sampled_from(["fr", "en", "fr-fr", "en-gb", None, "de"]),
    iso_code=st.booleans(),
)
def test_the_cached_money_format_writes_exactly_what_babel_writes(minor, code, language, iso_code):
    value = Money(minor, currency(code))
    assert format_money(value, language, iso_code=iso_code) == format_money_babel(
        value, language, iso_code=iso_code
    )


def test_money_keeps_the_seeds_separators_and_symbols():
    assert format_money(Money(123456, EUR), "fr") == "1\u202f234,56\u00a0€"
    assert format_money(Money(-123456, EUR), "en") == "-€1,234.56"
    assert format_money(Money(117992, XPF), "fr", iso_code=True) == "117\u202f992\u00a0XPF"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.sampled_from(["fr", "en"]))
def test_a_short_day_is_what_babel_writes_for_dd_mm_yyyy(day, language):
    from babel.dates import format_date

    expected = format_date(day, format="dd/MM/yyyy", locale="fr_FR" if language == "fr" else "en_GB")
    assert format_day(day, language) == expected
