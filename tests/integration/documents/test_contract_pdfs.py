"""Contract PDFs carry the same numbers as the contract page (issue 4: "numbers identical to the screen").

Both are built from ``guichet.documents.sheets.contract_sheet``; these tests read the page's
HTML and the PDF's text (poppler's pdftotext) and compare the amounts a customer would compare.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from guichet.documents import render_pdf
from guichet.documents.sheets import contract_sheet
from guichet.loans.models import ScheduleLine
from guichet.loans.services import post_installment_due, post_payment
from tests.factories import make_contract, make_user
from tests.integration.portal.helpers import calendar_rows, dd_after, norm, pdf_text

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 20)


@pytest.fixture
def signed_in(client):
    user = make_user()
    contract = make_contract(user.customer, amount="10000.00", term_months=24)
    lines = list(ScheduleLine.objects.filter(version_id=contract.current_schedule_id, due_on__lt=TODAY))
    for line in lines:
        post_installment_due(contract=contract, line=line)
    for line in lines[:4]:
        post_payment(
            contract=contract, amount=contract.money(line.total_due_minor), on=line.due_on, key=f"p{line.pk}"
        )
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        yield client, contract


def _pdf(client, contract, kind: str) -> bytes:
    response = client.get(reverse("portal:contract_pdf", args=[contract.number, kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_amortization_table_pdf_rows_equal_the_page_calendar(signed_in):
    client, contract = signed_in
    page = client.get(reverse("portal:contract", args=[contract.number]), {"vue": "toutes"}).content.decode()
    response = client.get(reverse("portal:schedule_pdf", args=[contract.number]))
    assert 'filename="tableau-amortissement-' in response["Content-Disposition"]
    text = pdf_text(response.content)
    rows = calendar_rows(page)
    assert len(rows) == 24
    for cells in rows:
        date_, amount, interest, principal, insurance, balance, status = cells
        assert f"{date_} {amount} {interest} {principal} {insurance} {balance} {status}" in text


def test_pdf_has_lender_identity_and_page_numbers(signed_in):
    client, contract = signed_in
    text = pdf_text(_pdf(client, contract, "tableau-amortissement"))
    assert "Crédit Démo France" in text and "59686 LILLE Cedex 9" in text
    assert "page 1/" in text


@pytest.mark.parametrize("kind", ["attestation-credit", "attestation-solde", "recapitulatif"])
def test_attestations_show_the_pages_balance_and_arrears(signed_in, kind):
    client, contract = signed_in
    page = client.get(reverse("portal:contract", args=[contract.number])).content.decode()
    balance = dd_after(page, "Capital restant dû")
    text = pdf_text(_pdf(client, contract, kind))
    assert balance in text
    assert contract.number in text
    arrears = page[page.index('id="arrears">') + len('id="arrears">') :].split("<")[0]
    assert norm(arrears) in text and norm(arrears) != "0,00 €"  # one installment is unpaid


def test_pdf_follows_the_language_asked(signed_in):
    _client, contract = signed_in
    sheet = contract_sheet(contract=contract)
    pdf = render_pdf(
        template="documents/pdf/credit_attestation.html",
        context={"sheet": sheet, "issued_on": TODAY},
        language="en",
    )
    text = pdf_text(pdf)
    assert "€10,000.00" in text  # English number format (babel en_GB)
