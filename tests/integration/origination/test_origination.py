"""Origination (guichet.origination): the tariff's rate or a reasoned four-eyes exception (issue 9), the
creditworthiness assessment kept with the application (L312-16, CCD2 art. 18), the new standard form
(décret n° 2026-105) and the demo offer priced from the catalogue."""

from __future__ import annotations

import importlib
import io
from decimal import Decimal

import pytest
from django.conf import settings

from guichet.catalogue.models import Tariff
from guichet.credit import EUR, Money
from guichet.documents.models import Document
from guichet.origination.assessment import (
    DemoFicp,
    assess_creditworthiness,
    request_human_review,
    review_assessment,
)
from guichet.origination.exceptions import AssessmentRefused, OffTariffRate
from guichet.origination.models import CreditAssessment
from guichet.origination.services import (
    ApplicationRefused,
    approve_exception,
    prepare_application,
    request_offer_signature,
    signature_blocked,
)
from guichet.signing.models import Application
from tests.factories import make_customer, make_staff
from tests.integration.portal.helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tariff(db, time_machine, mailbox):
    from guichet.catalogue.services import load_tariff

    time_machine.move_to("2026-12-01 10:00:00+00:00", tick=False)
    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")


@pytest.fixture
def advisor():
    return make_staff(role="advisor")


@pytest.fixture
def customer():
    return make_customer(phone="+33612345678")


def _prepare(customer, advisor, **kw):
    return prepare_application(
        customer=customer,
        product_code="pret-sur-mesure",
        amount=Money(6_000_00, EUR),
        term_months=36,
        insurance_id=None,
        by=advisor,
        **kw,
    )


def _assess(app, advisor, income=3_000_00, charges=500_00, ficp=None):
    return assess_creditworthiness(
        application=app,
        monthly_income=Money(income, EUR),
        monthly_charges=Money(charges, EUR),
        evidence=["bulletin de salaire 10/2026"],
        by=advisor,
        ficp=ficp,
    )


def test_the_tariff_rate_is_the_offers_rate_up_to_6000_euros(customer, advisor):
    prepared = _prepare(customer, advisor)
    assert prepared.application.debit_rate == Decimal("0.093700")  # seed 004: 9,37 % up to 6 000 €
    assert prepared.review.catalogue_debit_rate == Decimal("0.093700")


def test_an_off_tariff_rate_without_a_reason_is_refused_and_nothing_is_kept(customer, advisor):
    with pytest.raises(OffTariffRate, match="9,37"):
        _prepare(customer, advisor, debit_rate=Decimal("0.0480"))
    assert not Application.objects.filter(customer=customer).exists()


def test_an_off_tariff_rate_with_its_reason_waits_for_another_supervisor(customer, advisor):
    prepared = _prepare(customer, advisor, debit_rate=Decimal("0.0480"), rate_reason="Fidélité client")
    app, review = prepared.application, prepared.review
    assert app.debit_rate == Decimal("0.048000")
    assert review.rate_reason == "Fidélité client"
    assert any("hors barème" in r and "Fidélité client" in r for r in review.exception_reasons)
    _assess(app, advisor)
    assert "superviseur" in signature_blocked(app)
    with pytest.raises(ApplicationRefused):
        request_offer_signature(application=app, by=advisor)
    with pytest.raises(ApplicationRefused):
        approve_exception(application=app, by=advisor)  # not the creator
    approve_exception(application=app, by=make_staff(role="supervisor"))
    assert signature_blocked(app) == ""


def test_no_signature_before_a_favourable_assessment_kept_with_the_application(customer, advisor):
    app = _prepare(customer, advisor).application
    assert "solvabilité" in signature_blocked(app)
    done = _assess(app, advisor, ficp=DemoFicp())
    assert done.outcome == CreditAssessment.Outcome.FAVOURABLE and done.automated
    assert done.ficp_consulted and done.ficp_registered is False and "DEMO" in done.ficp_source
    assert done.evidence == ["bulletin de salaire 10/2026"]
    assert "réexamen" in done.analysis
    assert signature_blocked(app) == ""


def test_an_assessment_without_evidence_is_refused(customer, advisor):
    app = _prepare(customer, advisor).application
    with pytest.raises(AssessmentRefused, match="justificatif"):
        assess_creditworthiness(
            application=app,
            monthly_income=Money(3_000_00, EUR),
            monthly_charges=Money(0, EUR),
            evidence=[" "],
            by=advisor,
        )
    assert not CreditAssessment.objects.exists()


