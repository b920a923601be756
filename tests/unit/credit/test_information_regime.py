"""The information regime of a credit under CCD2 (issue 13): the lighter regime of the new L312-4-1 for
free credit and credit repayable within three months with insignificant charges, the full standard
form for every other credit in scope — split payments included — and the old L312-4 3°/5° exclusions
for credits offered before 20 November 2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from guichet.credit import EUR, XPF, Money, amortization_schedule
from guichet.credit.consumer_law import (
    InformationRegime,
    information_duties,
    repaid_within,
)
from guichet.credit.dates import add_months

DRAW = date(2026, 12, 9)
AFTER = date(2026, 12, 1)
BEFORE = date(2026, 11, 19)


def _three_x_cb(amount_minor: int, rate: str = "0.1934", cur=EUR):
    return amortization_schedule(
        principal=Money(amount_minor, cur),
        debit_rate=Decimal(rate),
        term_months=3,
        first_due_on=add_months(DRAW, 1),
        drawdown_on=DRAW,
    )


def _duties(schedule, offered_on=AFTER):
    return information_duties(
        offered_on=offered_on,
        amount=schedule.principal,
        total_cost=schedule.total_interest + schedule.fees,
        drawdown_on=DRAW,
        last_due_on=schedule.last_due_on,
    )


def test_three_months_is_counted_from_the_drawdown_in_equal_months():
    assert repaid_within(3, drawdown_on=DRAW, last_due_on=date(2027, 3, 9))
    assert not repaid_within(3, drawdown_on=DRAW, last_due_on=date(2027, 3, 10))


def test_a_150_euro_3x_cb_at_the_tariff_rate_is_in_scope_with_the_full_form_under_ccd2():
    duties = _duties(_three_x_cb(150_00))
    assert duties.regime is InformationRegime.STANDARD
    assert "fiche d'information précontractuelle normalisée (décret 2026-105)" in duties.required
    assert "mention L312-5 dans toute publicité et simulation" in duties.required
    assert duties.relaxed == ()


def test_the_same_3x_cb_offered_before_ccd2_was_outside_the_chapter_below_200_euros():
    duties = _duties(_three_x_cb(150_00), offered_on=BEFORE)
    assert duties.regime is InformationRegime.EXCLUDED_OLD_LAW
    assert "200" in duties.reason and duties.required == ()
    # 300 €: in scope under the old law too, with the old full information.
    assert _duties(_three_x_cb(300_00), offered_on=BEFORE).regime is InformationRegime.STANDARD


@pytest.mark.parametrize("amount_minor", [50_00, 150_00, 3_000_00])
def test_a_free_split_plan_gets_the_lighter_regime_of_l312_4_1_and_keeps_every_other_duty(amount_minor):
    duties = _duties(_three_x_cb(amount_minor, rate="0"))
    assert duties.regime is InformationRegime.LIGHT and duties.light
    assert "L312-4-1" in duties.reason and "L312-4-1" in duties.label
    assert duties.relaxed  # what the lighter regime lets go: the full standard form
    for kept in (
        "évaluation de la solvabilité (L312-16)",
        "rétractation 14 jours (L312-19)",
        "consentement explicite, aucune case pré-cochée",
        "mesures de renégociation avant exécution (L312-35-1)",
    ):
        assert kept in duties.required


def test_a_free_split_plan_offered_before_ccd2_was_excluded_by_the_old_l312_4_5():
    duties = _duties(_three_x_cb(300_00, rate="0"), offered_on=BEFORE)
    assert duties.regime is InformationRegime.EXCLUDED_OLD_LAW and "5°" in duties.reason


def test_a_free_credit_over_more_than_three_months_is_light_and_a_paying_one_is_standard():
    free_12 = amortization_schedule(
        principal=Money(1_200_00, EUR),
        debit_rate=Decimal("0"),
        term_months=12,
        first_due_on=add_months(DRAW, 1),
        drawdown_on=DRAW,
    )
    assert _duties(free_12).regime is InformationRegime.LIGHT
    paying_12 = amortization_schedule(
        principal=Money(1_200_00, EUR),
        debit_rate=Decimal("0.0937"),
        term_months=12,
        first_due_on=add_months(DRAW, 1),
        drawdown_on=DRAW,
    )
    duties = _duties(paying_12)
    assert duties.regime is InformationRegime.STANDARD and "plus de trois mois" in duties.reason


def test_a_4x_cb_ending_after_three_months_is_standard_even_if_its_charges_were_small():
    four = amortization_schedule(
        principal=Money(100_00, EUR),
        debit_rate=Decimal("0.01"),
        term_months=4,
        first_due_on=add_months(DRAW, 1),
        drawdown_on=DRAW,
    )
    assert _duties(four).regime is InformationRegime.STANDARD


def test_xpf_amounts_follow_the_same_rule_at_the_legal_parity():
    # 17 900 XPF ≈ 150 €: excluded before CCD2 (old floor 200 €), in scope with the full form since.
    schedule = _three_x_cb(17_900, cur=XPF)
    assert _duties(schedule).regime is InformationRegime.STANDARD
    assert _duties(schedule, offered_on=BEFORE).regime is InformationRegime.EXCLUDED_OLD_LAW
