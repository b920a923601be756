"""The parsed, validated content of a tariff file: plain frozen values, no database.

``tariff_file.parse_tariff`` builds a ``TariffData``; ``services.load_tariff`` writes it and
``consistency.build_report`` checks it. Rates are Decimal fractions (0.1934), money is ``Money``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from guichet.credit import Currency, Money

FAMILIES = ("split", "revolving", "amortizable", "personal_loan", "consolidation")
KINDS = ("amortizable", "revolving", "lease")
SPEEDS = ("confort", "rapide", "express")
TAEG_TYPES = ("fixed", "revisable")
INSURANCE_KINDS = ("monthly_on_borrowed", "on_borrowed", "on_outstanding_monthly")


@dataclass(frozen=True)
class TierData:
    """A rate tier: applies to amounts up to ``up_to`` inclusive (``None`` = no upper bound)."""

    up_to: Money | None
    debit_rate: Decimal
    max_taeg: Decimal
    daily_period_rate: Decimal | None = None
    source: str = ""
    line: int | None = None


@dataclass(frozen=True)
class TermBandData:
    """Longest term allowed for amounts up to ``up_to`` (``None`` = above the previous band)."""

    up_to: Money | None
    max_term_months: int


@dataclass(frozen=True)
class InsuranceData:
    """One insurance option: a rate of a kind, for an age band, a number of heads and a cover."""

    kind: str
    rate: Decimal
    cover: str
    guarantees: str = ""
    heads: int | None = None
    age_band: str = ""
    age_min: int | None = None
    age_max: int | None = None
    age_max_at_adhesion: int | None = None
    adhesion_until: date | None = None
    adhesion_from: date | None = None
    is_maximum: bool = False
    line: int | None = None


@dataclass(frozen=True)
class ProductData:
    code: str
    name: str
    family: str
    kind: str
    section: str
    taeg_type: str
    min_amount: Money
    max_amount: Money | None
    tiers: tuple[TierData, ...]
    speed: str = ""
    min_term_months: int | None = None
    max_term_months: int | None = None
    first_installment_days: int | None = None
    term_bands: tuple[TermBandData, ...] = ()
    insurance: tuple[InsuranceData, ...] = ()
    assumed: tuple[str, ...] = ()
    assumption_note: str = ""
    insurance_note: str = ""
    source: str = ""
    line: int | None = None


@dataclass(frozen=True)
class CeilingData:
    """A usury ceiling as printed on the sheet, for loans up to ``up_to`` (``None`` = above)."""

    effective_on: date
    up_to: Money | None
    rate: Decimal
    label: str = ""


@dataclass(frozen=True)
class CardFeeData:
    code: str
    label: str
    kind: str  # "fee" or "cap"
    amount: Money
    charged_to_credit: bool = False
    free_per_month: int | None = None
    period_days: int | None = None
    note: str = ""


@dataclass(frozen=True)
class CardData:
    code: str
    name: str
    applies_to: tuple[str, ...]
    fees: tuple[CardFeeData, ...]
    requested_until: date | None = None
    requested_from: date | None = None


@dataclass(frozen=True)
class FxMarginData:
    currency: str
    name: str
    margin: Decimal


@dataclass(frozen=True)
class ManagementFeeData:
    code: str
    label: str
    amount: Money


@dataclass(frozen=True)
class TariffData:
    effective_on: date
    currency: Currency
    issuer: str
    title: str
    source: str
    checksum: str
    products: tuple[ProductData, ...]
    ceilings: tuple[CeilingData, ...] = ()
    cards: tuple[CardData, ...] = ()
    management_fees: tuple[ManagementFeeData, ...] = ()
    fx_margins: tuple[FxMarginData, ...] = ()
    notes: tuple[str, ...] = ()
    # Free-text sections kept as published (complaints, contacts, card security, FX notice).
    clauses: dict[str, dict[str, Any]] = field(default_factory=dict)

    def product(self, code: str) -> ProductData:
        return next(p for p in self.products if p.code == code)
