"""The bulk paths agree with the exact per-contract paths (bulk.py docstring)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from guichet.credit import EUR, XPF, Money, amortization_schedule, annual_percentage_rate
from guichet.credit.schedule import annuity_minor, monthly_rate_fraction
from tests.bench.bulk import amortize_many, annuity_minor_cached, portfolio_monthly_taeg

LOANS = [(1_000_000, "0.048", 60), (300_000, "0.1934", 3), (123_457, "0", 7), (9_999_999, "0.1468", 147)]


def test_bulk_schedules_equal_amortization_schedule_to_the_minor_unit():
    installment, interest, repaid, after = amortize_many(
        [p for p, _, _ in LOANS], [Decimal(r) for _, r, _ in LOANS], [n for _, _, n in LOANS]
    )
    for i, (p, r, n) in enumerate(LOANS):
        for cur in (EUR, XPF):
            s = amortization_schedule(
                principal=Money(p, cur), debit_rate=Decimal(r), term_months=n, first_due_on=date(2027, 1, 5)
            )
            got = [
                (int(installment[i, k]), int(interest[i, k]), int(repaid[i, k]), int(after[i, k]))
                for k in range(n)
            ]
            assert got == [
                (x.installment.minor, x.interest.minor, x.principal.minor, x.balance_after.minor)
                for x in s.rows
            ]


def test_cached_fixed_point_annuity_is_exact():
    for p in range(1, 2_000_000, 7919):
        for r in ("0.048", "0.1934", "0.1468"):
            assert annuity_minor_cached(p, Decimal(r), 60) == annuity_minor(
                p, monthly_rate_fraction(Decimal(r)), 60
            )


def test_portfolio_taeg_is_within_1e_12_of_the_exact_solver():
    installment, *_ = amortize_many([1_000_000], [Decimal("0.048")], [60])
    row = [int(x) for x in installment[0]]
    exact = annual_percentage_rate(
        drawdowns=[(0, Decimal(10000))],
        repayments=[(Fraction(k + 1, 12), Decimal(a) / 100) for k, a in enumerate(row)],
    )
    approx = portfolio_monthly_taeg([1_000_000], [row])[0]
    assert abs(Decimal(str(approx)) - exact) < Decimal("1e-12")
