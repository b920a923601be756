"""The card-operations file from the processor (docs/cards.md): one operation a line, checked whole
before anything is written, then presented one by one (``services.present_operation``).

Format: UTF-8, ``;``-separated, a header line then
``external_id;card;date;kind;amount;currency;ecb_rate;merchant`` — date ``YYYY-MM-DD``, kind ``atm``
or ``payment``, amount a decimal with a dot in ``currency`` (ISO 4217), ``ecb_rate`` the ECB
reference rate (units of the currency per euro) for a foreign currency, empty in euros. Two optional
columns ``split_product;split_installments`` flag a payment at a partner paid in several installments
(the catalogue's split product code and the number of payments, ``cards.split``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from guichet.credit import currency
from guichet.credit.card import foreign_exponent
from guichet.errors import GuichetError

from .services import Decision, present_operation

COLUMNS = ["external_id", "card", "date", "kind", "amount", "currency", "ecb_rate", "merchant"]
SPLIT_COLUMNS = ["split_product", "split_installments"]  # optional


class CardFileError(GuichetError, ValueError):
    """The file cannot be read; the message names the line (if any) and the field. ``refused`` is the
    API's documented code for it (``POST /api/v1/cards/operations``)."""

    code = "refused"


@dataclass(frozen=True)
class OperationIn:
    external_id: str
    card: str
    on: date
    kind: str
    amount_minor: int
    currency: str
    ecb_rate: Decimal | None
    merchant: str
    split_product: str = ""
    split_installments: int | None = None


def parse_operation(row: dict[str, str], line: int | None) -> OperationIn:
    """One operation; ``line`` is the file's line, named in a refusal (``None``: one operation alone)."""
    where = f"Ligne {line}, " if line is not None else ""

    def fail(field: str, why: str) -> CardFileError:
        return CardFileError(f"{where}« {field} » : {why}")

    try:
        on = date.fromisoformat(row["date"].strip())
    except ValueError:
        raise fail("date", "attendu AAAA-MM-JJ.") from None
    kind = row["kind"].strip()
    if kind not in ("atm", "payment"):
        raise fail("kind", "atm ou payment.")
    code = row["currency"].strip().upper()
    try:
        exponent = currency(code).exponent if code in ("EUR", "XPF") else foreign_exponent(code)
    except ValueError as exc:
        raise fail("currency", str(exc)) from None
    try:
        amount = Decimal(row["amount"].strip())
        rate = Decimal(row["ecb_rate"].strip()) if (row.get("ecb_rate") or "").strip() else None
    except InvalidOperation:
        raise fail("amount/ecb_rate", "nombre décimal avec un point attendu.") from None
    minor = amount * (10**exponent)
    if amount <= 0 or minor != minor.to_integral_value():
        raise fail("amount", f"montant positif avec au plus {exponent} décimales.")
    if not row["external_id"].strip() or not row["card"].strip():
        raise fail("external_id/card", "obligatoires.")
    split_product = str(row.get("split_product") or "").strip()
    raw_count = str(row.get("split_installments") or "").strip()
    if raw_count and not raw_count.isdigit():
        raise fail("split_installments", "nombre de paiements attendu.")
    if bool(split_product) != bool(raw_count):
        raise fail("split_product/split_installments", "les deux ou aucun.")
    return OperationIn(row["external_id"].strip(), row["card"].strip(), on, kind, int(minor), code, rate,
                       (row.get("merchant") or "").strip(), split_product,
                       int(raw_count) if raw_count else None)  # fmt: skip


def parse_file(text: str) -> list[OperationIn]:
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames[:7]] != COLUMNS[:7]:
        raise CardFileError(f"Ligne 1 : en-tête attendu {';'.join(COLUMNS)}.")
    return [parse_operation(row, n) for n, row in enumerate(reader, start=2)]


def _checked(ops: list[OperationIn]) -> list[OperationIn]:
    """Every card of the file must exist before the first operation is presented."""
    from .models import Card

    known = set(Card.objects.filter(reference__in={o.card for o in ops}).values_list("reference", flat=True))
    unknown = sorted({o.card for o in ops} - known)
    if unknown:
        raise CardFileError(f"Carte(s) inconnue(s) : {', '.join(unknown)} — rien n'a été importé.")
    return ops


def import_operations(text: str) -> list[Decision]:
    """Check the whole file, then present each operation (a re-import decides nothing twice)."""
    return [
        present_operation(
            card_reference=o.card,
            external_id=o.external_id,
            kind=o.kind,
            on=o.on,
            amount_minor=o.amount_minor,
            currency_code=o.currency,
            ecb_rate=o.ecb_rate,
            merchant=o.merchant,
            split_product=o.split_product,
            split_installments=o.split_installments,
        )
        for o in _checked(parse_file(text))
    ]
