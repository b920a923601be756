"""One place for the franc CFP parity (1 000 XPF = 8,38 €) and the law's euro thresholds, and every
conversion names its rounding (issue 9: the parity was written four times, rounded three ways)."""

from __future__ import annotations

import ast
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import guichet
from guichet.credit import EUR, XPF, Money, currency
from guichet.credit.early_repayment import THRESHOLD_EUR, THRESHOLD_XPF
from guichet.credit.parity import (
    ASSUMED_CREDIT_LIMIT,
    EARLY_REPAYMENT_THRESHOLD,
    MINIMUM_INSTALLMENT,
    USURY_SMALL_LOAN,
    XPF_PER_EUR,
    NoParity,
    convert,
    euro_value,
    in_currency,
)
from guichet.credit.revolving import assumed_limit, euros_in
from guichet.credit.usury import category_for


def test_the_parity_is_1000_xpf_for_8_38_euros_exactly():
    assert euro_value(Money(1000, XPF)) == Fraction("8.38")
    assert Fraction(1000) / Fraction("8.38") == XPF_PER_EUR  # 119,331742…
    assert f"{float(XPF_PER_EUR):.5f}" == "119.33174"


def test_each_rounding_is_named_by_the_caller():
    # 10 000 € = 1 193 317,42 XPF; 3 000 € = 357 995,22 XPF; 200 € = 23 866,35 XPF.
    assert in_currency(10_000, XPF, rounding="down") == Money(1_193_317, XPF)
    assert in_currency(10_000, XPF, rounding="up") == Money(1_193_318, XPF)
    assert in_currency(10_000, XPF, rounding="half_up") == Money(1_193_317, XPF)
    assert in_currency(200, XPF, rounding="half_up") == Money(23_866, XPF)
    assert in_currency(200, XPF, rounding="up") == Money(23_867, XPF)
    assert in_currency(Fraction(1, 3), EUR, rounding="half_up") == Money.of("0.33", EUR)
    with pytest.raises(TypeError):
        in_currency(10_000, XPF)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="rounding"):
        in_currency(10_000, XPF, rounding="nearest")  # type: ignore[arg-type]


def test_the_law_s_thresholds_in_xpf_come_from_the_one_parity():
    assert Money.of("10000.00", EUR) == THRESHOLD_EUR and Money(1_193_317, XPF) == THRESHOLD_XPF
    assert in_currency(EARLY_REPAYMENT_THRESHOLD, XPF, rounding="down") == THRESHOLD_XPF
    assert euros_in(XPF, MINIMUM_INSTALLMENT) == Money(1_790, XPF)  # D312-28: 15 €
    assert (
        assumed_limit(XPF)
        == Money(178_998, XPF)
        == in_currency(ASSUMED_CREDIT_LIMIT, XPF, rounding="half_up")
    )


def test_a_currency_without_a_legal_parity_is_refused_with_a_message():
    with pytest.raises(NoParity, match="USD"):
        convert(Money.of("10.00", currency("USD")), XPF, rounding="down")
    with pytest.raises(ValueError, match="USD"):
        category_for(Money.of("10.00", currency("USD")))


@given(st.integers(min_value=0, max_value=20_000_000))
def test_an_xpf_amount_is_on_the_side_of_a_threshold_its_exact_euro_value_is_on(xpf):
    amount = Money(xpf, XPF)
    euros = Fraction(xpf) * Fraction("8.38") / 1000
    assert (amount <= THRESHOLD_XPF) == (euros <= 10_000)
    assert (category_for(amount) == "up_to_3000") == (euros <= USURY_SMALL_LOAN)
    assert (amount <= convert(Money.of("3000.00", EUR), XPF, rounding="down")) == (euros <= 3000)
    assert (amount >= convert(Money.of("200.00", EUR), XPF, rounding="up")) == (euros >= 200)


def test_no_other_module_writes_the_parity_again():
    """The figure 8.38 (or 119.33…) appears in code only in guichet/credit/parity.py."""
    root = Path(guichet.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "parity.py" and path.parent.name == "credit":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float):
                text = str(node.value)
                if text.strip() in {"8.38", "0.00838", "119.33174", "119.331742"}:
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not found, f"use guichet.credit.parity instead of writing the parity again: {found}"
