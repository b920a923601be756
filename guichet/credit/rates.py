"""Rate conventions: nominal ↔ effective rates, daily period rates, TAEG rounding, tariff checks.

Owns the arithmetic that turns a published debit rate (taux débiteur) into the figures a tariff
sheet prints next to it (TAEG, taux de période journalier), and the check that reports a
published line whose figures do not follow from one another (``check_published_pair``).
All computation is Decimal under a local high-precision context; no float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

#: Digits kept in intermediate rate arithmetic (far beyond the 1e-10 the Annex asks for).
PRECISION = 50
#: The TAEG is shown with two decimals of a percent: 4 decimals of the fraction.
TAEG_QUANTUM = Decimal("0.0001")
#: Daily period rates are published with 5 decimals of a percent: 7 decimals of the fraction.
DAILY_RATE_QUANTUM = Decimal("0.0000001")
DAYS_PER_YEAR = 365


def _dec(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Rates are Decimal fractions (Decimal('0.1934')), never floats.")
    return value if isinstance(value, Decimal) else Decimal(value)


def apr_from_nominal(debit_rate: Decimal, periods_per_year: int = 12) -> Decimal:
    """Annual effective rate of a nominal rate compounded ``periods_per_year`` times: (1 + r/n)^n − 1.

    This is the convention of the tariff sheet (seed 004): a 19.34 % debit rate paid monthly is a
    TAEG of 21.15 % (``round_taeg(apr_from_nominal(Decimal("0.1934"))) == Decimal("0.2115")``).
    The result is exact to 50 significant digits; round it with ``round_taeg`` to show it.
    """
    rate = _dec(debit_rate)
    if periods_per_year <= 0:
        raise ValueError("periods_per_year must be a positive number of periods.")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return (1 + rate / periods_per_year) ** periods_per_year - 1


def nominal_from_apr(taeg: Decimal, periods_per_year: int = 12) -> Decimal:
    """Inverse of ``apr_from_nominal``: n × ((1 + X)^(1/n) − 1) (the "proportional" debit rate)."""
    rate = _dec(taeg)
    if rate <= -1:
        raise ValueError("An annual rate must be greater than −100 %.")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return periods_per_year * (((1 + rate).ln() / periods_per_year).exp() - 1)


def round_taeg(taeg: Decimal) -> Decimal:
    """The TAEG as shown: two decimals of a percent, half-up (0.211507 → 0.2115).

    Directive 2008/48/EC Annex I, I (c) (as amended by Directive 2011/90/EU): the result is given
    to at least one decimal place, and the next decimal is rounded up when it is 5 or more —
    that is ROUND_HALF_UP. Tariffs print two decimals; we keep two.
    """
    return _dec(taeg).quantize(TAEG_QUANTUM, rounding=ROUND_HALF_UP)


def daily_period_rate(debit_rate: Decimal, *, truncate: bool = False) -> Decimal:
    """Taux de période journalier as published: debit rate / 365, to 5 decimals of a percent.

    Half-up by default (19.34 % → 0.05299 %); ``truncate=True`` gives the truncated figure the
    sheet prints for 9.38 % (0.025698… % → 0.02569 %). Returned as a fraction (0.0005299).
    """
    with localcontext() as ctx:
        ctx.prec = PRECISION
        exact = _dec(debit_rate) / DAYS_PER_YEAR
    return exact.quantize(DAILY_RATE_QUANTUM, rounding=ROUND_DOWN if truncate else ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """One published figure that does not follow from the debit rate under the usual conventions.

    ``severity`` is ``"error"`` when no convention reproduces the figure and ``"notice"`` when it
    is reproduced only by an unusual rounding (truncation); ``message`` is French, for the
    consistency report read by the compliance officer.
    """

    field: str
    severity: str
    published: Decimal
    expected: Decimal
    message: str


def _pct(x: Decimal, places: int = 2) -> str:
    return f"{(x * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)} %".replace(".", ",")


def check_published_pair(
    debit_rate: Decimal, taeg: Decimal, daily_rate: Decimal | None = None
) -> list[Inconsistency]:
    """Report the figures of a tariff line (debit rate, TAEG, daily rate) that do not agree.

    Conventions that reproduce seed 004: TAEG = (1 + debit/12)^12 − 1 rounded half-up to two
    decimals of a percent; daily rate = debit / 365 to five decimals of a percent (rounded, or
    — one case — truncated). All arguments are fractions (0.1934 for 19.34 %).

    The Accessio Express ≤ 3 000 € line (12.19 % / 12.90 % / 0.03341 %) gives two errors: 12.19 %
    compounds to 12.89 %, and 12.19 % / 365 is 0.03340 %; both published figures follow from a
    debit rate of 12.195 % (0.03341 % × 365), printed rounded to 12.19 %. The message says so.
    An empty list means the line is consistent.
    """
    found: list[Inconsistency] = []
    expected_taeg = round_taeg(apr_from_nominal(debit_rate))
    if expected_taeg != _dec(taeg):
        message = (
            f"TAEG publié {_pct(taeg)} ; (1 + {_pct(debit_rate)}/12)^12 − 1 donne {_pct(expected_taeg)}."
        )
        if daily_rate is not None:
            implied = _dec(daily_rate) * DAYS_PER_YEAR
            if round_taeg(apr_from_nominal(implied)) == _dec(taeg):
                message += (
                    f" Le TAEG publié correspond au taux journalier publié × 365 = {_pct(implied, 4)}"
                    f" : le taux débiteur affiché ({_pct(debit_rate)}) est arrondi."
                )
        found.append(Inconsistency("taeg", "error", _dec(taeg), expected_taeg, message))
    if daily_rate is not None:
        rounded = daily_period_rate(debit_rate)
        truncated = daily_period_rate(debit_rate, truncate=True)
        if _dec(daily_rate) == truncated != rounded:
            found.append(
                Inconsistency(
                    "daily_rate",
                    "notice",
                    _dec(daily_rate),
                    rounded,
                    f"Taux journalier publié {_pct(daily_rate, 5)} : {_pct(debit_rate)}/365 tronqué"
                    f" (arrondi : {_pct(rounded, 5)}).",
                )
            )
        elif _dec(daily_rate) != rounded:
            found.append(
                Inconsistency(
                    "daily_rate",
                    "error",
                    _dec(daily_rate),
                    rounded,
                    f"Taux journalier publié {_pct(daily_rate, 5)} ; {_pct(debit_rate)}/365 donne"
                    f" {_pct(rounded, 5)}.",
                )
            )
    return found
