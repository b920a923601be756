"""Shared helpers: the shipped tariff file and broken variants of it."""

from __future__ import annotations

from pathlib import Path

from guichet.catalogue.tariff_data import TariffData
from guichet.catalogue.tariff_file import parse_tariff

TARIFF = Path(__file__).resolve().parents[3] / "data" / "tariffs" / "2022-01-01.toml"

# Every product of seed 004 (../shared/seeds/004_471c784c30d21826.txt), in the sheet's order.
SEED_004_PRODUCTS = [
    # Paiement en plusieurs fois lié à un achat (options of the partner cards)
    "carte-4-etoiles-comptant-24x",
    "cofidis-pay-3-24x",
    "option-credit-3-24x",
    "fraxio-3-33x",
    # Crédit renouvelable, cartes partenaires (petites mensualités)
    "carte-4-etoiles-petites-mensualites",
    "lexel-primaphot-petites-mensualites",
    "cofidis-pay-petites-mensualites",
    "option-credit-petites-mensualites",
    "fraxio-petites-mensualites",
    # Crédits renouvelables de trésorerie
    "accessio-confort",
    "accessio-rapide",
    "accessio-express",
    "formule-libravou",
    "reserve-travaux",
    "flexibilis",
    "projelia",
    "modulcio-confort",
    "modulcio-rapide",
    "modulcio-express",
    "alto-confort",
    "alto-rapide",
    "alto-express",
    # Crédit amortissable
    "3xcb",
    "4xcb",
    "fraxio-amortissable",
    "fraxio-plus",
    "projexio",
    "option-credit-amortissable",
    "pnf",
    # Prêt personnel, regroupement de crédits
    "pret-sur-mesure",
    "rachat",
]


def tariff_text() -> str:
    return TARIFF.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def parse_variant(old: str, new: str, *, count: int = 1) -> TariffData:
    """Parse the shipped file with ``old`` replaced by ``new`` (``old`` must be present)."""
    text = tariff_text()
    assert old in text, f"{old!r} not in the tariff file"
    return parse_tariff(text.replace(old, new, count).encode("utf-8"), source_name="variant.toml")
