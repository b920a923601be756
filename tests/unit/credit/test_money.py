"""Money rules (DESIGN.md "Money, rates, dates"): integer minor units, no float, one currency."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.credit import EUR, XPF, CurrencyMismatch, Money, currency


def test_float_is_refused_everywhere():
    with pytest.raises(TypeError):
        Money.of(1.5, EUR)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.of("1", EUR) * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1.0, EUR)  # type: ignore[arg-type]


def test_more_decimals_than_the_currency_allows_is_refused():
    with pytest.raises(ValueError):
        Money.of("1.234", EUR)
    with pytest.raises(ValueError):
        Money.of("1.5", XPF)


def test_currencies_do_not_mix():
    with pytest.raises(CurrencyMismatch):
        Money.of("1", EUR) + Money.of(1, XPF)


def test_xpf_has_no_decimals():
    assert Money.of(117992, XPF).minor == 117992
    assert currency("xpf") is XPF
    assert str(Money.of(92992, XPF)) == "92992 XPF"


def test_decimal_multiplication_rounds_half_up_to_the_minor_unit():
    assert Money.of("0.05", EUR) * Decimal("0.5") == Money.of("0.03", EUR)


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=20).filter(any),
)
def test_allocate_conserves_every_minor_unit(minor, ratios):
    parts = Money(minor, EUR).allocate(ratios)
    assert sum(p.minor for p in parts) == minor
    assert len(parts) == len(ratios)
