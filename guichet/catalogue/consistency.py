"""The consistency report of a tariff: published figures recomputed, and every TAEG against usury.

Three checks, read by the person who loads a tariff (``manage.py load_tariff``):

1. each published line (debit rate, TAEG, daily period rate) against the sheet's conventions,
   through ``guichet.credit.check_published_pair`` (TAEG = (1 + r/12)^12 − 1; daily = r / 365).
   The Accessio Express ≤ 3 000 € line (12,19 % / 12,90 % / 0,03341 %) is reported: its TAEG
   and daily rate follow from 12,195 %, not from the 12,19 % printed;
2. every maximum TAEG against the usury ceiling in force on the tariff date, for each category
   of amount its tier spans (revolving: the amount used), from ``guichet.credit.usury``;
3. the same against every later ceiling known, so that lines which become usurious (21,15 % >
   21,11 % from 1 April 2022) are flagged before anyone sells them.

The report is data (``ConsistencyReport``) and text (``render()``); it never blocks a load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from guichet.credit import (
    EUR,
    Inconsistency,
    Money,
    apr_from_nominal,
    check_published_pair,
    daily_period_rate,
    round_taeg,
)
from guichet.credit.rates import DAYS_PER_YEAR
from guichet.credit.usury import UsuryCeiling, UsuryDataMissing, UsuryTable, category_for

from .tariff_data import ProductData, TariffData, TierData

_UNBOUNDED = 10**12  # minor units standing for "no upper bound" when probing categories
CATEGORY_SHORT = {"up_to_3000": "≤ 3 000 €", "from_3000_to_6000": "3 000–6 000 €", "above_6000": "> 6 000 €"}


def pct(rate: Decimal, places: int = 2) -> str:
    """0.2115 → "21,15 %" (plain spaces: the report is read in a terminal)."""
    q = (rate * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q} %".replace(".", ",")


def tier_label(product: ProductData, position: int) -> str:
    """The amount range of a tier, clipped to the product's maximum ("3 000 €–6 000 €")."""
    low = product.tiers[position - 1].up_to if position else None
    high = product.tiers[position].up_to or product.max_amount
    if high is None:
        return "quel que soit le montant" if low is None else f"> {_eur(low)}"
    return f"≤ {_eur(high)}" if low is None else f"{_eur(low)}–{_eur(high)}"


def _eur(amount: Money) -> str:
    return f"{amount.amount:,.0f}".replace(",", " ") + (
        " €" if amount.currency.code == "EUR" else f" {amount.currency}"
    )


@dataclass(frozen=True)
class LineRef:
    product: str
    tier: str
    line: int | None


@dataclass
class PairFinding:
    """One distinct published (debit rate, TAEG, daily rate) and every tariff line that prints it."""

    debit_rate: Decimal
    max_taeg: Decimal
    daily_period_rate: Decimal | None
    lines: list[LineRef]
    problems: list[Inconsistency]

    @property
    def explanation(self) -> str:
        """For an inconsistent line: the debit rate its daily rate implies, if that explains every figure."""
        if self.status != "INCOHÉRENT" or self.daily_period_rate is None:
            return ""
        implied = self.daily_period_rate * DAYS_PER_YEAR
        if (
            round_taeg(apr_from_nominal(implied)) != self.max_taeg
            or daily_period_rate(implied) != self.daily_period_rate
        ):
            return ""
        return (
            f"Explication : le taux journalier publié implique un taux débiteur de {pct(implied, 5)} "
            f"(≈ {pct(implied, 3)}), qui redonne le TAEG publié {pct(self.max_taeg)} et le taux journalier "
            f"{pct(self.daily_period_rate, 5)} ; arrondi à deux décimales il s'imprime {pct(implied)}. "
            "Le barème a calculé TAEG et taux journalier sur le taux non arrondi."
        )

    @property
    def status(self) -> str:
        if any(p.severity == "error" for p in self.problems):
            return "INCOHÉRENT"
        return "NOTE" if self.problems else "OK"


@dataclass(frozen=True)
class UsuryFinding:
    """A maximum TAEG above the ceiling of a category its tier spans, from ``effective_on``."""

    effective_on: date
    ref: LineRef
    taeg: Decimal
    ceiling: Decimal
    category: str


@dataclass
class ConsistencyReport:
    tariff: TariffData
    pairs: list[PairFinding] = field(default_factory=list)
    usury_at_tariff_date: list[UsuryFinding] = field(default_factory=list)
    later_periods: list[tuple[UsuryCeilingSet, list[UsuryFinding]]] = field(default_factory=list)
    printed_ceiling_mismatches: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def inconsistent_pairs(self) -> list[PairFinding]:
        return [p for p in self.pairs if p.status == "INCOHÉRENT"]

    @property
    def later_usurious(self) -> list[UsuryFinding]:
        return [f for _period, found in self.later_periods for f in found]


@dataclass(frozen=True)
class UsuryCeilingSet:
    """The ceilings of the three categories in force from ``effective_on``."""

    effective_on: date
    until: date | None
    rates: dict[str, Decimal]


