"""Sentences built in Python from figures (simulations, usury check, early-repayment indemnity,
seal verification) follow the active language; in French they stay the finance core's own words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from guichet.credit import Money
from guichet.credit.early_repayment import indemnity_cap
from guichet.credit.money import EUR
from guichet.credit.schedule import InsuranceMonthlyOnBorrowed
from guichet.credit.simulate import ExternalDebt, simulate_consolidation, simulate_new_credit
from guichet.credit.usury import check_usury
from guichet.documents.sealing import verify_pdf
from guichet.payments import wording


def eur(amount: str) -> Money:
    return Money.of(amount, EUR)


def _credit(insurance: bool = True):
    return simulate_new_credit(
        principal=eur("10000"),
        debit_rate=Decimal("0.048"),
        term_months=60,
        first_due_on=date(2026, 2, 5),
        drawdown_on=date(2026, 1, 5),
        insurance=InsuranceMonthlyOnBorrowed(Decimal("0.0003")) if insurance else None,
    )


def _consolidation(principal: str):
    return simulate_consolidation(
        debts=[ExternalDebt(eur("8000"), eur("300"), 30), ExternalDebt(eur("2000"), eur("100"), 20)],
        principal=eur(principal),
        debit_rate=Decimal("0.05"),
        term_months=84,
        first_due_on=date(2026, 2, 5),
        drawdown_on=date(2026, 1, 5),
    )


INDEMNITY_CASES = [
    {"revolving": True},
    {"insurance_payout": True},
    {"repaid_last_12_months": eur("5000")},
    {"remaining_interest": eur("10")},
    {},
    {"end_on": date(2026, 6, 1)},
]


def _indemnity(**overrides):
    args = {
        "amount_repaid": eur("20000"),
        "on": date(2026, 1, 5),
        "end_on": date(2030, 1, 5),
        "remaining_interest": eur("3000"),
        "repaid_last_12_months": eur("20000"),
        **overrides,
    }
    return indemnity_cap(**args)


def test_french_sentences_are_the_finance_cores_words_character_for_character():
    with translation.override("fr"):
        for sim in (_credit(), _credit(insurance=False)):
            assert wording.representative_example(sim) == sim.representative_example
            usury = check_usury(taeg=sim.taeg, amount=eur("10000"), on=date(2026, 1, 5))
            assert wording.usury_message(usury, sim.taeg) == usury.message
        for principal in ("10000", "12000"):
            sim = _consolidation(principal)
            assert wording.consolidation_sentence(sim) == sim.sentence
        for case in INDEMNITY_CASES:
            indemnity = _indemnity(**case)
            assert wording.indemnity_reason(indemnity) == indemnity.cap_reason


def test_english_simulation_sentences_hold_no_french():
    with translation.override("en"):
        sim = _credit()
        example = wording.representative_example(sim)
        usury = wording.usury_message(
            check_usury(taeg=sim.taeg, amount=eur("10000"), on=date(2026, 1, 5)), sim.taeg
        )
        consolidation = wording.consolidation_sentence(_consolidation("12000"))
    assert example.startswith("Representative example: for a credit of €10,000 over 60 months")
    assert "fixed borrowing rate of 4.80%" in example and "monthly instalments of €" in example
    assert usury.startswith("APR 4.91%: within the usury ceiling of")
    assert (
        "Your monthly instalments would go from €400.00" in consolidation
        and "€2,000.00 of extra cash" in consolidation
    )
    for text in (example, usury, consolidation):
        assert "mensualité" not in text and "TAEG" not in text and " : " not in text


@pytest.mark.parametrize("case", INDEMNITY_CASES)
def test_english_indemnity_reason_cites_the_same_article(case):
    indemnity = _indemnity(**case)
    with translation.override("en"):
        reason = wording.indemnity_reason(indemnity)
    article = "D312-15" if "D312-15" in indemnity.cap_reason else "L312-34"
    assert (
        article in reason and "indemnit" not in reason.replace("indemnity", "") and "du montant" not in reason
    )


def test_seal_verification_message_is_in_the_active_language():
    with translation.override("en"):
        assert verify_pdf(b"not a pdf").message.startswith("The file is not a readable PDF")
    with translation.override("fr"):
        assert verify_pdf(b"not a pdf").message.startswith("Le fichier n'est pas un PDF lisible")
