"""The franc CFP's legal parity with the euro and the euro thresholds of the law, in one place.

Parity: the franc CFP (XPF, New Caledonia, French Polynesia, Wallis-and-Futuna) is pegged to the
euro at **1 000 XPF = 8,38 €** (arrêté of 31 December 1998 on the parity of the franc CFP with the
euro; Banque de France / IEOM), i.e. 1 € = 119,331742… XPF, printed "119,33174". The law of
consumer credit states its thresholds in euros; for an XPF contract they are judged at this parity.

Every conversion here is exact (``Fraction``); only the caller knows which way a figure may be
rounded, so each one names it:

- ``euro_value(amount)``: the exact euro value, no rounding — compare it with a threshold, and an
  amount falls on the same side as its exact value (usury categories, D312-15, L312-4);
- ``in_currency(euros, currency, rounding=...)``: a euro figure of the law expressed in a currency,
  rounded ``"half_up"`` (an amount to charge or show: the D312-28 15 € floor, the Annex I 1 500 €
  assumed limit), ``"down"`` (an upper bound that must stay inside: "≤ 3 000 €" → 357 995 XPF) or
  ``"up"`` (a lower bound: "≥ 200 €" → 23 867 XPF);
- ``convert(amount, currency, rounding=...)``: the same for an amount in another currency.

The thresholds below are the euro figures themselves (``EUR``), never pre-converted copies.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from .money import EUR, XPF, Currency, Money

#: 1 000 XPF = 8,38 €: the value of one franc CFP in euros (exact).
EUR_PER_XPF = Fraction("8.38") / 1000
#: 1 € = 119,331742… XPF (exact: 1000 / 8.38).
XPF_PER_EUR = 1 / EUR_PER_XPF
#: Value of one major unit of each currency in euros.
EUR_VALUE: dict[str, Fraction] = {EUR.code: Fraction(1), XPF.code: EUR_PER_XPF}

# -- thresholds of the law, in euros ---------------------------------------------------------------
#: D312-15: no early-repayment indemnity while repayments over twelve months are ≤ 10 000 €.
EARLY_REPAYMENT_THRESHOLD = Fraction(10_000)
#: L314-6 (loi Lagarde categories): ≤ 3 000 €, > 3 000 € and ≤ 6 000 €, > 6 000 €.
USURY_SMALL_LOAN = Fraction(3_000)
USURY_MEDIUM_LOAN = Fraction(6_000)
#: D312-27: a revolving limit ≤ 3 000 € is repaid within 36 months, above within 60.
REVOLVING_SMALL_LIMIT = Fraction(3_000)
#: D312-28: "Le montant de l'échéance ne peut être inférieur à 15 euros."
MINIMUM_INSTALLMENT = Fraction(15)
#: Directive 2008/48/EC Annex I part II (2011/90/EU): a limit not yet agreed is taken as 1 500 €.
ASSUMED_CREDIT_LIMIT = Fraction(1_500)
#: L312-4 3° before / after ordonnance 2025-880 (in force 20 November 2026): 200 € to 75 000 €, then
#: no floor and 100 000 €.
OLD_SCOPE_FLOOR = Fraction(200)
OLD_SCOPE_CEILING = Fraction(75_000)
SCOPE_CEILING = Fraction(100_000)

Rounding = Literal["half_up", "down", "up"]


class NoParity(ValueError):
    """No legal parity is known between the euro and this currency."""


def _value(currency: Currency) -> Fraction:
    try:
        return EUR_VALUE[currency.code]
    except KeyError:
        known = ", ".join(sorted(EUR_VALUE))
        raise NoParity(
            f"No legal parity known between the euro and {currency.code} (known: {known})."
        ) from None


def euro_value(amount: Money) -> Fraction:
    """The exact value of ``amount`` in euros (XPF at 1 000 XPF = 8,38 €); no rounding."""
    return Fraction(amount.minor, 10**amount.currency.exponent) * _value(amount.currency)


def _rounded(exact: Fraction, rounding: Rounding) -> int:
    if rounding == "down":
        return exact.numerator // exact.denominator
    if rounding == "up":
        return -(-exact.numerator // exact.denominator)
    if rounding == "half_up":
        sign = -1 if exact < 0 else 1
        magnitude = abs(exact)
        return sign * ((2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator))
    raise ValueError(f"Unknown rounding {rounding!r}: say 'half_up', 'down' or 'up'.")


def in_currency(euros: Fraction | int, currency: Currency, *, rounding: Rounding) -> Money:
    """A euro figure of the law in ``currency``, rounded to its minor unit as the caller says."""
    exact = Fraction(euros) / _value(currency) * 10**currency.exponent
    return Money(_rounded(exact, rounding), currency)


def convert(amount: Money, to: Currency, *, rounding: Rounding) -> Money:
    """``amount`` expressed in ``to`` at the legal parity, rounded as the caller says."""
    if amount.currency == to:
        return amount
    return in_currency(euro_value(amount), to, rounding=rounding)
