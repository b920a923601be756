"""Read a tariff file (TOML, see data/tariffs/2022-01-01.toml) into a validated ``TariffData``.

Nothing here touches the database: ``parse_tariff`` either returns the whole tariff or raises
``TariffFileError`` naming the line and the problem, so a broken file can never be half loaded.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from guichet.credit import Currency, currency

from .exceptions import TariffFileError
from .tariff_data import (
    CardData,
    CardFeeData,
    CeilingData,
    FxMarginData,
    ManagementFeeData,
    ProductData,
    TariffData,
)
from .tariff_products import parse_product
from .tariff_reader import LineIndex, Table

SCHEMA = 1
_TOML_LINE = re.compile(r"at line (\d+)")
_CLAUSES = ("complaints", "card_security", "contacts")


def read_tariff(path: Path) -> TariffData:
    """Parse the tariff file at ``path`` (UTF-8 TOML)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TariffFileError(f"Impossible de lire {path} : {exc.strerror}.") from None
    return parse_tariff(data, source_name=path.name)


def parse_tariff(data: bytes, *, source_name: str = "") -> TariffData:
    """Validate and convert a whole tariff file; the checksum is the SHA-256 of the bytes."""
    try:
        text = data.decode("utf-8")
        raw = tomllib.loads(text)
    except UnicodeDecodeError:
        raise TariffFileError("le fichier n'est pas en UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise TariffFileError(
            f"syntaxe TOML invalide ({exc}).", line=int(found.group(1)) if found else None
        ) from None
    lines = LineIndex(text)
    top = Table(raw, where=source_name or "fichier", line=None)
    if top.integer("schema") != SCHEMA:
        raise top.fail(f"« schema » doit valoir {SCHEMA}.")
    head = Table(top.anything("tariff"), where="[tariff]", line=_line_of(lines, "[tariff]"))
    cur = _currency(head)
    products = _products(top, cur, lines)
    tariff = TariffData(
        effective_on=head.day("effective_on", required=True),  # type: ignore[arg-type]
        currency=cur,
        issuer=head.text("issuer"),
        title=head.text("title"),
        source=head.text("source", required=False),
        notes=head.strings("notes"),
        checksum=hashlib.sha256(data).hexdigest(),
        products=products,
        ceilings=_ceilings(top, cur, lines),
        cards=_cards(top, cur, {p.code for p in products}, lines),
        management_fees=_management_fees(top, cur, lines),
        fx_margins=_fx_margins(top, lines),
        clauses=_clauses(top, lines),
    )
    head.done()
    top.done()
    return tariff


def _line_of(lines: LineIndex, header: str, occurrence: int = 0) -> int | None:
    found = [i + 1 for i, s in enumerate(lines.lines) if s.strip() == header]
    return found[occurrence] if occurrence < len(found) else None


def _currency(head: Table) -> Currency:
    code = head.text("currency")
    try:
        return currency(code)
    except ValueError as exc:
        raise head.fail(str(exc), key="currency") from None


def _products(top: Table, cur: Currency, lines: LineIndex) -> tuple[ProductData, ...]:
    products = [
        parse_product(raw, i, cur, lines) for i, raw in enumerate(top.tables("product", required=True))
    ]
    seen: set[str] = set()
    for p in products:
        if p.code in seen:
            raise TariffFileError(f"produit « {p.code} » : code en double.", line=p.line)
        seen.add(p.code)
    return tuple(products)


def _ceilings(top: Table, cur: Currency, lines: LineIndex) -> tuple[CeilingData, ...]:
    ceilings: list[CeilingData] = []
    for i, raw in enumerate(top.tables("usury_ceiling")):
        t = Table(raw, where=f"taux d'usure n° {i + 1}", line=_line_of(lines, "[[usury_ceiling]]", i))
        ceilings.append(
            CeilingData(
                effective_on=t.day("effective_on", required=True),  # type: ignore[arg-type]
                up_to=t.money("up_to", cur, required=False),
                rate=t.rate("rate"),  # type: ignore[arg-type]
                label=t.text("label", required=False),
            )
        )
        t.done()
    return tuple(ceilings)


