"""Usury ceilings by loan category and date, and the check of a TAEG against them.

Code de la consommation L314-6 (ex L313-3): a consumer loan is usurious when its TAEG, at the
time it is granted, exceeds by more than a third the average effective rate of the previous
quarter for the same category, as published by the Banque de France (L314-7 to L314-9 for the
categories and sanctions). Since the loi Lagarde, consumer categories go by amount: ≤ 3 000 €,
> 3 000 € and ≤ 6 000 €, > 6 000 €. For a revolving credit (crédit renouvelable) the amount
judged is the credit actually used, not the limit: callers pass the used amount. XPF amounts
(New Caledonia) are converted to euros at the legal parity 1 000 XPF = 8.38 EUR before choosing
the category. Ceilings live in ``data/usury/ceilings.toml``, each with the JO avis it comes from
(avis "relatif à l'application des articles L. 314-6 du code de la consommation et L. 313-5-1 du
code monétaire et financier concernant l'usure"). From 1 February to 31 December 2023 the
ceilings were monthly (arrêté of 26 January 2023, extended by the arrêté of 27 June 2023); a
monthly ceiling applies from the 1st of its month. Entries may not overlap: the loader refuses a
file where they do, so a date never has two ceilings.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from .dates import add_months
from .fmt import rate_fr
from .money import Money
from .parity import USURY_MEDIUM_LOAN, USURY_SMALL_LOAN, NoParity, euro_value

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "usury" / "ceilings.toml"
CATEGORIES = ("up_to_3000", "from_3000_to_6000", "above_6000")
CATEGORY_LABELS = {
    "up_to_3000": "prêts d'un montant inférieur ou égal à 3 000 €",
    "from_3000_to_6000": "prêts d'un montant supérieur à 3 000 € et inférieur ou égal à 6 000 €",
    "above_6000": "prêts d'un montant supérieur à 6 000 €",
}


class UsuryDataMissing(LookupError):
    """No ceiling is recorded for the date asked: add it to data/usury/ceilings.toml."""


@dataclass(frozen=True, slots=True)
class UsuryCeiling:
    """The ceiling (a fraction: 0.2117 for 21.17 %) of one category, in force on a date."""

    category: str
    rate: Decimal
    effective_on: date
    until: date | None
    source: str
    stale: bool = False


@dataclass(frozen=True, slots=True)
class UsuryCheck:
    ok: bool
    ceiling: UsuryCeiling
    category: str
    message: str


def category_for(amount: Money) -> str:
    """The category of an amount (EUR, or XPF at the legal parity), judged on its exact euro value."""
    try:
        euros = euro_value(amount)
    except NoParity:
        raise ValueError(
            f"Usury categories are defined in euros; no parity known for {amount.currency.code}."
        ) from None
    if euros <= USURY_SMALL_LOAN:
        return "up_to_3000"
    return "from_3000_to_6000" if euros <= USURY_MEDIUM_LOAN else "above_6000"


@dataclass(frozen=True, slots=True)
class _Entry:
    effective_on: date
    until: date | None
    rates: dict[str, Decimal]
    source: str


class UsuryTable:
    """Dated ceilings loaded from a TOML file (``UsuryTable.load()`` reads the repository's file)."""

    def __init__(self, entries: list[_Entry]) -> None:
        self._entries = sorted(entries, key=lambda e: e.effective_on)

    @classmethod
    def load(cls, path: Path | str | None = None) -> UsuryTable:
        source = Path(path) if path is not None else DEFAULT_PATH
        with source.open("rb") as handle:
            data = tomllib.load(handle)
        entries = []
        for i, raw in enumerate(data.get("ceiling", []), start=1):
            missing = [k for k in ("effective_on", "source", *CATEGORIES) if k not in raw]
            if missing:
                raise ValueError(f"{source}: ceiling #{i} lacks {', '.join(missing)}.")
            rates = {k: Decimal(str(raw[k])) / 100 for k in CATEGORIES}
            entries.append(_Entry(raw["effective_on"], raw.get("until"), rates, str(raw["source"])))
        _check_periods(source, entries)
        return cls(entries)

    def ceiling_for(self, amount: Money, on: date) -> UsuryCeiling:
        """The ceiling for ``amount``'s category on ``on``; ``UsuryDataMissing`` if not recorded."""
        category = category_for(amount)
        candidates = [e for e in self._entries if e.effective_on <= on]
        if not candidates:
            raise UsuryDataMissing(f"No usury ceiling recorded on or before {on}.")
        entry = candidates[-1]
        if entry.until is not None and on > entry.until:
            raise UsuryDataMissing(
                f"No usury ceiling recorded for {on}: the last one ran from {entry.effective_on} to"
                f" {entry.until}. Add the ceiling in force to data/usury/ceilings.toml."
            )
        stale = entry.until is None and on >= add_months(entry.effective_on, 3)
        return UsuryCeiling(
            category, entry.rates[category], entry.effective_on, entry.until, entry.source, stale
        )

    def check_usury(self, *, taeg: Decimal, amount: Money, on: date) -> UsuryCheck:
        """Is ``taeg`` (a fraction) within the ceiling for ``amount`` on ``on``? (revolving: used amount)."""
        ceiling = self.ceiling_for(amount, on)
        ok = taeg <= ceiling.rate
        label = CATEGORY_LABELS[ceiling.category]
        verdict = "conforme au" if ok else "dépasse le"
        message = (
            f"TAEG {rate_fr(taeg)} : {verdict} seuil de l'usure de {rate_fr(ceiling.rate)}"
            f" ({label}, en vigueur depuis le {ceiling.effective_on:%d/%m/%Y})."
        )
        if ceiling.stale:
            message += " Attention : seuil le plus récent connu, à mettre à jour."
        return UsuryCheck(ok, ceiling, ceiling.category, message)


def _check_periods(source: Path, entries: list[_Entry]) -> None:
    """Each period ends after it starts and before the next one starts (no date has two ceilings)."""
    ordered = sorted(entries, key=lambda e: e.effective_on)
    for entry, following in zip(ordered, [*ordered[1:], None], strict=True):
        if entry.until is not None and entry.until < entry.effective_on:
            raise ValueError(
                f"{source}: the ceiling of {entry.effective_on} ends before it starts ({entry.until})."
            )
        if following is None:
            continue
        if following.effective_on == entry.effective_on or (
            entry.until is not None and entry.until >= following.effective_on
        ):
            raise ValueError(
                f"{source}: the ceilings of {entry.effective_on} and {following.effective_on} overlap."
            )


_DEFAULT: UsuryTable | None = None


def _default() -> UsuryTable:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = UsuryTable.load()
    return _DEFAULT


def ceiling_for(amount: Money, on: date) -> UsuryCeiling:
    """``UsuryTable.load().ceiling_for`` on the repository's data file."""
    return _default().ceiling_for(amount, on)


def check_usury(*, taeg: Decimal, amount: Money, on: date) -> UsuryCheck:
    """``UsuryTable.load().check_usury`` on the repository's data file (revolving: amount used)."""
    return _default().check_usury(taeg=taeg, amount=amount, on=on)
