"""TAEG (annual percentage rate of charge) by the actuarial equation of Directive 2008/48/EC Annex I.

Σ_k C_k (1+X)^(−t_k) = Σ_l D_l (1+X)^(−s_l): drawdowns C_k at t_k, repayments and charges D_l at
s_l, times in years from the first drawdown (Code de la consommation R314-1 ff. transposes it).
Solved for y = ln(1+X) by Newton's method with a bisection fallback, in Decimal arithmetic at
40 digits; the answer is good to better than 1e-12 or ``NoConvergence`` is raised — never a
wrong number. Times whose monthly part is a whole number of months share one power series,
which keeps the exact path fast for ordinary monthly loans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from itertools import pairwise

from .dates import add_months, days_in_year_ending
from .money import Currency, Money

PRECISION = 40
_TOLERANCE = Decimal("1e-20")
_RESULT_QUANTUM = Decimal("1e-15")
_MAX_NEWTON = 60
_MAX_BISECTION = 400

Time = Decimal | Fraction | int
Amount = Decimal | Money | int
Flow = tuple[Time, Amount]


class NoConvergence(ArithmeticError):
    """The solver could not find the rate; the flows are returned so the case can be inspected."""


def year_fraction(start: date, end: date) -> Fraction:
    """Time in years from ``start`` to ``end`` under Directive 2008/48/EC Annex I (I, (d)/(e)).

    Convention (Annex I as amended by Directive 2011/90/EU, part I (d)(ii)-(iii)): whole months
    count 1/12 each (12 equal months); they are counted back from ``end`` towards ``start``, and
    the days left near the drawdown are divided by the length (365 or 366) of the complete year
    that ends on the day those days end. One exception, so that a schedule's own due dates are
    whole months: when ``end`` is exactly ``start`` plus k months with the end-of-month clamp
    (31 Jan → 28 Feb), the result is k/12.
    """
    if end < start:
        raise ValueError(f"The end date {end} is before the start date {start}.")
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) == end:
        return Fraction(months, 12)
    while months > 0 and add_months(end, -months) < start:
        months -= 1
    anchor = add_months(end, -months)
    days = (anchor - start).days
    return Fraction(months, 12) + Fraction(days, days_in_year_ending(anchor))


def _as_time(t: Time) -> Fraction:
    if isinstance(t, float):
        raise TypeError("Times are Decimal or Fraction years, never floats.")
    value = Fraction(t)
    if value < 0:
        raise ValueError(f"A time ({t}) is before the first drawdown.")
    return value


def _as_amount(amount: Amount, seen: set[Currency]) -> Decimal:
    if isinstance(amount, Money):
        seen.add(amount.currency)
        value = amount.amount
    elif isinstance(amount, (Decimal, int)) and not isinstance(amount, bool):
        value = Decimal(amount)
    else:
        raise TypeError(f"An amount must be Decimal, int or Money, not {type(amount).__name__}.")
    if value < 0:
        raise ValueError(f"Amounts are positive (drawdowns and repayments are separate lists): {amount}.")
    return value


class _Flows:
    """Signed flows grouped by the part of their time below one month, for fast evaluation."""

    def __init__(self, drawdowns: Sequence[Flow], repayments: Sequence[Flow]) -> None:
        if not drawdowns:
            raise ValueError("No drawdown: a TAEG needs at least one amount lent.")
        if not repayments:
            raise ValueError("No repayment: a TAEG needs at least one amount paid back.")
        seen: set[Currency] = set()
        # rest (the time beyond whole months) → [(months, time in years as Decimal, signed amount)]
        self.groups: dict[Fraction, list[tuple[int, Decimal, Decimal]]] = {}
        lent, repaid = Decimal(0), Decimal(0)
        moment = Decimal(0)
        with localcontext() as ctx:
            ctx.prec = PRECISION
            for sign, flows in ((-1, drawdowns), (1, repayments)):
                for t, amount in flows:
                    time, value = _as_time(t), _as_amount(amount, seen)
                    if value == 0:
                        continue
                    months, rest = _months_and_rest(time)
                    at = _dec(time)
                    self.groups.setdefault(rest, []).append((months, at, sign * value))
                    lent, repaid = (lent + value, repaid) if sign < 0 else (lent, repaid + value)
                    moment += sign * value * at
        if len(seen) > 1:
            raise ValueError(f"Flows mix currencies ({', '.join(sorted(c.code for c in seen))}).")
        if lent == 0 or repaid == 0:
            raise ValueError("The amounts lent or repaid are all zero: there is no rate to compute.")
        for group in self.groups.values():
            group.sort(key=lambda f: f[0])
        self.lent, self.repaid, self.moment = lent, repaid, moment

    def value_and_slope(self, y: Decimal) -> tuple[Decimal, Decimal]:
        """g(y) = Σ a·e^(−t·y) and g'(y) = −Σ t·a·e^(−t·y) (40 digits)."""
        v = (-y / 12).exp()
        value, slope = Decimal(0), Decimal(0)
        for rest, flows in self.groups.items():
            scale = (-y * _dec(rest)).exp() if rest else Decimal(1)
            power, at = Decimal(1), 0
            for months, time, amount in flows:
                if months != at:
                    power *= v if months - at == 1 else v ** (months - at)  # monthly flows: no power
                    at = months
                term = amount * power * scale
                value += term
                slope -= time * term
        return value, slope


