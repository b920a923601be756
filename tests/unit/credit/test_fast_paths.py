"""The fast public paths give the same figures as the straightforward ones (issue 9, benchmarks):
``amortization_schedule`` builds its Money rows lazily and reads its totals and TAEG from the
integer balances; the TAEG of whole-month flows is solved on runs of equal amounts (closed-form
geometric sums). Same rows, same totals, same TAEG to the last digit (1e-15)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.credit import EUR, XPF, Money, amortization_schedule, apr
from guichet.credit.schedule import (
    InsuranceMonthlyOnBorrowed,
    InsuranceOnBorrowed,
    Schedule,
    _first_interest,
    amortize_minor,
    annuity_minor,
    monthly_rate_fraction,
)

loans = st.fixed_dictionaries(
    {
        "minor": st.integers(min_value=100, max_value=10**8),
        "xpf": st.booleans(),
        "months": st.integers(min_value=1, max_value=120),
        "rate": st.integers(min_value=0, max_value=2500).map(lambda x: Decimal(x) / 10000),
        "first": st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)),
        "broken": st.integers(min_value=0, max_value=40),
        "fees": st.integers(min_value=0, max_value=50_000),
        "insurance": st.sampled_from([None, "monthly", "total", "optional"]),
    }
)


def _schedule(loan):
    cur = XPF if loan["xpf"] else EUR
    insurance = {
        None: None,
        "monthly": InsuranceMonthlyOnBorrowed(Decimal("0.0018"), compulsory=True),
        "total": InsuranceOnBorrowed(Decimal("0.0036"), compulsory=True),
        "optional": InsuranceOnBorrowed(Decimal("0.0024")),
    }[loan["insurance"]]
    first = loan["first"]
    drawdown = date.fromordinal(first.toordinal() - 30 - loan["broken"]) if loan["broken"] else None
    return amortization_schedule(
        principal=Money(loan["minor"], cur),
        debit_rate=loan["rate"],
        term_months=loan["months"],
        first_due_on=first,
        drawdown_on=drawdown,
        fees=Money(loan["fees"], cur),
        insurance=insurance,
    )


def _taeg(schedule: Schedule) -> object:
    try:
        return schedule.taeg
    except ArithmeticError as exc:  # no rate balances the flows (fees above the interest saved, …)
        return type(exc)


def _built(schedule: Schedule) -> Schedule:
    """The same schedule made the plain way, from its (built) rows."""
    return Schedule(
        rows=schedule.rows,
        principal=schedule.principal,
        debit_rate=schedule.debit_rate,
        installment=schedule.installment,
        fees=schedule.fees,
        drawdown_on=schedule.drawdown_on,
        insurance_in_taeg=schedule.insurance_in_taeg,
    )


@settings(max_examples=60, deadline=None)
@given(loans)
def test_a_lazy_schedule_has_the_rows_totals_and_taeg_of_the_plain_one(loan):
    lazy = _schedule(loan)
    figures = (
        lazy.total_interest,
        lazy.total_insurance,
        lazy.total_cost,
        lazy.total_due,
        lazy.term_months,
        lazy.first_due_on,
        lazy.last_due_on,
        lazy.outstanding_after(loan["months"] // 2),
        lazy.taeg_flows(),
        _taeg(lazy),
    )
    # None of these figures built the rows (a tiny loan whose rows are capped builds them at once).
    assert ("rows" in lazy.__dict__) == ("_lazy" not in lazy.__dict__)
    plain = _built(lazy)
    assert figures == (
        plain.total_interest,
        plain.total_insurance,
        plain.total_cost,
        plain.total_due,
        plain.term_months,
        plain.first_due_on,
        plain.last_due_on,
        plain.outstanding_after(loan["months"] // 2),
        plain.taeg_flows(),
        _taeg(plain),
    )
    monthly = monthly_rate_fraction(loan["rate"])
    first = _first_interest(lazy.principal, loan["rate"], lazy.drawdown_on, lazy.first_due_on)
    raw = amortize_minor(
        loan["minor"], monthly, loan["months"], annuity_minor(loan["minor"], monthly, loan["months"]), first
    )
    assert [
        (r.installment.minor, r.interest.minor, r.principal.minor, r.balance_after.minor) for r in lazy.rows
    ] == raw


@settings(max_examples=80, deadline=None)
@given(
    st.integers(min_value=10_000, max_value=10**8),
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=120),
    st.integers(min_value=0, max_value=3),
)
def test_the_whole_month_path_finds_the_general_solver_s_taeg_to_the_last_digit(lent, payments, offset):
    repayments = [(Fraction(k + 1 + offset, 12), Decimal(a) / 100) for k, a in enumerate(payments)]
    drawdowns = [(0, Decimal(lent) / 100)]
    general = _general(drawdowns, repayments)
    if isinstance(general, Exception):
        return  # no rate (e.g. repaid nothing): the general path's refusal stands, and is the answer
    assert apr.annual_percentage_rate(drawdowns=drawdowns, repayments=repayments) == general


def _general(drawdowns, repayments):
    original = apr.monthly_runs
    apr.monthly_runs = lambda *_: None  # type: ignore[assignment]
    try:
        return apr.annual_percentage_rate(drawdowns=drawdowns, repayments=repayments)
    except (ValueError, ArithmeticError) as exc:
        return exc
    finally:
        apr.monthly_runs = original  # type: ignore[assignment]


def test_an_absurd_rate_is_left_to_the_general_solver_so_the_last_digit_stays():
    # 100 € lent, 6 441,31 € repaid a month later: a TAEG of 5.1e21, 37 significant digits shown.
    drawdowns, repayments = [(0, Decimal(100))], [(Fraction(1, 12), Decimal("6441.31"))]
    assert apr.solve_monthly_runs(apr.monthly_runs(drawdowns, repayments) or []) is None
    assert apr.annual_percentage_rate(drawdowns=drawdowns, repayments=repayments) == _general(
        drawdowns, repayments
    )


schedules = st.fixed_dictionaries(
    {
        "minor": st.integers(min_value=100, max_value=10**9),
        "xpf": st.booleans(),
        "months": st.integers(min_value=1, max_value=180),
        "rate": st.integers(min_value=0, max_value=2500).map(lambda x: Decimal(x) / 10000),
        "first": st.dates(min_value=date(2027, 1, 1), max_value=date(2028, 12, 31)),
        "drawdown": st.sampled_from(["none", "month before", "broken"]),
        "fees": st.integers(min_value=0, max_value=10**6),
        "insurance": st.sampled_from([None, "monthly", "total", "optional"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(schedules)
def test_schedule_taeg_fast_path_equals_the_general_solver_to_the_last_digit(loan):
    # Issue 9: Schedule.taeg is solved on runs of equal amounts (17-digit start, one proven
    # 34-digit Newton step); the general solver (Annex I flows, Newton at 40 digits to 1e-20)
    # must give the same unrounded TAEG, to the last digit (1e-15), on random loans.
    cur = XPF if loan["xpf"] else EUR
    first = loan["first"]
    drawdown = {
        "none": None,
        "month before": date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, min(first.day, 28)),
        "broken": date.fromordinal(first.toordinal() - 45),
    }[loan["drawdown"]]
    if drawdown is not None and loan["drawdown"] == "month before" and drawdown.day != first.day:
        drawdown = None  # a clamped day is not a whole month: covered by "broken"
    schedule = amortization_schedule(
        principal=Money(loan["minor"], cur),
        debit_rate=loan["rate"],
        term_months=loan["months"],
        first_due_on=first,
        drawdown_on=drawdown,
        fees=Money(min(loan["fees"], loan["minor"] // 2), cur),
        insurance={
            None: None,
            "monthly": InsuranceMonthlyOnBorrowed(Decimal("0.0046"), compulsory=True),
            "total": InsuranceOnBorrowed(Decimal("0.0036"), compulsory=True),
            "optional": InsuranceOnBorrowed(Decimal("0.0024")),
        }[loan["insurance"]],
    )
    general = _general(*schedule.taeg_flows())
    assert _taeg(schedule) == (general if not isinstance(general, Exception) else type(general))
