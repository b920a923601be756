"""Reading the bank's return file: which debits were rejected or returned, and why (R-codes).

Two formats are accepted (documented in docs/payments.md):

* XML shaped like ISO 20022 pain.002 (payment status report): every ``TxInfAndSts`` element gives
  ``OrgnlEndToEndId`` and ``StsRsnInf/Rsn/Cd``; the date is the element ``AccptncDtTm`` or the
  group header's ``CreDtTm`` (a camt.054 ``TxDtls`` with ``RtrInf/Rsn/Cd`` is read the same way);
* CSV with a header ``end_to_end_id;reason_code;returned_on`` (``;`` or ``,`` separated).
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

# EPC R-transaction reason codes (SEPA Core rulebook, "Reason codes for R-transactions").
R_CODES: dict[str, str] = {
    "AC01": _("IBAN incorrect"),
    "AC04": _("Compte clôturé"),
    "AC06": _("Compte bloqué"),
    "AG01": _("Prélèvement interdit sur ce compte"),
    "AG02": _("Code opération invalide"),
    "AM04": _("Provision insuffisante"),
    "AM05": _("Prélèvement en double"),
    "BE05": _("Créancier non reconnu"),
    "FF01": _("Format invalide"),
    "MD01": _("Absence de mandat"),
    "MD02": _("Données du mandat incomplètes"),
    "MD06": _("Remboursement demandé par le débiteur"),
    "MD07": _("Débiteur décédé"),
    "MS02": _("Refus du débiteur"),
    "MS03": _("Motif non communiqué"),
    "RC01": _("BIC incorrect"),
    "RR01": _("Données réglementaires manquantes"),
    "SL01": _("Service spécifique de la banque"),
}


class ReturnFileInvalid(ValueError):
    """The return file cannot be read; the message says which line or element is wrong."""


@dataclass(frozen=True)
class ReturnLine:
    end_to_end_id: str
    reason_code: str
    returned_on: date


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find_text(el: ET.Element, path: tuple[str, ...]) -> str:
    """Text at a path of local names, ignoring namespaces (pain.002 versions differ only by namespace)."""
    current = [el]
    for name in path:
        current = [c for p in current for c in p.iter() if _local(c.tag) == name and c is not p]
        if not current:
            return ""
    return (current[0].text or "").strip()


def _date_from(value: str, fallback: date) -> date:
    if not value:
        return fallback
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise ReturnFileInvalid(f"Unreadable date {value!r} in the return file.") from None


def _check_code(code: str, where: str) -> str:
    code = code.strip().upper()
    if code not in R_CODES:
        raise ReturnFileInvalid(
            f"Unknown reason code {code!r} ({where}); expected one of {', '.join(R_CODES)}."
        )
    return code


def _parse_xml(data: bytes, default_on: date) -> list[ReturnLine]:
    try:
        root = ET.fromstring(data)  # noqa: S314 (see import)
    except ET.ParseError as exc:
        raise ReturnFileInvalid(f"The return file is not well-formed XML: {exc}.") from None
    file_on = _date_from(_find_text(root, ("GrpHdr", "CreDtTm")), default_on)
    lines = []
    for el in root.iter():
        if _local(el.tag) not in ("TxInfAndSts", "TxDtls"):
            continue
        e2e = _find_text(el, ("OrgnlEndToEndId",)) or _find_text(el, ("EndToEndId",))
        code = _find_text(el, ("Rsn", "Cd"))
        if not e2e or not code:
            raise ReturnFileInvalid(
                "A transaction in the return file has no end-to-end id or no reason code."
            )
        on = _date_from(_find_text(el, ("AccptncDtTm",)), file_on)
        lines.append(ReturnLine(e2e, _check_code(code, e2e), on))
    return lines


def _parse_csv(data: bytes, default_on: date) -> list[ReturnLine]:
    text = data.decode("utf-8-sig")
    dialect = ";" if text.count(";") >= text.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    if not reader.fieldnames or not {"end_to_end_id", "reason_code"} <= set(reader.fieldnames):
        raise ReturnFileInvalid(
            "The CSV return file needs the columns end_to_end_id;reason_code;returned_on."
        )
    lines = []
    for n, row in enumerate(reader, start=2):
        e2e = (row.get("end_to_end_id") or "").strip()
        if not e2e:
            raise ReturnFileInvalid(f"Line {n}: empty end_to_end_id.")
        on = _date_from((row.get("returned_on") or "").strip(), default_on)
        lines.append(ReturnLine(e2e, _check_code(row.get("reason_code") or "", f"line {n}"), on))
    return lines


def parse_returns(data: bytes, *, default_on: date) -> list[ReturnLine]:
    """The rejected debits listed in a return file (XML pain.002/camt.054-like or CSV)."""
    if data.lstrip()[:1] == b"<":
        return _parse_xml(data, default_on)
    return _parse_csv(data, default_on)