def _dec(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)


_NO_REST = Fraction(0)


def _months_and_rest(time: Fraction) -> tuple[int, Fraction]:
    """Whole months in ``time`` (years) and what is left; integer arithmetic in the usual case
    of a whole number of months, where Fraction arithmetic cost most of the set-up."""
    twelve_n, d = 12 * time.numerator, time.denominator
    months = twelve_n // d
    if months * d == twelve_n:
        return months, _NO_REST
    return months, time - Fraction(months, 12)


def annual_percentage_rate(
    *, drawdowns: Sequence[Flow], repayments: Sequence[Flow], guess: Decimal | None = None
) -> Decimal:
    """The TAEG X (a fraction: 0.2115 for 21.15 %) equating drawdowns and repayments (Annex I).

    ``drawdowns`` and ``repayments`` are ``(t, amount)`` pairs, ``t`` in years from the first
    drawdown (Decimal or Fraction; see ``year_fraction``), amounts positive Decimal or Money.
    Zero-amount flows are ignored; empty lists, or lists whose amounts are all zero, raise
    ``ValueError``. A negative result is valid (a subsidised loan). Unrounded: show it with
    ``round_taeg``. Raises ``NoConvergence`` rather than return an unverified number.
    ``guess`` (a TAEG, e.g. (1 + debit rate/12)^12 − 1 for a monthly loan) only saves Newton
    steps: the answer is the same, and a bad guess falls back to the usual start.
    """
    runs = monthly_runs(drawdowns, repayments)
    if runs is not None:
        found = solve_monthly_runs(runs, guess)
        if found is not None:
            return found
    flows = _Flows(drawdowns, repayments)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        y = _newton(flows, (1 + guess).ln()) if guess is not None and guess > -1 else None
        if y is None:
            y = _newton(flows, _first_guess(flows))
        if y is None:
            y = _bisection(flows)
        value, _ = flows.value_and_slope(y)
        if abs(value) > flows.repaid * Decimal("1e-15"):
            raise NoConvergence(f"The TAEG equation is not balanced at the solution found (residue {value}).")
        return (y.exp() - 1).quantize(_RESULT_QUANTUM)


def _first_guess(flows: _Flows) -> Decimal:
    """ln(repaid/lent) over the mean time between lending and repaying: exact for one payment."""
    if flows.moment <= 0:
        if flows.repaid == flows.lent:
            return Decimal(0)
        raise ValueError("Repayments come no later than the drawdowns on average: no rate can be computed.")
    mean_gap = flows.moment / ((flows.lent + flows.repaid) / 2)
    return (flows.repaid / flows.lent).ln() / mean_gap


def _newton(flows: _Flows, y: Decimal) -> Decimal | None:
    for _ in range(_MAX_NEWTON):
        value, slope = flows.value_and_slope(y)
        if slope == 0:
            return None
        step = value / slope
        y -= step
        if abs(y) > 50:
            return None
        if abs(step) < _TOLERANCE:
            return y
    return None


