"""CCD2 rules of ``guichet.credit.consumer_law`` (ordonnance n° 2025-880, in force 20 November 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.credit import EUR, XPF, Money
from guichet.credit.consumer_law import (
    OutOfScope,
    Regime,
    check_scope,
    regime_for,
    scope_bounds,
    withdrawal_deadline,
)


def test_a_150_euro_and_a_90_000_euro_credit_are_within_the_ccd2_scope():
    check_scope(Money(150_00, EUR))
    check_scope(Money(90_000_00, EUR))
    check_scope(Money(100_000_00, EUR))  # "supérieur à 100 000 euros" is out: 100 000 € is in


def test_above_100_000_euros_is_out_of_scope_with_the_article_in_the_message():
    with pytest.raises(OutOfScope, match="L312-4"):
        check_scope(Money(100_000_01, EUR))


def test_the_ceiling_in_xpf_is_compared_exactly_at_the_legal_parity():
    # 100 000 € = 11 933 174,22 XPF: 11 933 174 XPF is in, 11 933 175 XPF is out.
    check_scope(Money(11_933_174, XPF))
    with pytest.raises(OutOfScope):
        check_scope(Money(11_933_175, XPF))


def test_the_old_law_kept_its_200_and_75_000_euro_bounds():
    with pytest.raises(OutOfScope):
        check_scope(Money(150_00, EUR), regime=Regime.OLD_LAW)
    with pytest.raises(OutOfScope):
        check_scope(Money(90_000_00, EUR), regime=Regime.OLD_LAW)
    assert scope_bounds(on=date(2026, 11, 19)) == (Money(200_00, EUR), Money(75_000_00, EUR))
    assert scope_bounds(on=date(2026, 11, 20)) == (Money(0, EUR), Money(100_000_00, EUR))
    assert scope_bounds(on=date(2026, 11, 20), consolidation=True)[1] is None


def test_contracts_offered_from_20_november_2026_are_under_ccd2_and_older_ones_under_the_old_law():
    assert regime_for(offered_on=date(2026, 11, 20)) is Regime.CCD2
    assert regime_for(offered_on=date(2026, 11, 19)) is Regime.OLD_LAW


def test_a_running_revolving_credit_gets_the_new_early_repayment_and_renegotiation_rules_only():
    old = date(2024, 5, 1)
    assert regime_for(offered_on=old, open_ended=True, duty="renegotiation") is Regime.CCD2
    assert regime_for(offered_on=old, open_ended=True, duty="early_repayment") is Regime.CCD2
    assert regime_for(offered_on=old, open_ended=True, duty="withdrawal") is Regime.OLD_LAW
    assert regime_for(offered_on=old, open_ended=False, duty="renegotiation") is Regime.OLD_LAW


def test_withdrawal_runs_fourteen_days_from_the_information_when_it_arrives_after_the_conclusion():
    # L312-19 II 2°: signed on 1 December, information received on 5 December → until 19 December.
    assert withdrawal_deadline(
        concluded_on=date(2026, 12, 1), information_received_on=date(2026, 12, 5)
    ) == date(2026, 12, 19)


def test_withdrawal_runs_from_the_conclusion_when_the_information_came_with_the_offer():
    assert withdrawal_deadline(
        concluded_on=date(2026, 12, 1), information_received_on=date(2026, 11, 28)
    ) == date(2026, 12, 15)


def test_without_the_information_withdrawal_ends_twelve_months_and_fourteen_days_after_conclusion():
    # L312-19 III.
    assert withdrawal_deadline(concluded_on=date(2026, 12, 1), information_received_on=None) == date(
        2027, 12, 15
    )
