"""Typed reading of one TOML table of a tariff file, with errors that name the line and the field.

A ``Table`` wraps a dict read by ``tomllib`` and knows where it is (``where``: "produit
« projexio », tranche 2") and on which line of the file it starts, so every refusal can say
"Ligne 212, produit « accessio-express », tranche 1 : taux débiteur ...". Unknown keys are
refused: a typo must not silently drop a figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from guichet.credit import Currency, Money

from .exceptions import TariffFileError

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def percent(text: str) -> Decimal:
    """A percent string ("19.34") as a Decimal fraction (0.1934), exactly."""
    return Decimal(text).scaleb(-2)


class Table:
    """One TOML table being read; ``done()`` refuses any key that was not read."""

    def __init__(
        self, raw: Any, *, where: str, line: int | None, locate: Callable[[str], int | None] | None = None
    ) -> None:
        if not isinstance(raw, dict):
            raise TariffFileError(f"{where} : une table est attendue.", line=line)
        self.raw = raw
        self.where = where
        self.line = line
        self.locate = locate
        self._seen: set[str] = set()

    def fail(self, message: str, *, key: str | None = None) -> TariffFileError:
        """An error naming this table, on the line of ``key`` when it can be located."""
        line = self.locate(key) if (key and self.locate) else None
        return TariffFileError(f"{self.where} : {message}", line=line or self.line)

    def _get(self, key: str, required: bool) -> Any:
        self._seen.add(key)
        if key not in self.raw:
            if required:
                raise self.fail(f"la clé « {key} » est obligatoire.", key=key)
            return None
        return self.raw[key]

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"« {key} » doit être un texte non vide.", key=key)
        return value

    def choice(self, key: str, options: tuple[str, ...], *, required: bool = True) -> str:
        value = self.text(key, required=required)
        if value and value not in options:
            raise self.fail(f"« {key} » vaut « {value} » ; valeurs permises : {', '.join(options)}.", key=key)
        return value

    def integer(self, key: str, *, required: bool = True, minimum: int = 0) -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(f"« {key} » doit être un entier ≥ {minimum} (lu : {value!r}).", key=key)
        return value

    def boolean(self, key: str) -> bool:
        value = self._get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(f"« {key} » doit valoir true ou false.", key=key)
        return value

    def day(self, key: str, *, required: bool = False) -> date | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, date):
            raise self.fail(
                f"« {key} » doit être une date AAAA-MM-JJ sans guillemets (lu : {value!r}).", key=key
            )
        return value

    def _number(self, key: str, required: bool, unit: str) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(
                f'« {key} » doit être écrit entre guillemets en {unit} ("19.34", jamais un nombre '
                f"flottant), lu : {value!r}.",
                key=key,
            )
        if not _NUMBER.match(value):
            raise self.fail(
                f'« {key} » = « {value} » n\'est pas un nombre (point décimal : "12.19").', key=key
            )
        return value

    def rate(self, key: str, *, required: bool = True) -> Decimal | None:
        """A rate written in percent, returned as a fraction; refused if negative or ≥ 100 %."""
        text = self._number(key, required, "pourcent")
        if text is None:
            return None
        value = percent(text)
        if not Decimal(0) <= value < Decimal(1):
            raise self.fail(f"« {key} » = {text} % est hors de [0 %, 100 %[.", key=key)
        return value

    def money(self, key: str, currency: Currency, *, required: bool = True) -> Money | None:
        text = self._number(key, required, f"unités de {currency.code}")
        if text is None:
            return None
        try:
            amount = Money.of(text, currency)
        except (ValueError, InvalidOperation) as exc:
            raise self.fail(f"« {key} » = « {text} » : {exc}", key=key) from None
        if amount.minor < 0:
            raise self.fail(f"« {key} » = « {text} » est négatif.", key=key)
        return amount

    def strings(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"« {key} » doit être une liste de textes.", key=key)
        return tuple(value)

    def tables(self, key: str, *, required: bool = False) -> list[Any]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(f"« {key} » doit être une liste de tables.", key=key)
        return value

    def anything(self, key: str) -> Any:
        return self._get(key, False)

    def done(self) -> None:
        unknown = sorted(set(self.raw) - self._seen)
        if unknown:
            raise self.fail(f"clé(s) inconnue(s) : {', '.join(unknown)} (faute de frappe ?).", key=unknown[0])


class LineIndex:
    """Where things are in the file text: product blocks and the lines of their inline arrays."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.products = [i + 1 for i, s in enumerate(self.lines) if s.strip() == "[[product]]"]

    def product(self, index: int) -> int | None:
        return self.products[index] if index < len(self.products) else None

    def _block_end(self, index: int) -> int:
        nxt = [n for n in self.products if n > (self.product(index) or 0)]
        return (nxt[0] - 1) if nxt else len(self.lines)

    def element(self, index: int, key: str, position: int) -> int | None:
        """Line of element ``position`` of the inline array ``key`` in product ``index``."""
        start = self.product(index)
        if start is None:
            return None
        block = range(start, self._block_end(index))
        found = [n for n in block if self.lines[n - 1].lstrip().startswith(f"{key} = [")]
        if not found:
            return start
        first = found[0]
        if "{" in self.lines[first - 1]:
            return first  # single-line array
        items = [n for n in range(first + 1, block.stop + 1) if self.lines[n - 1].lstrip().startswith("{")]
        return items[position] if position < len(items) else first

    def key(self, index: int, key: str) -> int | None:
        """Line of ``key = ...`` in product ``index`` (the product's first line if absent)."""
        start = self.product(index)
        if start is None:
            return None
        for n in range(start, self._block_end(index) + 1):
            if self.lines[n - 1].lstrip().startswith(f"{key} ="):
                return n
        return start
