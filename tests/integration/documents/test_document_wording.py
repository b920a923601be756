"""French in the contract documents (issue 16): agreement with two holders, the lender's voice in its
attestations, one "Total" row in a multi-page amortization table, and "essai"/"essais"."""

from __future__ import annotations

from datetime import date

import pytest

from guichet.customers.exceptions import CodeInvalid
from guichet.documents import render_pdf
from guichet.documents.sheets import contract_sheet
from tests.factories import make_contract, make_customer, make_user
from tests.integration.portal.helpers import pdf_text

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 20)


def _text(template: str, contract) -> str:
    sheet = contract_sheet(contract=contract)
    return pdf_text(
        render_pdf(template=template, context={"sheet": sheet, "issued_on": TODAY}, language="fr")
    )


def test_an_attestation_for_two_holders_says_they_are_holders():
    camille = make_user(make_customer(first_name="Camille", last_name="Durand")).customer
    julien = make_customer(first_name="Julien", last_name="Durand")
    contract = make_contract(camille, co_borrower=julien)
    text = _text("documents/pdf/credit_attestation.html", contract)
    assert "Camille Durand et Julien Durand sont titulaires" in text
    assert "est titulaire" not in text


def test_an_attestation_for_one_holder_keeps_the_singular():
    contract = make_contract(make_user().customer)
    assert "est titulaire" in _text("documents/pdf/credit_attestation.html", contract)


@pytest.mark.parametrize(
    "template", ["documents/pdf/balance_attestation.html", "documents/pdf/credit_attestation.html"]
)
def test_the_lenders_attestations_do_not_speak_as_the_customer(template):
    text = _text(template, make_contract(make_user().customer))
    assert "Montant des impayés" in text and "mes impayés" not in text


def test_a_long_amortization_table_prints_its_total_once():
    contract = make_contract(make_user().customer, term_months=84)
    text = _text("documents/pdf/amortization_table.html", contract)
    assert "page 2/" in text  # the table runs over several pages
    assert text.count("Total ") == 1


def test_the_tries_left_after_a_wrong_code_agree_in_number():
    assert str(CodeInvalid(remaining=1)).endswith("Il vous reste 1 essai.")
    assert str(CodeInvalid(remaining=3)).endswith("Il vous reste 3 essais.")
