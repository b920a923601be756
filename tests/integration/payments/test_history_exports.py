"""The payment history exports speak the customer's language (issue 16): the PDF says "Payé", not
"posted"; the CSV has French headers and values, dates and decimal commas written the French way, and
no internal reference."""

from __future__ import annotations

import pytest

from tests.factories import DEMO_PASSWORD
from tests.integration.portal.helpers import pdf_text


@pytest.fixture
def signed_in(client, borrower):
    assert client.login(email=borrower.email, password=DEMO_PASSWORD)
    return client


def test_the_history_pdf_names_the_status_in_french(signed_in, loan) -> None:
    text = pdf_text(signed_in.get("/espace/paiements/?format=pdf").content)
    assert "Payé" in text
    assert "posted" not in text and "pending" not in text


def test_the_history_csv_is_french_from_header_to_decimal_comma(signed_in, loan) -> None:
    body = signed_in.get("/espace/paiements/?format=csv").content.decode("utf-8-sig")
    header, first, *_rest = body.strip().splitlines()
    assert header == "Date;Contrat;Opération;Statut;Montant;Devise"
    day, number, operation, status, amount, cur = first.split(";")
    assert len(day) == 10 and day[2] == day[5] == "/"  # 10/02/2026
    assert number == loan.number and status == "Payé" and cur == "EUR"
    assert "," in amount and "." not in amount
    assert operation[0].isupper()  # the entry's French label ("Paiement"), not its code
    assert "installment" not in body and "payment" not in body and "-" not in first  # no internal key