def _bisection(flows: _Flows) -> Decimal:
    low, high = Decimal(-1), Decimal(1)
    while flows.value_and_slope(low)[0] * flows.value_and_slope(high)[0] > 0:
        low, high = low * 2, high * 2
        if high > 64:
            raise NoConvergence("No rate between −100 % and e^64 − 1 balances these flows.")
    g_low = flows.value_and_slope(low)[0]
    for _ in range(_MAX_BISECTION):
        middle = (low + high) / 2
        g_mid = flows.value_and_slope(middle)[0]
        if (g_mid < 0) == (g_low < 0):
            low, g_low = middle, g_mid
        else:
            high = middle
        if high - low < _TOLERANCE:
            return (low + high) / 2
    raise NoConvergence("Bisection did not narrow the rate down to the tolerance.")


def flows_on_dates(start: date, flows: Iterable[tuple[date, Amount]]) -> list[Flow]:
    """``(date, amount)`` pairs turned into ``(t, amount)`` with ``year_fraction(start, date)``."""
    return [(year_fraction(start, on), amount) for on, amount in flows]


# -- whole months: the fast exact path ---------------------------------------------------------------
# Most schedules pay the same amount month after month, every time a whole number of months after
# the drawdown. Their equation is a polynomial in v = (1 + X)^(−1/12): Σ ± amount × v^month = 0,
# and a run of equal amounts on consecutive months is a geometric sum with a closed form, so an
# evaluation costs a handful of Decimal operations whatever the term. The start is cheap: Newton at
# 17 digits from the guess (a debit rate is within a rounding of the answer for a loan without fees)
# until the error left, about last month × step², is below 1e-10. Then one Newton step at 34 digits
# (two libmpdec words, cheaper than 40) whose residue is *proven* below the general path's
# tolerance by Taylor's bound, and whose TAEG is taken only when no rounding half of the 1e-15
# shown lies within its proven error (``_polish``); otherwise one more step. The answer is the same
# root, rounded to the same 1e-15 as the general path: only the cost changes (issue 9: ~2.7
# evaluations a loan instead of 5.3). No float anywhere (DESIGN.md: the finance core is Decimal/int
# only, tests/unit/credit/test_purity.py): the cheap start is Decimal at 17 digits, not a float.

# first month, last month, signed amount paid each month of the run (in any one unit: the rate does
# not depend on it, and the checks are relative to the amounts)
Run = tuple[int, int, Decimal]
_LOW_PRECISION = 17
_LOW_ERROR = Decimal("1e-10")
_POLISH_STEP = Decimal("1e-6")
_BALANCED = Decimal("1e-15")  # the residue allowed, times the amount repaid (as the general path)
_POLISH_PRECISION = 34  # two words of libmpdec (40 digits take three): ample for a result to 1e-15
_LAST_DIGITS = Decimal("1e-28")  # what 34 digits may lose on the way to the TAEG
_NEAR_ONE = Decimal("1e-8")
_FAST_LIMIT = Decimal(100)  # a TAEG above 10 000 %
_HALF_QUANTUM = _RESULT_QUANTUM / 2
_ONE = Decimal(1)
_ZERO = Decimal(0)
_MINUS_ONE = Decimal(-1)
_ERROR_FACTOR = Decimal(26)  # 2 (root within 2·residue/|f'|) × 13 (d(1/v^12)/dv ≤ 13·(1 + X)/v)


def monthly_runs(drawdowns: Sequence[Flow], repayments: Sequence[Flow]) -> list[Run] | None:
    """The flows as runs of equal amounts on consecutive whole months, or None when a time is not a
    whole number of months (or anything is unusual: the general path then decides, and explains)."""
    runs: list[Run] = []
    currencies: set[Currency] = set()
    for sign, flows in ((-1, drawdowns), (1, repayments)):
        if not flows:
            return None
        start = last = -2
        current: object = None
        for t, amount in flows:
            kind = type(t)
            if kind is Fraction:
                months, rest = divmod(12 * t.numerator, t.denominator)  # type: ignore[union-attr]
            elif kind is int:
                months, rest = 12 * t, 0
            else:
                return None
            if rest or months < 0:
                return None
            # ``is`` first: a schedule's flows share one Money per distinct installment
            if months == last + 1 and (amount is current or amount == current):
                last = months
                continue
            if current is not None:
                runs.append((start, last, _signed(current, sign, currencies)))
            start = last = months
            current = amount
        runs.append((start, last, _signed(current, sign, currencies)))
    if len(currencies) > 1 or any(a.is_nan() for _, _, a in runs):
        return None
    return runs


