"""Unpaid amounts come from the ledger alone: payments cover the due sequence oldest first."""

from datetime import date

from guichet.loans.models import Account
from guichet.loans.positions import Position

K = Account.Kind
JAN, FEB = date(2026, 1, 5), date(2026, 2, 5)


def _position(balances):
    p = Position()
    p.items = [
        (JAN, 1, 0, K.INTEREST_DUE, 40),
        (JAN, 1, 2, K.PRINCIPAL_DUE, 160),
        (FEB, 2, 0, K.INTEREST_DUE, 38),
        (FEB, 2, 2, K.PRINCIPAL_DUE, 162),
    ]
    p.balances.update(balances)
    return p


def test_what_is_unpaid_is_the_tail_of_the_due_sequence():
    # 250 paid: January (200) in full, then February's interest (38) and 12 of its principal.
    position = _position({K.INTEREST_DUE: 0, K.PRINCIPAL_DUE: 150})
    unpaid = position.unpaid_items()
    assert [(i.due_on, i.kind, i.amount_minor) for i in unpaid] == [(FEB, K.PRINCIPAL_DUE, 150)]
    assert position.installments_covered_minor == 250


def test_arrears_count_only_amounts_due_before_the_day():
    position = _position({K.INTEREST_DUE: 38, K.PRINCIPAL_DUE: 322})  # January partly paid (40)
    assert position.arrears_minor(FEB) == 160
    assert position.arrears_minor(date(2026, 2, 6)) == 360
    assert position.days_past_due(date(2026, 3, 1)) == 55


def test_nothing_is_late_when_everything_is_paid():
    position = _position({})
    assert position.unpaid_items() == [] and position.days_past_due(date(2026, 6, 1)) == 0
