"""CCD2 information regime, split payments and the New Caledonian debt-advice referral (issue 13).

- split payments (3 x / 4 x CB and the "en N fois" cards) are in scope under CCD2 at any amount, with the
  full standard form at the tariff's rate; a free credit gets the lighter regime of the new L312-4-1,
  which the form states (Guichet still delivers the full form: the stricter reading);
- ``compliance_report`` shows each product's and application's information regime and which products
  are split payments;
- the L312-35-1 referral names a service valid in the lender's territory, from the lender profile; the
  New Caledonian value is a demo value the report flags until the lender confirms it.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from guichet.credit import EUR, XPF, Money
from guichet.documents.models import Document
from guichet.origination.services import prepare_application
from guichet.support.forbearance import debt_advice_referral
from tests.factories import make_customer, make_staff
from tests.integration.portal.helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tariff(db, time_machine, mailbox):
    from guichet.catalogue.services import load_tariff

    time_machine.move_to("2026-12-10 10:00:00+00:00", tick=False)
    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")


def _report() -> list[str]:
    out = io.StringIO()
    call_command("compliance_report", stdout=out)
    return out.getvalue().splitlines()


def _line(lines: list[str], start: str) -> str:
    return next(line for line in lines if line.strip().startswith(start))


def _prepare(customer, product_code: str, amount: Money, term_months: int, **kw):
    return prepare_application(
        customer=customer,
        product_code=product_code,
        amount=amount,
        term_months=term_months,
        insurance_id=None,
        by=make_staff(role="advisor"),
        **kw,
    ).application


def test_a_150_euro_3x_cb_is_prepared_in_scope_with_the_full_form_and_reported_as_a_split_payment():
    customer = make_customer(reference="C-SPLIT-1", phone="+33612345678")
    app = _prepare(customer, "3xcb", Money(150_00, EUR), 3)
    text = pdf_text(Document.objects.get(customer=customer, title__contains="FIPEN").file.read())
    assert "Attention ! Un crédit coûte de l'argent et doit être remboursé." in text
    assert "L312-4-1" not in text  # a 3 x CB at 19,34 % is not a free credit: the standard form
    lines = _report()
    product = _line(lines, "3xcb ")
    assert "CCD2" in product and "information complet" in product and "fractionné" in product
    assert "OK" in product
    assert "fractionné" in _line(lines, "4xcb ") and "fractionné" in _line(lines, "cofidis-pay-3-24x ")
    assert "fractionné" not in _line(lines, "pret-sur-mesure ")
    application = _line(lines, f"demande {app.pk} ")
    assert "CCD2" in application and "information complet" in application
    assert "fiche précontractuelle non remise" not in application and "L312-4" not in application


def test_a_free_credit_gets_the_lighter_regime_which_the_form_and_the_report_state():
    customer = make_customer(reference="C-FREE-1", phone="+33612345679")
    app = _prepare(
        customer,
        "3xcb",
        Money(90_00, EUR),
        3,
        debit_rate=Decimal("0"),
        rate_reason="Offre commerciale 3 fois sans frais",
    )
    assert app.taeg == 0
    text = pdf_text(Document.objects.get(customer=customer, title__contains="FIPEN").file.read())
    assert "régime d'information allégé de l'article L312-4-1" in text
    assert "nous vous remettons néanmoins la fiche complète" in text
    assert "Aperçu" in text and "Coût total du crédit" in text  # the full form all the same
    application = _line(_report(), f"demande {app.pk} ")
    assert "information allégé L312-4-1" in application
    # The lighter regime lets nothing else go: the assessment is still due.
    assert "solvabilité non évaluée (L312-16)" in application


def test_the_referral_names_the_points_conseil_budget_in_france():
    referral = debt_advice_referral()
    assert "Points conseil budget" in referral
    assert not any("valeur de démonstration" in line for line in _report())


def test_the_new_caledonian_referral_comes_from_the_profile_and_the_report_flags_the_demo_value(
    settings,
):
    settings.GUICHET_LENDER = "nc"
    referral = debt_advice_referral()
    assert "commission de surendettement de la Nouvelle-Calédonie" in referral
    assert "IEOM" in referral and "Nouméa" in referral
    assert "Points conseil budget" not in referral and "Banque de France" not in referral
    lines = _report()
    assert any("valeur de démonstration" in line and "debt_advice" in line for line in lines)
    customer = make_customer(reference="C-NC-SPLIT", phone="+687123456")
    _prepare(customer, "3xcb", Money(17_900, XPF), 3)  # ≈ 150 €: in scope under CCD2
    text = pdf_text(Document.objects.get(customer=customer, title__contains="FIPEN").file.read())
    assert "IEOM" in text and "commission de surendettement de la Nouvelle" in text


def test_a_products_regime_is_light_only_when_every_tier_is_free_and_old_law_excluded_short_free_plans():
    from datetime import date

    from guichet.credit.consumer_law import InformationRegime
    from guichet.origination.regime import product_duties, split_payment

    def regime(on, rates, months=3):
        return product_duties(
            offered_on=on,
            amount=Money(3_000_00, EUR),
            max_term_months=months,
            debit_rates=rates,
            has_fees=False,
        ).regime

    after, before = date(2026, 12, 10), date(2026, 11, 19)
    assert regime(after, [Decimal("0")]) is InformationRegime.LIGHT
    assert regime(after, [Decimal("0"), Decimal("0.1934")]) is InformationRegime.STANDARD
    assert regime(after, [Decimal("0.1934")]) is InformationRegime.STANDARD
    assert regime(before, [Decimal("0")]) is InformationRegime.EXCLUDED_OLD_LAW
    assert regime(before, [Decimal("0")], months=10) is InformationRegime.STANDARD
    assert split_payment(code="3xcb", family="amortizable") and split_payment(code="x", family="split")
    assert not split_payment(code="pret-sur-mesure", family="personal_loan")


def test_a_150_euro_split_payment_simulation_carries_the_l312_5_warning(client):
    from guichet.credit.consumer_law import ADVERTISING_WARNING
    from tests.integration.portal.helpers import norm

    body = norm(client.get("/simulations/credit/?product=3xcb&amount=150&term=3").content.decode())
    assert "150,00" in body and "21,1" in body  # the plan was simulated (TAEG within 21,15 %)
    assert ADVERTISING_WARNING in body
