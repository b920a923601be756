"""XPF amounts against euro tariff bounds: the fixed parity 1 000 XPF = 8,38 € (franc CFP peg)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.catalogue.exceptions import CurrencyNotServed
from guichet.catalogue.parity import convert_bound
from guichet.credit import EUR, XPF, Money, currency


def test_3000_euros_as_an_upper_bound_is_357_995_francs():
    # 3 000 / 0,00838 = 357 995,22… XPF: 357 995 XPF is inside "≤ 3 000 €", 357 996 XPF is not.
    assert convert_bound(Money.of("3000.00", EUR), XPF, upper=True) == Money.of(357995, XPF)


def test_200_euros_as_a_lower_bound_is_rounded_up_to_23_867_francs():
    # 200 / 0,00838 = 23 866,35… XPF: 23 866 XPF is 199,997 €, below the minimum.
    assert convert_bound(Money.of("200.00", EUR), XPF, upper=False) == Money.of(23867, XPF)


def test_same_currency_is_unchanged():
    assert convert_bound(Money.of("12.34", EUR), EUR, upper=True) == Money.of("12.34", EUR)


def test_a_currency_without_parity_is_refused():
    with pytest.raises(CurrencyNotServed, match="USD"):
        convert_bound(Money.of("10.00", EUR), currency("USD"), upper=True)


@given(
    xpf=st.integers(min_value=0, max_value=50_000_000), cents=st.integers(min_value=0, max_value=10_000_000)
)
def test_comparing_in_xpf_gives_the_same_answer_as_comparing_the_exact_euro_value(xpf, cents):
    euros = Fraction(xpf) * Fraction("8.38") / 1000
    bound = Money(cents, EUR)
    assert (xpf <= convert_bound(bound, XPF, upper=True).minor) == (euros <= Fraction(cents, 100))
    assert (xpf >= convert_bound(bound, XPF, upper=False).minor) == (euros >= Fraction(cents, 100))
