"""LOA (location avec option d'achat): seed 003's calendar — 117 992 XPF on 15/06/2027 then 92 992 XPF."""

from datetime import date

from guichet.credit import XPF, Money, lease_schedule, round_taeg


def _lease():
    # Seed 003: contract opened 04/06/2027; financed amount and option price are our assumptions.
    return lease_schedule(
        financed=Money.of(3_000_000, XPF),
        first_payment=Money.of(117_992, XPF),
        installment=Money.of(92_992, XPF),
        term_months=36,
        first_due_on=date(2027, 6, 15),
        residual_value=Money.of(600_000, XPF),
        start_on=date(2027, 6, 4),
    )


def test_rents_follow_the_seed_calendar():
    s = _lease()
    assert [(r.due_on, r.installment) for r in s.rows[:7]] == [
        (date(2027, 6, 15), Money.of(117_992, XPF)),
        (date(2027, 7, 15), Money.of(92_992, XPF)),
        (date(2027, 8, 15), Money.of(92_992, XPF)),
        (date(2027, 9, 15), Money.of(92_992, XPF)),
        (date(2027, 10, 15), Money.of(92_992, XPF)),
        (date(2027, 11, 15), Money.of(92_992, XPF)),
        (date(2027, 12, 15), Money.of(92_992, XPF)),
    ]


def test_balance_goes_from_financed_to_residual_value_exactly():
    s = _lease()
    assert s.rows[-1].balance_after == Money.of(600_000, XPF)
    assert sum(r.principal.minor for r in s.rows) == 2_400_000
    assert all(r.installment == r.interest + r.principal for r in s.rows)


def test_lease_taeg_is_the_implicit_rate():
    s = _lease()
    assert Money.of(0, XPF) < s.total_interest
    assert round_taeg(s.taeg) == round_taeg(s.taeg)  # computed without NoConvergence
    assert 0 < s.taeg < 1
