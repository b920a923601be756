"""Preparing an application in the back office against the shipped tariff (seed 004), on the New
Caledonian profile: the tariff is in EUR, the lender lends in XPF, so every bound is converted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.credit import Money, currency
from guichet.documents.models import Document
from guichet.origination.services import ApplicationRefused, prepare_application
from guichet.signing.models import Application
from tests.factories import make_customer, make_staff

from .helpers import staff_session

XPF = currency("XPF")


@pytest.fixture(autouse=True)
def _nc_with_tariff(settings, db, time_machine):
    from guichet.catalogue.services import load_tariff

    # A day whose quarter has its usury ceiling in data/usury: on a later day the last known ceiling
    # is stale, and the stale-ceiling alert makes every application an exception (issue 9).
    time_machine.move_to("2026-12-15 09:00:00+00:00", tick=True)
    settings.GUICHET_LENDER = "nc"
    # The French (euro) sheet on purpose: these tests cover the catalogue serving a euro sheet's
    # bounds in XPF at the legal parity (catalogue.parity), which a lender without its own XPF sheet
    # relies on; the NC lender's own sheet is loaded by the full-journey e2e and test_lender_tariffs.
    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")


@pytest.fixture
def advisor(db):
    return make_staff(role="advisor")


@pytest.fixture
def customer(db):
    return make_customer(phone="+687751266")


def test_an_xpf_amount_in_range_is_priced_from_the_tariff_without_exception(customer, advisor):
    prepared = prepare_application(
        customer=customer,
        product_code="pret-sur-mesure",
        amount=Money(500_000, XPF),
        term_months=36,
        insurance_id=None,
        by=advisor,
    )
    app = prepared.application
    assert (app.amount_minor, app.currency) == (500_000, "XPF")
    assert app.debit_rate is not None and app.taeg is not None
    assert prepared.review.exception_reasons == []
    assert Document.objects.filter(customer=customer, title__contains="FIPEN").count() == 1


def test_an_xpf_amount_above_the_product_maximum_is_an_exception_stated_in_xpf(customer, advisor):
    # Prêt Sur Mesure goes up to 35 000 € (seed 004) ≈ 4 176 611 XPF at the fixed parity.
    prepared = prepare_application(
        customer=customer,
        product_code="pret-sur-mesure",
        amount=Money(4_500_000, XPF),
        term_months=60,
        insurance_id=None,
        by=advisor,
    )
    (reason,) = prepared.review.exception_reasons
    assert "XPF" in reason and "EUR" not in reason and "€" not in reason
    assert prepared.review.needs_approval


def test_before_ccd2_an_xpf_amount_below_the_old_200_euro_floor_is_refused_and_nothing_is_kept(
    customer, advisor, time_machine
):
    # Old L312-4 3° (before 20 November 2026): 10 000 XPF = 83,80 € is under the 200 € floor.
    time_machine.move_to("2026-11-19 10:00:00+00:00", tick=False)
    with pytest.raises(ApplicationRefused):
        prepare_application(
            customer=customer,
            product_code="pret-sur-mesure",
            amount=Money(10_000, XPF),
            term_months=36,
            insurance_id=None,
            by=advisor,
        )
    assert not Application.objects.filter(customer=customer).exists()


def test_advisor_prepares_an_application_from_the_page(client, customer, advisor):
    staff_session(client, advisor)
    response = client.post(
        reverse("backoffice:application_new", args=[customer.pk]),
        {"product": "pret-sur-mesure", "amount": "500000", "term_months": "36", "insurance": ""},
    )
    app = Application.objects.get(customer=customer)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:application", args=[app.pk])
    assert app.amount == Money(500_000, XPF)