def _fee(raw: Any, where: str, kind: str, cur: Currency, line: int | None) -> CardFeeData:
    t = Table(raw, where=where, line=line)
    fee = CardFeeData(
        code=t.text("code"),
        label=t.text("label"),
        kind=kind,
        amount=t.money("amount", cur),  # type: ignore[arg-type]
        charged_to_credit=t.boolean("charged_to_credit"),
        free_per_month=t.integer("free_per_month", required=False),
        period_days=t.integer("period_days", required=False, minimum=1),
        note=t.text("note", required=False),
    )
    t.done()
    return fee


def _cards(top: Table, cur: Currency, codes: set[str], lines: LineIndex) -> tuple[CardData, ...]:
    cards: list[CardData] = []
    for i, raw in enumerate(top.tables("card")):
        line = _line_of(lines, "[[card]]", i)
        t = Table(raw, where=f"carte n° {i + 1}", line=line)
        code = t.text("code")
        fees = [
            _fee(f, f"carte « {code} », frais {n + 1}", "fee", cur, line)
            for n, f in enumerate(t.tables("fees"))
        ]
        caps = [
            _fee(f, f"carte « {code} », plafond {n + 1}", "cap", cur, line)
            for n, f in enumerate(t.tables("caps"))
        ]
        applies_to = t.strings("applies_to")
        unknown = [c for c in applies_to if c not in codes]
        if unknown:
            raise t.fail(f"« applies_to » cite des produits absents du fichier : {', '.join(unknown)}.")
        cards.append(
            CardData(
                code=code,
                name=t.text("name"),
                applies_to=applies_to,
                fees=tuple(fees + caps),
                requested_until=t.day("requested_until"),
                requested_from=t.day("requested_from"),
            )
        )
        t.done()
    return tuple(cards)


def _management_fees(top: Table, cur: Currency, lines: LineIndex) -> tuple[ManagementFeeData, ...]:
    fees: list[ManagementFeeData] = []
    for i, raw in enumerate(top.tables("management_fee")):
        t = Table(raw, where=f"frais de gestion n° {i + 1}", line=_line_of(lines, "[[management_fee]]", i))
        fees.append(
            ManagementFeeData(code=t.text("code"), label=t.text("label"), amount=t.money("amount", cur))
        )  # type: ignore[arg-type]
        t.done()
    return tuple(fees)


def _fx_margins(top: Table, lines: LineIndex) -> tuple[FxMarginData, ...]:
    fx = top.anything("fx")
    if fx is None:
        return ()
    t = Table(fx, where="[fx]", line=_line_of(lines, "[fx]"))
    margins: list[FxMarginData] = []
    for i, raw in enumerate(t.tables("margins")):
        m = Table(raw, where=f"[fx] marge n° {i + 1}", line=t.line)
        code = m.text("currency")
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise m.fail(f"« {code} » n'est pas un code ISO 4217 de devise.")
        margins.append(FxMarginData(currency=code, name=m.text("name"), margin=m.rate("margin")))  # type: ignore[arg-type]
        m.done()
    if "{margin}" not in str(t.raw.get("notification_text", "")):
        raise t.fail("« notification_text » doit contenir {margin} (la marge de la devise).")
    return tuple(margins)


def _clauses(top: Table, lines: LineIndex) -> dict[str, dict[str, Any]]:
    """Free-text sections kept as published: complaints, card security, contacts, FX notice."""
    clauses: dict[str, dict[str, Any]] = {}
    for name in _CLAUSES:
        value = top.anything(name)
        if value is not None:
            Table(value, where=f"[{name}]", line=_line_of(lines, f"[{name}]"))
            clauses[name] = dict(value)
    fx = top.anything("fx")
    if fx is not None:
        clauses["fx"] = {
            k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in fx.items() if k != "margins"
        }
    if "complaints" in clauses:
        _check_complaints(
            Table(clauses["complaints"], where="[complaints]", line=_line_of(lines, "[complaints]"))
        )
    return clauses


def _check_complaints(t: Table) -> None:
    for key in ("acknowledge_within_days", "answer_within_months"):
        t.integer(key, minimum=1)
    for key in ("advisor_phone", "written_address", "mediator", "mediator_address"):
        t.text(key)
