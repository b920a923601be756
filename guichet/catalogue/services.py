"""Loading a tariff file into the catalogue: the only code that writes catalogue rows.

``load_tariff`` validates the whole file first (``tariff_file``), builds the consistency report
(``consistency``), then writes everything in one transaction. A tariff is immutable once loaded:
the same file again is "already loaded" (same SHA-256); a different file for the same effective
date is refused — publish a new tariff with its own effective date instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

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
    tiers, bands, options = [], [], []
    for product, p in zip(products, data.products, strict=True):
        tiers += [
            RateTier(
                product=product,
                position=i,
                up_to_minor=t.up_to.minor if t.up_to else None,
                debit_rate=t.debit_rate,
                max_taeg=t.max_taeg,
                daily_period_rate=t.daily_period_rate,
                source=t.source,
            )
            for i, t in enumerate(p.tiers)
        ]
        bands += [
            TermBand(
                product=product,
                position=i,
                up_to_minor=b.up_to.minor if b.up_to else None,
                max_term_months=b.max_term_months,
            )
            for i, b in enumerate(p.term_bands)
        ]
        options += [
            InsuranceOption(
                product=product,
                position=i,
                kind=o.kind,
                rate=o.rate,
                is_maximum=o.is_maximum,
                cover=o.cover,
                guarantees=o.guarantees,
                heads=o.heads,
                age_band=o.age_band,
                age_min=o.age_min,
                age_max=o.age_max,
                age_max_at_adhesion=o.age_max_at_adhesion,
                adhesion_from=o.adhesion_from,
                adhesion_until=o.adhesion_until,
            )
            for i, o in enumerate(p.insurance)
        ]
    RateTier.objects.bulk_create(tiers)
    TermBand.objects.bulk_create(bands)
    InsuranceOption.objects.bulk_create(options)
    _write_services(tariff, data)
    return tariff


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


def _write_services(tariff: Tariff, data: TariffData) -> None:
    cur = data.currency.code
    UsuryCeiling.objects.bulk_create(
        UsuryCeiling(
            tariff=tariff,
            effective_on=c.effective_on,
            up_to_minor=c.up_to.minor if c.up_to else None,
            rate=c.rate,
            label=c.label,
        )
        for c in data.ceilings
    )
    CardFee.objects.bulk_create(
        CardFee(
            tariff=tariff,
            card_code=card.code,
            card_name=card.name,
            requested_from=card.requested_from,
            requested_until=card.requested_until,
            applies_to=list(card.applies_to),
            position=i,
            code=f.code,
            label=f.label,
            kind=f.kind,
            amount_minor=f.amount.minor,
            currency=cur,
            charged_to_credit=f.charged_to_credit,
            free_per_month=f.free_per_month,
            period_days=f.period_days,
            note=f.note,
        )
        for card in data.cards
        for i, f in enumerate(card.fees)
    )
    ManagementFee.objects.bulk_create(
        ManagementFee(
            tariff=tariff, position=i, code=f.code, label=f.label, amount_minor=f.amount.minor, currency=cur
        )
        for i, f in enumerate(data.management_fees)
    )
    network = data.clauses.get("fx", {}).get("network", "")
    FxMargin.objects.bulk_create(
        FxMargin(
            tariff=tariff, currency_code=m.currency, currency_name=m.name, network=network, margin=m.margin
        )
        for m in data.fx_margins
    )
    complaints = data.clauses.get("complaints")
    if complaints:
        fields = {f.name for f in ComplaintPolicy._meta.get_fields()}
        ComplaintPolicy.objects.create(tariff=tariff, **{k: v for k, v in complaints.items() if k in fields})
    TariffClause.objects.bulk_create(
        TariffClause(tariff=tariff, code=code, body=body)
        for code, body in data.clauses.items()
        if code != "complaints"
    )