def _signed(amount: object, sign: int, currencies: set[Currency]) -> Decimal:
    if type(amount) is Money:
        currencies.add(amount.currency)
        value = Decimal(amount.minor).scaleb(-amount.currency.exponent)
    elif type(amount) is Decimal or type(amount) is int:
        value = Decimal(amount)
    else:
        return Decimal("NaN")  # not an amount: the general path raises the usual TypeError
    return value if sign > 0 and value >= 0 else -value if value >= 0 else Decimal("NaN")


class _Polynomial:
    """f(v) = Σ a·Σ_{m=s..e} v^m of whole-month runs, ready to evaluate with f'(v).

    Flows at month 0 are one constant; a run of one month is a·v^s (slope a·s·v^(s−1)); a longer run
    is a geometric sum G = (v^s − v^(e+1)) / (1 − v), whose derivative is
    (s·v^(s−1) − (e+1)·v^e + G) / (1 − v). The products a·s and a·(e+1) are made once (exact at 40
    digits), and the powers of v once per evaluation in increasing order of the months used (a
    product per month, one ``**`` per gap), kept in a list the runs index: one division, the rest
    products and sums.
    """

    __slots__ = ("const", "curvature", "gaps", "last", "lent", "repaid", "runs", "singles")

    def __init__(self, runs: list[Run]) -> None:
        const = lent = repaid = _ZERO
        used = {0}
        later: list[tuple[int, int, Decimal]] = []
        for s, e, a in runs:
            total = a if s == e else a * (e - s + 1)
            if a > _ZERO:
                repaid += total
            else:
                lent -= total
            if s == 0:
                const += a
                if e == 0:
                    continue
                s = 1
            later.append((s, e, a))
            used.update((s, s - 1, e, e + 1) if s < e else (s, s - 1))
        months = sorted(used)
        at = {m: k for k, m in enumerate(months)}
        singles: list[tuple[int, int, Decimal, Decimal]] = []
        geometric: list[tuple[int, int, int, int, Decimal, Decimal, Decimal]] = []
        for s, e, a in later:
            if s == e:
                singles.append((at[s], at[s - 1], a, a * s))
            else:
                geometric.append((at[s], at[s - 1], at[e + 1], at[e], a, a * s, a * (e + 1)))
        self.const, self.singles, self.runs = const, singles, geometric
        self.gaps = [m - before for before, m in pairwise(months)]
        self.last = months[-1]
        self.lent, self.repaid = lent, repaid
        # (lent + repaid)·last² ≥ Σ|a|·m² > |f''(v)| for 0 < v ≤ 1 (× v^last above 1): see ``_polish``
        self.curvature = (lent + repaid) * (self.last * self.last)

    def value_and_slope(self, v: Decimal) -> tuple[Decimal, Decimal, Decimal]:
        """f(v), f'(v) and v^last (|1 − v| not tiny)."""
        power = _ONE
        p = [power]
        for gap in self.gaps:
            power = power * v if gap == 1 else power * v**gap
            p.append(power)
        value, slope = self.const, _ZERO
        for k, below, a, as_ in self.singles:
            value += a * p[k]
            slope += as_ * p[below]
        if self.runs:
            over = _ONE / (_ONE - v)
            for k, below, k1, below1, a, as_, ae1 in self.runs:
                g = (p[k] - p[k1]) * over
                value += a * g
                slope += (as_ * p[below] - ae1 * p[below1] + a * g) * over
        return value, slope, power


def solve_monthly_runs(
    runs: list[Run], guess: Decimal | None = None, *, monthly: Decimal | None = None
) -> Decimal | None:
    """The TAEG of whole-month runs (see above), or None to let the general solver decide.

    ``guess``: a TAEG near the answer, or ``monthly``: a monthly rate near the answer's (the debit
    rate / 12 of a schedule); either only saves steps.
    """
    with localcontext() as ctx:
        ctx.prec = _POLISH_PRECISION
        f = _Polynomial(runs)
        lent, repaid = f.lent, f.repaid
        if lent <= _ZERO or repaid <= _ZERO or repaid == lent or f.last == 0:  # (all on one day: no rate)
            return None
        ctx.prec = _LOW_PRECISION
        if monthly is not None and monthly > _MINUS_ONE:
            v = _ONE / (_ONE + monthly)
        else:
            v = _start(guess, runs, repaid - lent)
        near = _newton_v(f, v)
        if near is None:
            return None
        ctx.prec = _POLISH_PRECISION
        return _polish(f, +near, repaid)


