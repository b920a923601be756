"""Portfolio-wide computations with numpy: many TAEGs and many schedules at once, for the benchmarks.

Two tools, each checked against the exact per-contract path of ``guichet.credit``
(``tests/unit/credit/test_bulk.py``); no page, batch or report of the product uses them, so they live
here with the benchmarks and numpy is a development dependency only:

- ``portfolio_monthly_taeg`` solves the TAEG of many loans with regular monthly flows by a
  vectorised Newton iteration in numpy float64. It is an APPROXIMATION (binary floating point,
  about 1e-12 on the rate) for statistics and screening; the figure shown to a customer, written
  in a contract or checked against usury always comes from ``annual_percentage_rate`` (Decimal).
  The benchmark ``tests/bench/bench_apr.py`` prints the largest difference between the two.
- ``amortize_many`` builds many constant-installment schedules in int64 minor units with exact
  half-up rounding (the same integer formula as ``schedule.amortize_minor``), so its output is
  identical to the per-contract path to the minor unit; it refuses inputs that could overflow.

numpy is imported inside the functions, so the benchmark runner imports this module without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

_INT64_SAFE = 2**62
_SHIFT = 80


def portfolio_monthly_taeg(
    net_drawdowns: npt.ArrayLike, payments: npt.ArrayLike, *, iterations: int = 40
) -> Any:
    """TAEG of each loan (row): ``net_drawdowns[n]`` lent at t=0, ``payments[n, k]`` paid at month k+1.

    Solves Σ_k A_k v^(k+1) = P for v = (1+i)^-1 by Newton's method (Horner evaluation, vectorised
    over loans; the polynomial is increasing and convex for v > 0, so Newton converges from v=1),
    and returns (1+i)^12 − 1 as float64 — see the module docstring: an approximation.
    """
    import numpy as np

    # One contiguous row per month: the Horner loop reads a month for every loan at once.
    by_month = np.ascontiguousarray(np.asarray(payments, dtype=np.float64).T)
    lent = np.asarray(net_drawdowns, dtype=np.float64)
    months = by_month.shape[0]
    v = np.ones(by_month.shape[1], dtype=np.float64)
    tolerance = np.float64("1e-15")
    for _ in range(iterations):
        value = np.zeros_like(v)
        slope = np.zeros_like(v)
        for k in range(months - 1, -1, -1):
            slope = slope * v + value
            value = value * v + by_month[k]
        # p(v) = v·q(v) with q(v) = value: p' = q + v·q'
        slope = value + v * slope
        value = value * v - lent
        step = value / slope
        v = v - step
        if np.all(np.abs(step) < tolerance):
            break
    return v ** np.float64(-12) - 1


@lru_cache(maxsize=4096)
def _annuity_factor(num: int, den: int, months: int) -> tuple[int, int]:
    grown, base = (num + den) ** months, den**months
    return num * grown, den * (grown - base)


@lru_cache(maxsize=4096)
def _monthly(debit_rate: Decimal) -> Fraction:
    return Fraction(debit_rate) / 12


@lru_cache(maxsize=4096)
def _annuity_fixed_point(num: int, den: int, months: int) -> tuple[int, int, int]:
    top, bottom = _annuity_factor(num, den, months)
    return top, bottom, (top << _SHIFT) // bottom


def annuity_minor_cached(principal_minor: int, debit_rate: Decimal, months: int) -> int:
    """``schedule.annuity_minor`` with the rate's power cached: portfolios share a few tariff rates.

    pmt = P × top / bottom rounded half-up. A fixed-point quotient q = ⌊top·2^80 / bottom⌋ is kept
    per (rate, term); P·q lies within P of P·top·2^80/bottom, so when both ends of that interval
    round to the same integer the answer is exact, otherwise (a near tie) we divide exactly.
    """
    monthly = _monthly(debit_rate)
    if monthly == 0:
        return (2 * principal_minor + months) // (2 * months)
    top, bottom, q = _annuity_fixed_point(monthly.numerator, monthly.denominator, months)
    scaled, half = principal_minor * q, 1 << (_SHIFT - 1)
    low, high = (scaled + half) >> _SHIFT, (scaled + principal_minor + half) >> _SHIFT
    if low == high:
        return low
    return (2 * principal_minor * top + bottom) // (2 * bottom)


def amortize_many(
    principal_minor: Sequence[int], debit_rates: Sequence[Decimal], term_months: Sequence[int]
) -> tuple[Any, Any, Any, Any]:
    """(installment, interest, principal, balance_after) int64 arrays of shape (loans, max term).

    Same rules as ``amortization_schedule`` (installment = pmt half-up, interest half-up, last row
    clears the balance, a principal part never exceeds the balance); columns past a loan's term
    are zero. Raises ``ValueError`` if an intermediate product could overflow int64.
    """
    import numpy as np

    fractions = [_monthly(r) for r in debit_rates]
    num = np.array([f.numerator for f in fractions], dtype=np.int64)
    den = np.array([f.denominator for f in fractions], dtype=np.int64)
    balance = np.array(principal_minor, dtype=np.int64)
    terms = np.array(term_months, dtype=np.int64)
    if int(balance.max()) * int(num.max()) * 2 + int(den.max()) >= _INT64_SAFE:
        raise ValueError("Amounts and rates too large for int64: use amortization_schedule per contract.")
    pmt = np.array(
        [
            annuity_minor_cached(p, r, n)
            for p, r, n in zip(principal_minor, debit_rates, term_months, strict=True)
        ],
        dtype=np.int64,
    )
    # Longest loans first, so month k only touches the prefix of loans still running.
    order = np.argsort(-terms, kind="stable")
    balance, num, den, pmt, terms = balance[order], num[order], den[order], pmt[order], terms[order]
    width = int(terms[0])
    running = np.searchsorted(-terms, -np.arange(1, width + 1), side="right")  # terms ≥ k+1
    # Month-major storage: each month is one contiguous row; callers get (loans, months) views.
    installment, interest, repaid, after = (
        np.zeros((width, terms.shape[0]), dtype=np.int64) for _ in range(4)
    )
    num2, twice_den = 2 * num, 2 * den
    for k in range(width):
        n = int(running[k])
        b = balance[:n]
        due = (b * num2[:n] + den[:n]) // twice_den[:n]
        part = np.minimum(pmt[:n] - due, b)
        last = terms[:n] == k + 1
        part[last] = b[last]
        balance[:n] = b - part
        interest[k, :n], repaid[k, :n], after[k, :n] = due, part, balance[:n]
        installment[k, :n] = due + part
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.shape[0])
    return tuple(a[:, inverse].T for a in (installment, interest, repaid, after))  # type: ignore[return-value]
