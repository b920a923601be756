"""The pain.008 written by ``guichet.payments.pain008`` is, byte for byte, the document sepaxml's SepaDD
exports for the same debits (the old ``build_pain008``), but for what sepaxml makes random: the 12
hexadecimal digits ending MsgId and each PmtInfId. The clock is frozen so CreDtTm and the MsgId's
timestamp are compared too. The files Guichet can produce validate against the XSD."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st
from sepaxml import SepaDD

from guichet.payments import pain008
from guichet.payments.sepa import (
    PAIN_008_SCHEMA,
    Collection,
    Creditor,
    _validate,
    build_pain008,
    validate_bank_details,
)

# (IBAN, BIC) pairs schwifty accepts (test_iban_bic_pairs_are_valid).
ACCOUNTS = [
    ("FR7630006000011234567890189", "AGRIFRPP"),
    ("FR7630006000011234567890189", "AGRIFRPPXXX"),
    ("FR1420041010050500013M02606", "PSSTFRPP"),
    ("FR7630004000031234567890143", "BNPAFRPP"),
    ("DE89370400440532013000", "COBADEFFXXX"),
    ("DE44500105175407324931", "INGDDEFFXXX"),
]
COLLECTION_ON = date(2026, 6, 5)
FROZEN = datetime(2026, 6, 4, 21, 45, 7)  # CreDtTm and the MsgId timestamp: datetime.now() in both


def _sepaxml(creditor: Creditor, collection_on: date, collections: list[Collection]) -> bytes:
    """The reference: ``build_pain008`` as it was, sepaxml's SepaDD export before the XSD check."""
    dd = SepaDD(
        {
            "name": creditor.name,
            "IBAN": creditor.iban,
            "BIC": creditor.bic,
            "batch": True,
            "creditor_id": creditor.creditor_id,
            "currency": "EUR",
            "instrument": "CORE",
        },
        schema=PAIN_008_SCHEMA,
        clean=True,
    )
    for c in collections:
        dd.add_payment(
            {
                "name": c.debtor_name,
                "IBAN": c.iban,
                "BIC": c.bic,
                "amount": int(c.amount_minor),
                "type": c.sequence_type,
                "collection_date": collection_on,
                "mandate_id": c.mandate_reference,
                "mandate_date": c.mandate_signed_on,
                "description": c.description,
                "endtoend_id": c.end_to_end_id,
            }
        )
    return bytes(dd.export(validate=False))


_RANDOM = re.compile(rb"(<(MsgId|PmtInfId|EndToEndId)>[^<]*-)[0-9a-f]{12}(</\2>)")


def _without_random(data: bytes) -> bytes:
    """The 12 random hex digits of MsgId, PmtInfId (and of a generated EndToEndId) blanked."""
    return _RANDOM.sub(rb"\1xxxxxxxxxxxx\3", data)


def _ids(data: bytes, tag: str) -> list[str]:
    return [m.decode() for m in re.findall(rb"<%s>([^<]*)</%s>" % (tag.encode(), tag.encode()), data)]