def build_report(
    tariff: TariffData, *, table: UsuryTable | None = None, until: date | None = None
) -> ConsistencyReport:
    """Check every line of ``tariff``; later ceilings are probed month by month up to ``until`` (today)."""
    report = ConsistencyReport(tariff=tariff)
    report.pairs = _pairs(tariff)
    usury = table or UsuryTable.load()
    periods = _periods(usury, tariff.effective_on, until or date.today(), report.warnings)
    if periods and periods[0].effective_on <= tariff.effective_on:
        report.usury_at_tariff_date = _usurious(tariff, periods[0])
        later = periods[1:]
    else:
        report.warnings.append(f"Aucun seuil de l'usure connu au {tariff.effective_on:%d/%m/%Y}.")
        later = periods
    report.later_periods = [(p, _usurious(tariff, p)) for p in later]
    report.printed_ceiling_mismatches = _printed_ceilings(tariff, usury)
    return report


def _pairs(tariff: TariffData) -> list[PairFinding]:
    found: dict[tuple[Decimal, Decimal, Decimal | None], PairFinding] = {}
    for product in tariff.products:
        for position, tier in enumerate(product.tiers):
            key = (tier.debit_rate, tier.max_taeg, tier.daily_period_rate)
            if key not in found:
                problems = check_published_pair(tier.debit_rate, tier.max_taeg, tier.daily_period_rate)
                found[key] = PairFinding(*key, lines=[], problems=problems)
            found[key].lines.append(LineRef(product.code, tier_label(product, position), tier.line))
    return sorted(found.values(), key=lambda p: (-p.debit_rate, p.daily_period_rate is None))


def _periods(table: UsuryTable, start: date, until: date, warnings: list[str]) -> list[UsuryCeilingSet]:
    """Distinct ceiling periods from ``start`` to ``until``, found by asking the table each month.

    Probing through the public ``ceiling_for`` keeps the catalogue independent of how the credit
    core stores its table; months without a recorded ceiling are reported once as a gap.
    """
    periods: list[UsuryCeilingSet] = []
    gaps: list[date] = []
    day = start
    while day <= until:
        try:
            ceilings = {c: table.ceiling_for(_probe(c), day) for c in CATEGORY_SHORT}
        except UsuryDataMissing:
            gaps.append(day)
        else:
            first: UsuryCeiling = next(iter(ceilings.values()))
            if not periods or periods[-1].effective_on != first.effective_on:
                rates = {c: v.rate for c, v in ceilings.items()}
                periods.append(UsuryCeilingSet(first.effective_on, first.until, rates))
        day = _next_month(day)
    if gaps:
        warnings.append(
            f"Seuils de l'usure inconnus pour {len(gaps)} mois entre le {gaps[0]:%d/%m/%Y} et le "
            f"{gaps[-1]:%d/%m/%Y} (data/usury/ceilings.toml) : lignes non vérifiées pour ces mois."
        )
    return periods


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _probe(category: str) -> Money:
    return Money({"up_to_3000": 300000, "from_3000_to_6000": 600000, "above_6000": 600001}[category], EUR)


def tier_categories(product: ProductData, position: int) -> set[str]:
    """The usury categories an amount in this tier can fall in (bounds clipped to the product range)."""
    tier: TierData = product.tiers[position]
    cur = product.min_amount.currency
    low = product.tiers[position - 1].up_to.minor + 1 if position else product.min_amount.minor  # type: ignore[union-attr]
    high = (
        tier.up_to.minor if tier.up_to else (product.max_amount.minor if product.max_amount else _UNBOUNDED)
    )
    points = {max(low, 1), high} | {p for p in (300000, 300001, 600000, 600001) if low <= p <= high}
    return {category_for(Money(p, cur)) for p in points}


def _usurious(tariff: TariffData, period: UsuryCeilingSet) -> list[UsuryFinding]:
    found: list[UsuryFinding] = []
    for product in tariff.products:
        for position, tier in enumerate(product.tiers):
            ref = LineRef(product.code, tier_label(product, position), tier.line)
            for category in sorted(tier_categories(product, position), key=list(CATEGORY_SHORT).index):
                ceiling = period.rates[category]
                if tier.max_taeg > ceiling:
                    found.append(UsuryFinding(period.effective_on, ref, tier.max_taeg, ceiling, category))
    return found


def _printed_ceilings(tariff: TariffData, table: UsuryTable) -> list[str]:
    """The sheet's own usury table must agree with data/usury/ceilings.toml."""
    problems: list[str] = []
    for printed in tariff.ceilings:
        amount = printed.up_to or Money(_UNBOUNDED, tariff.currency)
        try:
            known = table.ceiling_for(amount, printed.effective_on)
        except UsuryDataMissing:
            problems.append(
                f"{printed.label} : aucun seuil dans data/usury au {printed.effective_on:%d/%m/%Y}."
            )
            continue
        if known.rate != printed.rate:
            problems.append(
                f"{printed.label} : le barème imprime {pct(printed.rate)}, "
                f"data/usury donne {pct(known.rate)}."
            )
    return problems
