"""Schedule benchmark: rows/s for 100 000 schedules (EUR and XPF) against a Decimal row-by-row baseline.

Paths, all on the same loans in the same run:
- baseline: the straightforward way — Decimal pmt (50 digits) quantized half-up, then per row
  interest = (balance × r).quantize(half-up), principal, balance (written here, not in Guichet);
- guichet integer core: ``schedule.annuity_minor`` + ``amortize_minor`` (integer minor units,
  exact rational half-up), the path behind ``amortization_schedule``;
- guichet bulk: ``bulk.amortize_many`` (numpy int64, same formula, vectorised over loans);
- public path: ``amortization_schedule`` as a caller uses it — the ``Schedule`` with its installment,
  total interest, total due and TAEG-ready totals (rows built lazily, on first read), and the same
  with every Money row read (``schedule.rows``), each with its ratio to the baseline of the same run.
Equality with the baseline is checked row by row and printed. Size: 100 000 × GUICHET_BENCH_SCALE
schedules for the fast paths; the baseline runs on 20 000 × GUICHET_BENCH_SCALE of them.
Times are CPU seconds of this process (``cpu_timed``), and the baseline and the integer core run
in alternating slices, so that other jobs on the machine skew their ratio as little as possible.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import partial

from guichet.credit import EUR, XPF, Money, amortization_schedule
from guichet.credit.schedule import amortize_minor, annuity_minor, monthly_rate_fraction
from tests.bench._common import cpu_timed, scaled
from tests.bench.bench_apr import make_loans
from tests.bench.bulk import amortize_many

Row = tuple[int, int, int, int]
SLICES = 20


def baseline(principal_minor: int, debit_rate: Decimal, months: int, exponent: int) -> list[Row]:
    """Row by row in Decimal, in major units, as most code does it."""
    q = Decimal(1).scaleb(-exponent)
    principal = Decimal(principal_minor).scaleb(-exponent)
    r = debit_rate / 12
    with localcontext() as ctx:
        ctx.prec = 50
        pmt = principal / months if r == 0 else principal * r / (1 - (1 + r) ** -months)
        pmt = pmt.quantize(q, ROUND_HALF_UP)
    rows, balance = [], principal
    for k in range(months):
        interest = (balance * r).quantize(q, ROUND_HALF_UP)
        part = balance if k == months - 1 else min(pmt - interest, balance)
        balance -= part
        rows.append((interest + part, interest, part, balance))
    scale = Decimal(1).scaleb(exponent)
    return [tuple(int(x * scale) for x in row) for row in rows]  # type: ignore[misc]


def integer_core(principal_minor: int, debit_rate: Decimal, months: int) -> list[Row]:
    monthly = monthly_rate_fraction(debit_rate)
    return amortize_minor(principal_minor, monthly, months, annuity_minor(principal_minor, monthly, months))


def baseline_tie_errors(base: list[Row], ours: list[Row], principal: int, rate: Decimal) -> bool:
    """True when the first differing row is an exact half-unit tie that ours rounds up, as the rule says.

    The Decimal baseline holds r/12 to 28 digits (0.1468/12 = 0.0122333…), so balance × r lands
    just below an exact .5 and rounds down; the integer path uses the exact fraction.
    """
    k = next(j for j in range(len(base)) if base[j] != ours[j])
    before = principal if k == 0 else ours[k - 1][3]
    exact = Fraction(before) * Fraction(rate) / 12
    return exact.denominator == 2 and ours[k][1] == exact + Fraction(1, 2)


def run_currency(code: str, exponent: int, factor: int, n: int, n_base: int) -> None:
    loans = make_loans(n, seed=7 + exponent)
    # XPF amounts: the same loans in francs (1 € ≈ 119.33 XPF), rounded to the franc.
    principals = [
        int(str(x["principal"])) * factor // 10_000 if exponent == 0 else int(str(x["principal"]))
        for x in loans
    ]
    rates = [Decimal(str(x["rate"])) for x in loans]
    terms = [int(str(x["term"])) for x in loans]
    rows_total = sum(terms)
    rows_base = sum(terms[:n_base])

    def base_slice(lo: int, hi: int) -> list[list[Row]]:
        return [baseline(principals[i], rates[i], terms[i], exponent) for i in range(lo, hi)]

    def core_slice(lo: int, hi: int) -> list[list[Row]]:
        return [integer_core(principals[i], rates[i], terms[i]) for i in range(lo, hi)]

    cur = EUR if exponent else XPF
    first_due = date(2027, 1, 5)

    def api_slice(lo: int, hi: int) -> int:
        """What a simulation reads: installment, totals (rows not built)."""
        for i in range(lo, hi):
            s = amortization_schedule(
                principal=Money(principals[i], cur),
                debit_rate=rates[i],
                term_months=terms[i],
                first_due_on=first_due,
            )
            _ = (s.installment, s.total_interest, s.total_due, s.last_due_on)
        return hi - lo

    def rows_slice(lo: int, hi: int) -> int:
        """The same, and every Money row read (a schedule page, a PDF)."""
        for i in range(lo, hi):
            s = amortization_schedule(
                principal=Money(principals[i], cur),
                debit_rate=rates[i],
                term_months=terms[i],
                first_due_on=first_due,
            )
            _ = s.rows
        return hi - lo

    base: list[list[Row]] = []
    core: list[list[Row]] = []
    t_base = t_core = t_api = t_rows = 0.0
    # The paths run in alternating slices so that all see the same load from other jobs.
    for s in range(SLICES):
        part, took = cpu_timed(partial(base_slice, n_base * s // SLICES, n_base * (s + 1) // SLICES))
        base, t_base = base + part, t_base + took
        part, took = cpu_timed(partial(core_slice, n * s // SLICES, n * (s + 1) // SLICES))
        core, t_core = core + part, t_core + took
        t_api += cpu_timed(partial(api_slice, n_base * s // SLICES, n_base * (s + 1) // SLICES))[1]
        t_rows += cpu_timed(partial(rows_slice, n_base * s // SLICES, n_base * (s + 1) // SLICES))[1]
    bulk, t_bulk = cpu_timed(lambda: amortize_many(principals, rates, terms))

    installment, interest, repaid, after = bulk
    differing = [i for i in range(n_base) if base[i] != core[i]]
    mismatches_core = len(differing)
    ties = sum(baseline_tie_errors(base[i], core[i], principals[i], rates[i]) for i in differing)
    mismatches_bulk = sum(
        base[i]
        != [
            (int(installment[i, k]), int(interest[i, k]), int(repaid[i, k]), int(after[i, k]))
            for k in range(terms[i])
        ]
        for i in range(n_base)
    )
    base_rate = rows_base / t_base
    print(f"[{code}] {n} schedules, {rows_total:,} rows (baseline on {n_base} schedules, {rows_base:,} rows)")
    print(f"[{code}]   Decimal baseline:     {base_rate:14,.0f} rows/s")
    for label, seconds in (("Guichet integer core:", t_core), ("Guichet bulk int64:  ", t_bulk)):
        speed = rows_total / seconds
        print(f"[{code}]   {label} {speed:14,.0f} rows/s  ({speed / base_rate:.1f}x)")
    for label, seconds in (
        ("amortization_schedule, figures read (public path):", t_api),
        ("amortization_schedule, every Money row read:     ", t_rows),
    ):
        speed = rows_base / seconds
        print(f"[{code}]   {label} {speed:14,.0f} rows/s  ({speed / base_rate:.1f}x) on {n_base} schedules")
    print(
        f"[{code}]   schedules differing from the baseline:"
        f" core {mismatches_core}, bulk {mismatches_bulk} of {n_base};"
        f" of these, {ties} are exact half-unit ties the 28-digit Decimal baseline rounds down"
    )


def main() -> None:
    n, n_base = scaled(100_000), scaled(20_000)
    run_currency("EUR", 2, 1, n, n_base)
    run_currency("XPF", 0, 11933, n, n_base)


if __name__ == "__main__":
    main()