def test_an_automated_refusal_can_be_reviewed_by_a_person_on_the_borrowers_request(customer, advisor):
    app = _prepare(customer, advisor).application
    done = _assess(app, advisor, income=1_000_00, charges=600_00)
    assert done.outcome == CreditAssessment.Outcome.UNFAVOURABLE
    assert "défavorable" in signature_blocked(app)
    request_human_review(assessment=done, customer=customer)
    with pytest.raises(AssessmentRefused):
        review_assessment(assessment=done, by=advisor, favourable=True, note="ok")  # supervisors only
    reviewed = review_assessment(
        assessment=done, by=make_staff(role="supervisor"), favourable=True, note="Prime annuelle justifiée"
    )
    assert reviewed.human_review_requested_at and not reviewed.automated
    assert signature_blocked(app) == ""


def test_the_new_standard_form_comes_from_the_offer_data_with_debt_advice_and_automated_processing(
    customer, advisor
):
    _prepare(customer, advisor)
    text = pdf_text(Document.objects.get(customer=customer, title__contains="FIPEN").file.read())
    assert "décret n° 2026-105" in text
    assert "Aperçu" in text and "9,37 %" in text and "6 000,00 €" in text
    assert "Traitement automatisé" in text and "réexamine" in text
    assert "Points conseil budget" in text
    assert "à compter de la conclusion du contrat ou, si elle est postérieure" in text


@pytest.mark.parametrize("profile", ["fr", "nc"])
def test_the_demo_offer_is_priced_from_the_catalogue_and_delivers_the_new_form(profile, settings):
    from guichet.lenders.profile import get_profile
    from guichet.loans.management.commands.demo_setup import DEMO_MODULES, DemoProfile

    settings.GUICHET_LENDER = profile
    if profile == "nc":  # its deployment holds its own XPF sheet, not seed 004's (issue 16)
        Tariff.objects.all().delete()
    for name in DEMO_MODULES:
        importlib.import_module(name).seed(profile=DemoProfile(get_profile()), stdout=io.StringIO())
    app = Application.objects.get(status=Application.Status.AWAITING_SIGNATURE)
    assert app.debit_rate == app.review.catalogue_debit_rate
    assert app.credit_assessment.outcome == CreditAssessment.Outcome.FAVOURABLE
    assert Document.objects.filter(customer=app.customer, title__contains="FIPEN").exists()


def test_the_customer_asks_from_the_space_for_a_person_to_review_an_automated_refusal(
    client, customer, advisor
):
    from tests.factories import make_user

    make_user(customer)
    app = _prepare(customer, advisor).application
    _assess(app, advisor, income=1_000_00, charges=600_00)
    client.force_login(customer.user)
    page = client.get(f"/espace/demandes/{app.public_id}/solvabilite/").content.decode()
    assert "traitement automatisé" in page and "Demander un réexamen" in page
    client.post(f"/espace/demandes/{app.public_id}/solvabilite/")
    assert CreditAssessment.objects.get(application=app).human_review_requested_at is not None
    other = make_customer(email="other@example.test")
    make_user(other)
    client.force_login(other.user)
    assert client.get(f"/espace/demandes/{app.public_id}/solvabilite/").status_code == 404


def test_the_back_office_form_refuses_an_off_tariff_rate_without_reason_and_records_one_with_it(
    client, customer
):
    from django.urls import reverse

    from tests.integration.backoffice.helpers import staff_session

    advisor = make_staff(role="advisor")
    staff_session(client, advisor)
    url = reverse("backoffice:application_new", args=[customer.pk])
    data = {
        "product": "pret-sur-mesure",
        "amount": "6000",
        "term_months": "36",
        "insurance": "",
        "debit_rate": "4.80",
    }
    page = client.post(url, data).content.decode()
    assert "barème" in page and not Application.objects.filter(customer=customer).exists()
    client.post(url, {**data, "rate_reason": "Offre de fidélité validée par la direction"})
    app = Application.objects.get(customer=customer)
    assert app.debit_rate == Decimal("0.048000") and app.review.needs_approval
    detail = client.get(reverse("backoffice:application", args=[app.pk])).content.decode()
    assert "Offre de fidélité" in detail and "Demander la signature" not in detail
