"""Scope of consumer credit, L312-4 3° as amended by ordonnance n° 2025-880 art. 5: no 200 € floor and a
100 000 € ceiling for credit offered from 20 November 2026; the catalogue applies it by date."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from guichet.catalogue.exceptions import OutOfRange
from guichet.catalogue.selectors import product_terms
from guichet.credit import EUR, Money
from guichet.origination.services import ApplicationRefused, prepare_application
from tests.factories import make_customer, make_staff


@pytest.fixture(autouse=True)
def _tariff(db, time_machine):
    from guichet.catalogue.services import load_tariff

    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")


def test_a_150_euro_loan_is_accepted_within_scope_since_ccd2(mailbox):
    customer = make_customer(phone="+33612345678")
    prepared = prepare_application(
        customer=customer,
        product_code="pret-sur-mesure",
        amount=Money(150_00, EUR),
        term_months=12,
        insurance_id=None,
        by=make_staff(role="advisor"),
    )
    assert prepared.application.amount_minor == 150_00
    # Within scope: no amount-range exception (a rounding TAEG flag on so small a loan is another matter).
    assert not any("Montant" in reason for reason in prepared.review.exception_reasons)


def test_the_same_150_euro_loan_was_out_of_scope_under_the_old_law(mailbox, time_machine):
    time_machine.move_to("2026-11-19 10:00:00+00:00", tick=False)
    with pytest.raises(ApplicationRefused, match="200,00"):
        prepare_application(
            customer=make_customer(phone="+33612345678"),
            product_code="pret-sur-mesure",
            amount=Money(150_00, EUR),
            term_months=12,
            insurance_id=None,
            by=make_staff(role="advisor"),
        )


def test_a_90_000_euro_revolving_credit_is_priced_within_scope_and_above_100_000_is_refused():
    terms = product_terms(
        product_code="accessio-confort", amount=Money(90_000_00, EUR), term_months=None, on=date(2026, 12, 1)
    )
    assert terms.max_amount == Money(100_000_00, EUR)
    with pytest.raises(OutOfRange):
        product_terms(
            product_code="accessio-confort",
            amount=Money(100_000_01, EUR),
            term_months=None,
            on=date(2026, 12, 1),
        )


def test_before_ccd2_the_same_revolving_credit_stopped_at_75_000_euros():
    with pytest.raises(OutOfRange, match=r"75.000,00"):
        product_terms(
            product_code="accessio-confort",
            amount=Money(90_000_00, EUR),
            term_months=None,
            on=date(2026, 11, 19),
        )