# Text as customers and lenders type it, and worse: accents, XML specials, quotes, non-Latin
# scripts, emoji, control characters, often past the 70/140 characters sepaxml keeps.
_SPECIAL = "&<>\"'éèêàâçîôûÉÈÀÇŒœæßñüÿ«»–’ \u00a0"
_any_char = st.one_of(st.sampled_from(_SPECIAL), st.characters())
_texts = st.one_of(
    st.text(_any_char, max_size=40), st.text(_any_char, min_size=60, max_size=220), st.just("")
)
# Text an XML file can carry and the XSD accepts after sepaxml's cleaning (a Latin letter first, so
# the transliteration is never empty; no control characters).
_xml_char = st.one_of(st.sampled_from(_SPECIAL), st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")))
_xml_texts = st.builds(str.__add__, st.sampled_from("AÉbçZ"), st.text(_xml_char, max_size=200))
_ids_35 = st.text(
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-/?:().,'+ "),
    min_size=1,
    max_size=35,
)


@st.composite
def _collections(draw, names, descriptions, ids):
    """1 to 60 debits (the size drawn first: st.lists alone seldom goes past twenty), their texts
    taken from small pools so that a long list stays within Hypothesis's data budget."""
    pools = {
        field: draw(st.lists(strategy, min_size=1, max_size=12))
        for field, strategy in [("names", names), ("descriptions", descriptions), ("ids", ids)]
    }
    debit = st.builds(
        Collection,
        end_to_end_id=st.sampled_from(pools["ids"]),
        mandate_reference=st.sampled_from(pools["ids"]),
        mandate_signed_on=st.dates(min_value=date(2009, 11, 1), max_value=date(2026, 6, 5)),
        debtor_name=st.sampled_from(pools["names"]),
        iban=st.sampled_from([iban for iban, _ in ACCOUNTS]),
        bic=st.sampled_from([bic for _, bic in ACCOUNTS]),
        amount_minor=st.integers(min_value=1, max_value=10**9),
        sequence_type=st.sampled_from(["FRST", "RCUR"]),
        description=st.sampled_from(pools["descriptions"]),
    )
    size = draw(st.integers(min_value=1, max_value=60))
    return draw(st.lists(debit, min_size=size, max_size=size))


def _creditors(names):
    return st.builds(
        Creditor,
        name=names,
        iban=st.sampled_from([iban for iban, _ in ACCOUNTS]),
        bic=st.sampled_from([bic for _, bic in ACCOUNTS]),
        creditor_id=st.sampled_from(["FR72ZZZ123456", "DE98ZZZ09999999999"]),
    )


@settings(max_examples=100, deadline=None)
@given(
    creditor=_creditors(_texts),
    collection_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    collections=_collections(_texts, _texts, st.one_of(_ids_35, st.text(_any_char, min_size=1, max_size=50))),
)
def test_same_bytes_as_sepaxml(
    creditor: Creditor, collection_on: date, collections: list[Collection]
) -> None:
    with time_machine.travel(FROZEN, tick=False):
        expected = _sepaxml(creditor, collection_on, collections)
        ours = pain008.serialize(creditor=creditor, collection_on=collection_on, collections=collections)
    assert _without_random(ours) == _without_random(expected)
    (msg_id,) = _ids(ours, "MsgId")
    assert re.fullmatch(r"\d{14}-[0-9a-f]{12}", msg_id)
    pmt_inf_ids = _ids(ours, "PmtInfId")
    assert len(set(pmt_inf_ids)) == len(pmt_inf_ids) == len({c.sequence_type for c in collections})
    assert all(re.fullmatch(r"[A-Za-z0-9]{0,22}-[0-9a-f]{12}", i) for i in pmt_inf_ids)


@settings(max_examples=40, deadline=None)
@given(creditor=_creditors(_xml_texts), collections=_collections(_xml_texts, _xml_texts, _ids_35))
def test_what_guichet_gives_validates_against_the_xsd(
    creditor: Creditor, collections: list[Collection]
) -> None:
    data = build_pain008(creditor=creditor, collection_on=COLLECTION_ON, collections=collections)  # _validate
    assert _ids(data, "NbOfTxs")[0] == str(len(collections))
    assert _ids(data, "CtrlSum")[0] == pain008.decimal_amount(sum(c.amount_minor for c in collections))


def _debit(n: int, amount_minor: int, sequence_type: str) -> Collection:
    return Collection(
        end_to_end_id=f"GUI20260605{5_000_000_000 + n}",
        mandate_reference=f"GUI-{5_000_000_000 + n}-01",
        mandate_signed_on=date(2025, 11, 20),
        debtor_name="Zoé L'Haÿ-les-Roses & <Fils>",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        amount_minor=amount_minor,
        sequence_type=sequence_type,
        description=f"Echeance 5 contrat {5_000_000_000 + n}",
    )


CREDITOR = Creditor(
    name="Crédit Démo France", iban="FR7630006000011234567890189", bic="AGRIFRPP", creditor_id="FR72ZZZ123456"
)
EXAMPLE = [_debit(1, 15_432, "RCUR"), _debit(2, 99, "FRST"), _debit(3, 100_000_000, "RCUR")]


def test_example_file_counts_and_sums_per_sequence_type() -> None:
    data = pain008.serialize(
        creditor=CREDITOR,
        collection_on=COLLECTION_ON,
        collections=EXAMPLE,
        created_at=datetime(2026, 6, 5, 7, 30, 1),
        message_id="20260605073001-0123456789ab",
    )
    _validate(data, PAIN_008_SCHEMA)
    # Group header, then the RCUR batch (first seen), then FRST.
    assert _ids(data, "NbOfTxs") == ["3", "2", "1"]
    assert _ids(data, "CtrlSum") == ["1000155.31", "1000154.32", "0.99"]
    assert _ids(data, "SeqTp") == ["RCUR", "FRST"]
    assert re.findall(rb'<InstdAmt Ccy="EUR">([^<]*)</InstdAmt>', data) == [b"154.32", b"1000000.00", b"0.99"]
    assert _ids(data, "MsgId") == ["20260605073001-0123456789ab"]
    assert _ids(data, "CreDtTm") == ["2026-06-05T07:30:01"]
    assert _ids(data, "ReqdColltnDt") == ["2026-06-05", "2026-06-05"]
    assert b"<Nm>Zoe L'Hay-les-Roses &amp; &lt;Fils&gt;</Nm>" in data
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022')
    # The PmtInfIds follow from the MsgId: the same MsgId gives the same file.
    rcur, frst = _ids(data, "PmtInfId")
    assert rcur.startswith("CreditDemoFrance-") and frst.startswith("CreditDemoFrance-") and rcur != frst
    again = pain008.serialize(
        creditor=CREDITOR,
        collection_on=COLLECTION_ON,
        collections=EXAMPLE,
        created_at=datetime(2026, 6, 5, 7, 30, 1),
        message_id="20260605073001-0123456789ab",
    )
    assert again == data


def test_a_file_assembled_from_parts_is_the_file_of_all_the_debits_at_once() -> None:
    """The business day keeps each chunk's transactions and writes the date's file from them: the same
    bytes as serializing every debit in one go, in the same order."""
    sixty = [_debit(n, 1_000 * n + 7, "FRST" if n % 3 == 0 else "RCUR") for n in range(1, 61)]
    fixed = {"created_at": datetime(2026, 6, 5, 7, 30, 1), "message_id": "20260605073001-0123456789ab"}
    whole = pain008.serialize(creditor=CREDITOR, collection_on=COLLECTION_ON, collections=sixty, **fixed)
    parts = [
        {
            key: (text, n, total)
            for key, text, n, total in pain008.transactions(
                creditor=CREDITOR, collection_on=COLLECTION_ON, collections=sixty[i : i + 7]
            )
        }
        for i in range(0, 60, 7)
    ]
    keys = list(dict.fromkeys(key for part in parts for key in part))  # in the order first seen
    groups = [
        (
            key,
            "".join(part[key][0] for part in parts if key in part),
            sum(part[key][1] for part in parts if key in part),
            sum(part[key][2] for part in parts if key in part),
        )
        for key in keys
    ]
    assert pain008.document(creditor=CREDITOR, groups=groups, **fixed) == whole


def test_build_pain008_is_sepaxml_s_file() -> None:
    sixty = [_debit(n, 1_000 * n + 7, "FRST" if n % 3 == 0 else "RCUR") for n in range(1, 61)]
    with time_machine.travel(FROZEN, tick=False):
        ours = build_pain008(creditor=CREDITOR, collection_on=COLLECTION_ON, collections=sixty)
        expected = _sepaxml(CREDITOR, COLLECTION_ON, sixty)
    assert _without_random(ours) == _without_random(expected)


def test_an_empty_end_to_end_id_gets_sepaxml_s_random_id() -> None:
    blank = Collection(**{**EXAMPLE[0].__dict__, "end_to_end_id": ""})
    with time_machine.travel(FROZEN, tick=False):
        ours = pain008.serialize(creditor=CREDITOR, collection_on=COLLECTION_ON, collections=[blank])
        expected = _sepaxml(CREDITOR, COLLECTION_ON, [blank])
    assert _without_random(ours) == _without_random(expected)
    assert re.fullmatch(r"CreditDemoFrance-[0-9a-f]{12}", _ids(ours, "EndToEndId")[0])


@pytest.mark.parametrize(
    ("collections", "error"),
    [
        ([_debit(1, 0, "FRST")], ValueError),  # a batch totalling zero: sepaxml fails reading it back
        ([Collection(**{**EXAMPLE[0].__dict__, "mandate_signed_on": "2025-11-20"})], Exception),
    ],
)
def test_refused_as_sepaxml_refuses(collections: list[Collection], error: type[Exception]) -> None:
    with pytest.raises(error):
        _sepaxml(CREDITOR, COLLECTION_ON, collections)
    with pytest.raises(error):
        pain008.serialize(creditor=CREDITOR, collection_on=COLLECTION_ON, collections=collections)


def test_iban_bic_pairs_are_valid() -> None:
    for iban, bic in ACCOUNTS:
        assert validate_bank_details(iban=iban, bic=bic).iban == iban
