"""Loading a tariff file into the catalogue: the only code that writes catalogue rows.

``load_tariff`` validates the whole file first (``tariff_file``), builds the consistency report
(``consistency``), then writes everything in one transaction. A tariff is immutable once loaded:
the same file again is "already loaded" (same SHA-256); a different file for the same effective
date is refused — publish a new tariff with its own effective date instead.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from guichet.credit import Money

from .consistency import ConsistencyReport, build_report
from .exceptions import TariffFileError
from .models import (
    CardFee,
    ComplaintPolicy,
    FxMargin,
    InsuranceOption,
    ManagementFee,
    Product,
    RateTier,
    Tariff,
    TariffClause,
    TermBand,
    UsuryCeiling,
)
from .tariff_data import ProductData, TariffData
from .tariff_file import read_tariff


@dataclass(frozen=True)
class LoadOutcome:
    """What ``load_tariff`` did: ``status`` is "loaded", "already_loaded" or "dry_run"."""

    status: str
    data: TariffData
    report: ConsistencyReport
    tariff: Tariff | None


def load_tariff(*, path: Path, dry_run: bool = False, report_until: date | None = None) -> LoadOutcome:
    """Validate, report on and (unless ``dry_run``) store the tariff file at ``path``."""
    data = read_tariff(path)
    report = build_report(data, until=report_until)
    existing = Tariff.objects.filter(checksum=data.checksum).first()
    if existing is not None:
        return LoadOutcome("already_loaded", data, report, existing)
    other = Tariff.objects.filter(effective_on=data.effective_on).first()
    if other is not None:
        raise TariffFileError(
            f"un autre tarif est déjà chargé pour le {data.effective_on:%d/%m/%Y} (fichier "
            f"{other.source_file}, empreinte {other.checksum[:12]}…) : un tarif chargé ne se modifie "
            "pas ; publiez le nouveau avec sa propre date d'effet."
        )
    if dry_run:
        return LoadOutcome("dry_run", data, report, None)
    with transaction.atomic():
        tariff = _write(data, source_file=path.name)
    return LoadOutcome("loaded", data, report, tariff)


def _write(data: TariffData, *, source_file: str) -> Tariff:
    tariff = Tariff.objects.create(
        effective_on=data.effective_on,
        title=data.title,
        issuer=data.issuer,
        currency=data.currency.code,
        source_file=source_file,
        source=data.source,
        checksum=data.checksum,
        notes=list(data.notes),
    )
    products = Product.objects.bulk_create(_product(tariff, i, p) for i, p in enumerate(data.products))
    pairs = list(zip(products, data.products, strict=True))
    RateTier.objects.bulk_create(
        RateTier(product=row, position=i, **_columns(t)) for row, p in pairs for i, t in enumerate(p.tiers)
    )
    TermBand.objects.bulk_create(
        TermBand(product=row, position=i, **_columns(b))
        for row, p in pairs
        for i, b in enumerate(p.term_bands)
    )
    InsuranceOption.objects.bulk_create(
        InsuranceOption(product=row, position=i, **_columns(o))
        for row, p in pairs
        for i, o in enumerate(p.insurance)
    )
    _write_fees(tariff, data)
    _write_clauses(tariff, data)
    return tariff


def _columns(value: Any) -> dict[str, Any]:
    """A parsed dataclass as model columns: Money ``x`` → ``x_minor`` (and ``currency``); no ``line``."""
    columns: dict[str, Any] = {}
    for f in fields(value):
        item = getattr(value, f.name)
        if f.name == "line":
            continue
        if isinstance(item, Money) or (item is None and f.name == "up_to"):
            columns[f"{f.name}_minor"] = item.minor if item is not None else None
            if isinstance(item, Money) and f.name != "up_to":
                columns["currency"] = item.currency.code
        else:
            columns[f.name] = item
    return columns


def _product(tariff: Tariff, position: int, p: ProductData) -> Product:
    return Product(
        tariff=tariff,
        position=position,
        code=p.code,
        name=p.name,
        family=p.family,
        kind=p.kind,
        section=p.section,
        speed=p.speed,
        taeg_type=p.taeg_type,
        min_term_months=p.min_term_months,
        max_term_months=p.max_term_months,
        min_amount_minor=p.min_amount.minor,
        max_amount_minor=p.max_amount.minor if p.max_amount else None,
        currency=p.min_amount.currency.code,
        first_installment_days=p.first_installment_days,
        assumed=list(p.assumed),
        assumption_note=p.assumption_note,
        insurance_note=p.insurance_note,
        source=p.source,
    )


def _write_fees(tariff: Tariff, data: TariffData) -> None:
    UsuryCeiling.objects.bulk_create(UsuryCeiling(tariff=tariff, **_columns(c)) for c in data.ceilings)
    CardFee.objects.bulk_create(
        CardFee(
            tariff=tariff,
            card_code=card.code,
            card_name=card.name,
            requested_from=card.requested_from,
            requested_until=card.requested_until,
            applies_to=list(card.applies_to),
            position=i,
            **_columns(fee),
        )
        for card in data.cards
        for i, fee in enumerate(card.fees)
    )
    ManagementFee.objects.bulk_create(
        ManagementFee(tariff=tariff, position=i, **_columns(f)) for i, f in enumerate(data.management_fees)
    )
    network = data.clauses.get("fx", {}).get("network", "")
    FxMargin.objects.bulk_create(
        FxMargin(
            tariff=tariff, currency_code=m.currency, currency_name=m.name, network=network, margin=m.margin
        )
        for m in data.fx_margins
    )


def _write_clauses(tariff: Tariff, data: TariffData) -> None:
    complaints = data.clauses.get("complaints")
    if complaints:
        known = {f.name for f in ComplaintPolicy._meta.get_fields()}
        ComplaintPolicy.objects.create(tariff=tariff, **{k: v for k, v in complaints.items() if k in known})
    TariffClause.objects.bulk_create(
        TariffClause(tariff=tariff, code=code, body=body)
        for code, body in data.clauses.items()
        if code != "complaints"
    )
