"""``manage.py compliance_report``: the regime of each product, open application and running contract,
and every duty not met, in one page."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from guichet.credit import EUR, Money
from guichet.credit.dates import add_months
from guichet.origination.services import prepare_application
from guichet.signing.models import Application
from tests.factories import make_contract, make_customer, make_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tariff(db, time_machine, mailbox):
    from guichet.catalogue.services import load_tariff

    time_machine.move_to("2026-12-10 10:00:00+00:00", tick=False)
    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")


def _report() -> str:
    out = io.StringIO()
    call_command("compliance_report", stdout=out)
    return out.getvalue()


def test_the_report_lists_regimes_and_unmet_duties_per_product_application_and_contract():
    from guichet.loans.services import post_installment_due

    advisor = make_staff(role="advisor")
    prepared = prepare_application(
        customer=make_customer(reference="C-REPORT-1", phone="+33612345678"),
        product_code="pret-sur-mesure",
        amount=Money(6_000_00, EUR),
        term_months=36,
        insurance_id=None,
        by=advisor,
    )
    legacy = Application.objects.create(
        customer=make_customer(reference="C-REPORT-2"),
        product_code="pret-sur-mesure",
        amount_minor=600_000,
        currency="EUR",
        term_months=36,
        debit_rate="0.048",
        created_by=advisor,
        created_at=timezone.now() - timezone.timedelta(days=40),
    )
    late = make_customer(reference="C-REPORT-3", email="late@example.test")
    make_user(late)
    today = timezone.localdate()
    contract = make_contract(late, amount="5000.00", term_months=24, start_on=add_months(today, -2, day=1))
    for line in contract.current_schedule.lines.filter(due_on__lt=today):
        post_installment_due(contract=contract, line=line)
    text = _report()
    assert "pret-sur-mesure" in text and "CCD2" in text
    assert f"demande {prepared.application.pk} " in text and "solvabilité non évaluée" in text
    legacy_line = next(line for line in text.splitlines() if f"demande {legacy.pk} " in line)
    assert "non préparée par l'origination" in legacy_line and "ancien" in legacy_line
    contract_line = next(line for line in text.splitlines() if contract.number in line)
    assert "sans mesures de renégociation (L312-35-1)" in contract_line
    assert "Manquements :" in text
