"""Bank details are validated with clear French messages; the pain.008 file validates against the XSD;
the XPF lender gets a local CSV, never a SEPA file; return files (XML and CSV) are read with their R-codes."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from django.utils import translation

from guichet.payments.returns import ReturnFileInvalid, parse_returns
from guichet.payments.sepa import (
    BankDetailsInvalid,
    Collection,
    CollectionFileInvalid,
    Creditor,
    build_local_csv,
    build_pain008,
    validate_bank_details,
)

# A valid French IBAN (Crédit Agricole CIB test account used in the lender profile).
GOOD_IBAN = "FR76 3000 6000 0112 3456 7890 189"


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def test_valid_iban_is_compacted_and_bic_derived_from_bank_code() -> None:
    details = validate_bank_details(iban=GOOD_IBAN)
    assert details.iban == "FR7630006000011234567890189"
    assert details.bic.startswith("AGRIFRPP")
    assert details.masked == "FR76 **** 0189"


@pytest.mark.parametrize(
    ("iban", "fragment"),
    [
        ("FR7630006000011234567890188", "clé de contrôle"),
        ("FR76300060000112345678901", "longueur"),
        ("", "Saisissez"),
        ("FR76 3000 6000 0112 3456 7890 18!", "caractères"),
    ],
)
def test_invalid_iban_is_refused_with_a_french_message(iban: str, fragment: str) -> None:
    with pytest.raises(BankDetailsInvalid, match=fragment):
        validate_bank_details(iban=iban)


def test_bic_of_another_country_than_the_iban_is_refused() -> None:
    with pytest.raises(BankDetailsInvalid, match="pays"):
        validate_bank_details(iban=GOOD_IBAN, bic="DEUTDEFF")


def test_malformed_bic_is_refused() -> None:
    with pytest.raises(BankDetailsInvalid, match="BIC"):
        validate_bank_details(iban=GOOD_IBAN, bic="AGRI")


def _collection(n: int, amount_minor: int = 15_432) -> Collection:
    return Collection(
        end_to_end_id=f"GUICHET-{n:08d}",
        mandate_reference=f"GUI-0000000001-{n:02d}",
        mandate_signed_on=date(2024, 1, 15),
        debtor_name="Élodie Dûrand",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        amount_minor=amount_minor,
        sequence_type="RCUR" if n % 2 else "FRST",
        description=f"Échéance {n} contrat 0000000001",
    )


CREDITOR = Creditor(
    name="Crédit Démo France", iban="FR7630006000011234567890189", bic="AGRIFRPP", creditor_id="FR72ZZZ123456"
)


def test_pain008_validates_against_the_official_xsd_and_carries_amounts_in_euros() -> None:
    xml = build_pain008(
        creditor=CREDITOR, collection_on=date(2024, 6, 5), collections=[_collection(1), _collection(2)]
    )
    assert b"urn:iso:std:iso:20022:tech:xsd:pain.008.001.02" in xml
    assert b'<InstdAmt Ccy="EUR">154.32</InstdAmt>' in xml
    assert b"<CtrlSum>308.64</CtrlSum>" in xml
    assert b"FR72ZZZ123456" in xml
    # clean=True transliterates accents (SEPA character set is restricted Latin).
    assert b"Elodie Durand" in xml


def test_local_debit_csv_lists_whole_francs_without_sepa() -> None:
    data = build_local_csv(collection_on=date(2024, 6, 5), collections=[_collection(1, 92_992)]).decode()
    header, line = data.strip().splitlines()
    assert header.startswith("reference_mandat;")
    assert ";92992;2024-06-05" in line
    assert "pain.008" not in data


PAIN002 = b"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03">
 <CstmrPmtStsRpt>
  <GrpHdr><MsgId>RET-1</MsgId><CreDtTm>2024-06-07T10:00:00</CreDtTm></GrpHdr>
  <OrgnlPmtInfAndSts>
   <TxInfAndSts><OrgnlEndToEndId>GUICHET-00000001</OrgnlEndToEndId><TxSts>RJCT</TxSts>
    <StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf></TxInfAndSts>
   <TxInfAndSts><OrgnlEndToEndId>GUICHET-00000002</OrgnlEndToEndId><TxSts>RJCT</TxSts>
    <StsRsnInf><Rsn><Cd>MD06</Cd></Rsn></StsRsnInf></TxInfAndSts>
  </OrgnlPmtInfAndSts>
 </CstmrPmtStsRpt>
</Document>"""


def test_pain002_return_file_gives_end_to_end_ids_and_r_codes() -> None:
    lines = parse_returns(PAIN002, default_on=date(2024, 6, 8))
    assert [(r.end_to_end_id, r.reason_code, r.returned_on) for r in lines] == [
        ("GUICHET-00000001", "AM04", date(2024, 6, 7)),
        ("GUICHET-00000002", "MD06", date(2024, 6, 7)),
    ]


def test_csv_return_file_is_read_with_default_date() -> None:
    data = b"end_to_end_id;reason_code;returned_on\nGUICHET-00000003;ac04;\n"
    (line,) = parse_returns(data, default_on=date(2024, 6, 8))
    assert (line.reason_code, line.returned_on) == ("AC04", date(2024, 6, 8))


@pytest.mark.parametrize(
    "data",
    [b"end_to_end_id;reason_code\nX;ZZ99\n", b"foo;bar\n1;2\n", b"<Document><unclosed></Document>"],
)
def test_unreadable_return_file_is_refused_whole(data: bytes) -> None:
    with pytest.raises(ReturnFileInvalid):
        parse_returns(data, default_on=date(2024, 6, 8))


def test_a_pain008_the_xsd_refuses_is_never_returned() -> None:
    too_long = dataclasses.replace(_collection(1), end_to_end_id="E" * 36)  # Max35Text in the XSD
    with pytest.raises(CollectionFileInvalid, match="does not validate"):
        build_pain008(creditor=CREDITOR, collection_on=date(2024, 6, 5), collections=[too_long])
