"""Dashboard and contract page: what the customer sees (issue 4), and only their own contracts.

Seed 003 ("Comment interpréter mon espace client ?"): card with product, number, start date,
status "Ouvert", "% remboursé", "Calendrier de remboursement" with "Tous", "Mes informations",
"Montant de mes impayés : 0 XPF" and the recovery service contact.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.loans.models import ScheduleLine
from guichet.loans.services import post_installment_due, post_payment
from guichet.portal.tasks import PendingTask, register_task_provider, unregister_task_provider
from tests.factories import make_contract, make_user

from .helpers import calendar_rows, dd_after, page_text

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 20)  # contracts start 2026-01-10: five installments (Feb–Jun 10) have fallen due


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _post_dues_and_pay(contract, paid_lines: int) -> None:
    """Post every installment due before TODAY and pay the first ``paid_lines`` of them."""
    lines = list(ScheduleLine.objects.filter(version_id=contract.current_schedule_id, due_on__lt=TODAY))
    for line in lines:
        post_installment_due(contract=contract, line=line)
    for line in lines[:paid_lines]:
        post_payment(
            contract=contract, amount=contract.money(line.total_due_minor), on=line.due_on, key=f"p{line.pk}"
        )


def test_dashboard_card_shows_synthesis_next_installment_and_zero_arrears(client):
    user = make_user()
    contract = make_contract(user.customer)
    _post_dues_and_pay(contract, paid_lines=5)
    client.force_login(user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    text = page_text(page)
    assert contract.number in text and contract.product_name in text
    assert "Ouvert" in text and "% remboursé" in text
    assert "Prochaine échéance 10/07/2026" in text
    assert "Montant de mes impayés 0,00 €" in text
    assert "Prêts actifs" in text and "Mes demandes" in text


def test_dashboard_shows_arrears_with_the_recovery_contact(client, settings):
    user = make_user()
    contract = make_contract(user.customer)
    _post_dues_and_pay(contract, paid_lines=3)  # two installments unpaid
    client.force_login(user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "arrears-bad" in page
    assert "03 28 09 28 09" in page  # data/lenders/fr.toml recovery_phone


def _dashboard_queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("portal:dashboard"))  # warm caches (profile, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("portal:dashboard")).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_runs_the_same_number_of_queries_for_one_or_six_contracts(client):
    one = make_user()
    make_contract(one.customer)
    six = make_user()
    for _ in range(6):
        _post_dues_and_pay(make_contract(six.customer), paid_lines=2)
    assert _dashboard_queries(client, one) == _dashboard_queries(client, six)


def test_dashboard_lists_tasks_from_registered_providers(client):
    user = make_user()

    def provider(customer):
        return [PendingTask(title="Signature du contrat", url="/espace/signature/1/", kind="signature")]

    register_task_provider(provider)
    try:
        client.force_login(user)
        text = page_text(client.get(reverse("portal:dashboard")).content.decode())
    finally:
        unregister_task_provider(provider)
    assert re.search(r"(Une tâche vous attend|\d+ tâches vous attendent)", text)
    assert "Signature du contrat" in text and "Continuer" in text


def test_contract_page_shows_terms_and_information(client):
    user = make_user()
    contract = make_contract(user.customer, amount="10000.00", term_months=48)
    client.force_login(user)
    page = client.get(reverse("portal:contract", args=[contract.number])).content.decode()
    assert dd_after(page, "Montant initial") == "10 000,00 €"
    assert dd_after(page, "Durée") == "48 mois"
    assert dd_after(page, "Taux débiteur") == "4,80 %"
    for label in (
        "TAEG",
        "Échéance (hors assurance)",
        "Assurance",
        "RIB",
        "Type de paiement",
        "Participants",
    ):
        assert dd_after(page, label)
    assert user.customer.full_name in dd_after(page, "Participants")


@pytest.mark.parametrize(("vue", "expected"), [("passees", 5), ("a-venir", 43), ("toutes", 48)])
def test_calendar_filters_split_past_and_upcoming_installments(client, vue, expected):
    user = make_user()
    contract = make_contract(user.customer, term_months=48)
    client.force_login(user)
    page = client.get(reverse("portal:contract", args=[contract.number]), {"vue": vue}).content.decode()
    rows = calendar_rows(page)
    assert len(rows) == expected
    assert f'href="?vue={vue}#h-calendar" aria-current="true"' in page


def test_calendar_marks_paid_and_unpaid_lines(client):
    user = make_user()
    contract = make_contract(user.customer)
    _post_dues_and_pay(contract, paid_lines=4)
    client.force_login(user)
    rows = calendar_rows(
        client.get(reverse("portal:contract", args=[contract.number]), {"vue": "passees"}).content.decode()
    )
    assert [r[-1] for r in rows] == ["Payée"] * 4 + ["Impayée"]


@pytest.mark.parametrize("name", ["portal:contract", "portal:schedule_pdf"])
def test_another_customers_contract_number_is_404(client, name):
    owner = make_user()
    contract = make_contract(owner.customer)
    intruder = make_user()
    make_contract(intruder.customer)
    client.force_login(intruder)
    assert client.get(reverse(name, args=[contract.number])).status_code == 404
    assert client.get(reverse(name, args=["9999999999"])).status_code == 404


def test_contract_pdf_of_another_customer_is_404_for_every_kind(client):
    owner = make_user()
    contract = make_contract(owner.customer)
    client.force_login(make_user())
    for kind in ("recapitulatif", "attestation-credit", "attestation-solde", "tableau-amortissement"):
        assert client.get(reverse("portal:contract_pdf", args=[contract.number, kind])).status_code == 404


def test_new_caledonian_dashboard_writes_zero_arrears_as_0_xpf(client, settings):
    """Seed 003: "Montant de mes impayés : 0 XPF"."""
    settings.GUICHET_LENDER = "nc"
    user = make_user()
    make_contract(
        user.customer, amount=600000, term_months=24, currency_code="XPF", product_code="pret-personnel"
    )
    client.force_login(user)
    text = page_text(client.get(reverse("portal:dashboard")).content.decode())
    assert "Montant de mes impayés 0 XPF" in text


def test_navigation_marks_the_current_section(client):
    user = make_user()
    client.force_login(user)
    page = client.get(reverse("portal:documents")).content.decode()
    assert f'<a href="{reverse("portal:documents")}" aria-current="page">' in page
    assert f'<a href="{reverse("portal:dashboard")}">' in page


@pytest.mark.parametrize("vue", ["a-venir", "toutes"])
def test_contract_page_costs_a_fixed_number_of_queries_whatever_the_calendar_view(
    client, vue, django_assert_max_num_queries
):
    user = make_user()
    contract = make_contract(user.customer)
    _post_dues_and_pay(contract, paid_lines=5)
    client.force_login(user)
    url = reverse("portal:contract", args=[contract.number])
    client.get(url)  # warm caches (profile, content types)
    with django_assert_max_num_queries(15):
        page = client.get(f"{url}?vue={vue}")
    assert len(calendar_rows(page.content.decode())) >= 5
