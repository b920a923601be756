"""TAEG benchmark: random realistic loans solved by Guichet (exact Decimal and bulk numpy) and pyxirr.

Public paths, with their ratio to ``pyxirr.xirr`` (dates and float amounts, the usual tool) in the
same run, on the same 2 000 × GUICHET_BENCH_SCALE loans built as schedules (fees, compulsory
insurance): ``Schedule.taeg`` (the figure a simulation or an offer shows) and
``annual_percentage_rate`` on the schedule's ``taeg_flows()`` (the general entry point). The two
Guichet paths must agree to the digit; the largest gap to xirr (a 365-day year) is printed.

Loans follow seed 004's tariff: amount tiers and their debit rates, terms 3–84 months (up to
180 above 6 000 €), some with fees and compulsory insurance, installments exact to the cent.
pyxirr (float) solves the same monthly flows with ``irr`` and the result is compounded to an
annual rate, as Guichet does. Printed: loans/s for each path, pyxirr/Guichet speed ratio, and
the largest disagreements. Size: 100 000 loans × GUICHET_BENCH_SCALE (exact path: 2 000 ×).
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pyxirr

from guichet.credit import EUR, Money, amortization_schedule, annual_percentage_rate
from guichet.credit.schedule import InsuranceMonthlyOnBorrowed
from tests.bench._common import cpu_timed, scaled, timed
from tests.bench.bulk import amortize_many, portfolio_monthly_taeg

TIERS = [
    (300_000, ["0.1934", "0.1933", "0.1659"], 84),
    (600_000, ["0.0938", "0.0937"], 84),
    (7_500_000, ["0.0481", "0.0480"], 180),
]
INSURANCE = ["0.0016", "0.0018", "0.0021", "0.0028", "0.0030", "0.0046"]


def make_loans(n: int, seed: int = 2022) -> list[dict[str, object]]:
    rng = random.Random(seed)
    loans = []
    for _ in range(n):
        principal = int(50_000 * (150 ** rng.random()))  # 500 € to 75 000 €, log-uniform
        _, rates, longest = next(t for t in TIERS if principal <= t[0])
        rate = Decimal(rng.choice(rates)) if rng.random() < 0.8 else Decimal(rng.randint(0, 2100)) / 10000
        loans.append(
            {
                "principal": principal,
                "rate": rate,
                "term": rng.randint(3, longest),
                "fees": principal * rng.randint(0, 200) // 10_000 if rng.random() < 0.3 else 0,
                "insurance": principal * Decimal(rng.choice(INSURANCE)) if rng.random() < 0.2 else Decimal(0),
            }
        )
    return loans


def cash_flows(loans: list[dict[str, object]]) -> tuple[np.ndarray, np.ndarray]:
    """Net drawdown (principal − fees) and monthly payments in cents, as a padded matrix."""
    installment, *_ = amortize_many(
        [int(str(x["principal"])) for x in loans],
        [x["rate"] for x in loans],  # type: ignore[misc]
        [int(str(x["term"])) for x in loans],
    )
    premium = np.array(
        [int(Decimal(str(x["insurance"])).quantize(Decimal(1))) for x in loans], dtype=np.int64
    )
    terms = np.array([x["term"] for x in loans])
    mask = np.arange(installment.shape[1])[None, :] < terms[:, None]
    payments = installment + np.where(mask, premium[:, None], 0)
    net = np.array([int(str(x["principal"])) - int(str(x["fees"])) for x in loans], dtype=np.int64)
    return net, payments


def exact(net: int, row: np.ndarray) -> Decimal:
    repayments = [(Fraction(k + 1, 12), Decimal(int(a)) / 100) for k, a in enumerate(row) if a]
    return annual_percentage_rate(drawdowns=[(0, Decimal(int(net)) / 100)], repayments=repayments)


def main() -> None:
    n = scaled(100_000)
    loans, build = timed(lambda: make_loans(n))
    (net, payments), flows_time = timed(lambda: cash_flows(loans))
    print(f"{n} loans generated in {build:.1f} s; flows (exact int64 schedules) in {flows_time:.1f} s")

    lists = [[-int(net[i]) / 100] + [int(a) / 100 for a in payments[i] if a] for i in range(n)]
    theirs, pyxirr_time = timed(lambda: np.array([(1 + pyxirr.irr(f)) ** 12 - 1 for f in lists]))
    ours, bulk_time = timed(lambda: portfolio_monthly_taeg(net / 100, payments / 100))

    sample = scaled(2_000)
    exact_rates, exact_time = timed(lambda: [exact(net[i], payments[i]) for i in range(sample)])
    exact_arr = np.array([str(x) for x in exact_rates], dtype=np.float64)

    print(f"bulk numpy (Guichet):     {n / bulk_time:12,.0f} loans/s  ({bulk_time:.2f} s for {n})")
    print(f"pyxirr.irr:               {n / pyxirr_time:12,.0f} loans/s  ({pyxirr_time:.2f} s for {n})")
    print(
        f"exact Decimal (Guichet):  {sample / exact_time:12,.0f} loans/s  ({exact_time:.2f} s for {sample})"
    )
    print(f"speed-up bulk vs pyxirr:  {pyxirr_time / bulk_time:.1f}x")
    print(f"max |bulk − pyxirr|:      {np.nanmax(np.abs(ours - theirs)):.2e} (TAEG as a fraction)")
    print(f"max |bulk − exact|:       {np.max(np.abs(ours[:sample] - exact_arr)):.2e} on {sample} loans")
    print(f"max |pyxirr − exact|:     {np.nanmax(np.abs(theirs[:sample] - exact_arr)):.2e} on {sample} loans")
    print(f"pyxirr failures (nan):    {int(np.isnan(theirs).sum())}")
    public_paths(loans[: scaled(2_000)])


def _schedules(loans: list[dict[str, object]]) -> list:
    out = []
    for x in loans:
        principal = int(str(x["principal"]))
        monthly = Decimal(str(x["insurance"])) / principal
        out.append(
            amortization_schedule(
                principal=Money(principal, EUR),
                debit_rate=x["rate"],  # type: ignore[arg-type]
                term_months=int(str(x["term"])),
                first_due_on=date(2027, 1, 5),
                drawdown_on=date(2026, 12, 5),
                fees=Money(int(str(x["fees"])), EUR),
                insurance=InsuranceMonthlyOnBorrowed(monthly.quantize(Decimal("0.0001")), compulsory=True)
                if monthly
                else None,
            )
        )
    return out


def public_paths(loans: list[dict[str, object]], rounds: int = 5) -> None:
    """Schedule.taeg and annual_percentage_rate against pyxirr.xirr, alternating rounds (CPU time)."""
    n = len(loans)
    flows = [s.taeg_flows() for s in _schedules(loans)]
    dated = []
    for s in _schedules(loans):
        rows = s.rows
        net = (s.principal - s.fees).minor / 100
        dated.append(
            (
                [s.drawdown_on] + [r.due_on for r in rows],
                [-net] + [r.total_due.minor / 100 for r in rows],
            )
        )
    t_sched = t_flows = t_xirr = 0.0
    for _ in range(rounds):
        fresh = _schedules(loans)  # not timed: Schedule.taeg is computed once per schedule, then kept
        ours, took = cpu_timed(lambda fresh=fresh: [s.taeg for s in fresh])
        t_sched += took
        general, took = cpu_timed(
            lambda: [annual_percentage_rate(drawdowns=d, repayments=r) for d, r in flows]
        )
        t_flows += took
        theirs, took = cpu_timed(lambda: [pyxirr.xirr(d, a) for d, a in dated])
        t_xirr += took
    assert ours == general, "Schedule.taeg and annual_percentage_rate disagree"
    gap = max(abs(float(str(o)) - t) for o, t in zip(ours, theirs, strict=True) if t is not None)
    xirr_rate = n * rounds / t_xirr
    print(
        f"public paths on {n} schedules (fees, compulsory insurance), {rounds} alternating rounds, CPU time:"
    )
    print(f"pyxirr.xirr (dates, float): {xirr_rate:12,.0f} loans/s")
    for label, seconds in (("Schedule.taeg:           ", t_sched), ("annual_percentage_rate:  ", t_flows)):
        rate = n * rounds / seconds
        print(f"{label}   {rate:12,.0f} loans/s  ({rate / xirr_rate:.2f}x pyxirr.xirr)")
    print(f"max |Guichet − xirr|:       {gap:.2e} (xirr counts days over 365, Annex I whole months)")


if __name__ == "__main__":
    main()