def _start(guess: Decimal | None, runs: list[Run], interest: Decimal) -> Decimal:
    """A v to start Newton from: 1 / (1 + guess/12) for a TAEG ``guess``; else the monthly rate that
    charges ``interest`` as simple interest on the flows' month-weighted amounts."""
    if guess is not None and guess > -1:
        return 1 / (1 + guess / 12)
    moment = sum((a * (s + e) * (e - s + 1) / 2 for s, e, a in runs), Decimal(0))
    if moment <= 0 or interest / moment <= -1:
        return Decimal("0.99")
    return 1 / (1 + interest / moment)


def _newton_v(f: _Polynomial, v: Decimal) -> Decimal | None:
    """The 17-digit start: Newton until the error left, about last·step² (the steps shrink
    quadratically), is below 1e-10; None if it goes astray (v ≤ 0 is no rate; near 1, a rate near
    zero, the closed forms cancel and the general path is exact). Only a start: ``_polish`` proves
    the answer. With everything lent at month 0, the first step (the one from afar) is the one for
    ln(value of the later flows / lent) in its Padé form, nearer linear than f: fees and insurance
    take fewer steps."""
    lent = -f.const if f.const < _ZERO else None
    small = _LOW_ERROR / f.last
    for _ in range(40):
        if v <= _ZERO or abs(_ONE - v) < _NEAR_ONE:
            return None
        value, slope, _ = f.value_and_slope(v)
        if not slope:
            return None
        step = value / slope
        if lent is not None:  # the first step (the one from afar) only
            later = value + lent
            if later > _ZERO:
                step = step * (later + later) / (later + lent)
            lent = None
        v -= step
        if step * step < small:
            return v
    return None


def _polish(f: _Polynomial, v: Decimal, repaid: Decimal) -> Decimal | None:
    """Newton at 34 digits until a step δ provably leaves the answer good to the last digit shown.

    Taylor: after a Newton step the residue f(v − δ) is ½·f''(ξ)·δ², and |f''(ξ)| ≤ Σ|a|·m² ·
    max(1, ξ^last) ≤ ``curvature``·max(1, v^last)·(1 + 0.2 %) for |δ| < 1e-6, so
    ``curvature``·max(1, v^last)·δ² bounds it with room; it must be below repaid·1e-15, the
    general path's check. The root is then within 2·residue/|f'| of v, and the TAEG (1/v^12 − 1)
    within 13·(1 + X)/v times that: the answer is taken unless a rounding half of the 1e-15 shown
    lies that close (or within what 34 digits may lose), else one more step. In practice one step:
    the 17-digit start is good to about 1e-10."""
    for _ in range(8):
        if v <= _ZERO or abs(_ONE - v) < _NEAR_ONE:
            return None
        value, slope, top = f.value_and_slope(v)
        if not slope:
            return None
        step = value / slope
        v -= step
        if abs(step) >= _POLISH_STEP or v <= _ZERO:
            continue
        residue = f.curvature * step * step
        if top > _ONE:
            residue *= top
        if residue > repaid * _BALANCED:
            continue
        v2 = v * v
        v4 = v2 * v2
        grown = _ONE / (v4 * v4 * v4)
        rate = grown - _ONE
        if rate > _FAST_LIMIT:  # an absurd rate has too many digits before the point for 40 digits:
            return None  # the general path decides, so both paths keep the same last digit
        shown = rate.quantize(_RESULT_QUANTUM)
        margin = _HALF_QUANTUM - abs(rate - shown)  # how far the rounding half is
        if margin <= _LAST_DIGITS or margin * abs(slope * v) <= _ERROR_FACTOR * residue * grown:
            continue  # a rounding half within reach of the error: one more step settles the last digit
        return shown
    return None
