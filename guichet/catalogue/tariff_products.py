"""Reading and checking the ``[[product]]`` tables of a tariff file (tiers, term bands, insurance).

Rules checked here, each refused with the product and the line: known family/kind/speed, the
kind a family implies, term and amount ranges in order, tiers in increasing order covering the
whole amount range, a TAEG not below its debit rate, insurance grids complete, adhesion windows
that do not overlap, and ``assumed`` naming real fields.
"""

from __future__ import annotations

import re
from typing import Any

from guichet.credit import Currency, Money

from .tariff_data import (
    FAMILIES,
    INSURANCE_KINDS,
    KINDS,
    SPEEDS,
    TAEG_TYPES,
    InsuranceData,
    ProductData,
    TermBandData,
    TierData,
)
from .tariff_reader import LineIndex, Table

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_ASSUMABLE = ("min_amount", "max_amount", "min_term_months", "max_term_months", "term_bands", "tiers")


def parse_product(raw: Any, index: int, currency: Currency, lines: LineIndex) -> ProductData:
    """One ``[[product]]`` table → ``ProductData``, or ``TariffFileError`` naming what is wrong."""
    code = raw.get("code", f"n° {index + 1}") if isinstance(raw, dict) else f"n° {index + 1}"
    t = Table(
        raw, where=f"produit « {code} »", line=lines.product(index), locate=lambda k: lines.key(index, k)
    )
    code, family, kind, speed = _identity(t)
    min_term = t.integer("min_term_months", required=False, minimum=1)
    max_term = t.integer("max_term_months", required=False, minimum=1)
    _check_terms(t, kind, min_term, max_term)
    min_amount = t.money("min_amount", currency, required=False) or Money.zero(currency)
    max_amount = t.money("max_amount", currency, required=False)
    if max_amount is not None and max_amount.minor < min_amount.minor:
        raise t.fail(f"montant minimum {min_amount} supérieur au maximum {max_amount}.", key="max_amount")
    product = ProductData(
        code=code,
        name=t.text("name"),
        family=family,
        kind=kind,
        section=t.text("section"),
        taeg_type=t.choice("taeg_type", TAEG_TYPES),
        speed=speed,
        min_term_months=min_term,
        max_term_months=max_term,
        min_amount=min_amount,
        max_amount=max_amount,
        first_installment_days=t.integer("first_installment_days", required=False, minimum=1),
        tiers=_tiers(t, index, currency, lines, min_amount, max_amount),
        term_bands=_term_bands(t, currency, min_term, max_term, max_amount),
        insurance=_insurance(t, index, lines),
        assumed=_assumed(t),
        assumption_note=t.text("assumption_note", required=False),
        insurance_note=t.text("insurance_note", required=False),
        source=t.text("source", required=False),
        line=t.line,
    )
    t.done()
    return product


def _identity(t: Table) -> tuple[str, str, str, str]:
    """Code, family, contract kind and speed, with the rules that tie them together."""
    code = t.text("code")
    if not _CODE.match(code):
        raise t.fail(
            "le code doit être en minuscules, chiffres et tirets (ex. « pret-sur-mesure »).", key="code"
        )
    family = t.choice("family", FAMILIES)
    kind = t.choice("kind", KINDS)
    if (family == "revolving") != (kind == "revolving"):
        raise t.fail(
            f"la famille « {family} » est incompatible avec le type de contrat « {kind} ».", key="kind"
        )
    speed = t.choice("speed", SPEEDS, required=False)
    if speed and kind != "revolving":
        raise t.fail("une vitesse de remboursement n'a de sens que pour un crédit renouvelable.", key="speed")
    return code, family, kind, speed


def _check_terms(t: Table, kind: str, min_term: int | None, max_term: int | None) -> None:
    if (min_term is None) != (max_term is None):
        raise t.fail("donner les deux bornes de durée (min_term_months et max_term_months) ou aucune.")
    if min_term is None and kind != "revolving":
        raise t.fail("un produit non renouvelable doit avoir une plage de durée.", key="min_term_months")
    if min_term is not None and max_term is not None and min_term > max_term:
        raise t.fail(
            f"durée minimum {min_term} mois supérieure au maximum {max_term}.", key="max_term_months"
        )


def _tiers(
    t: Table, index: int, currency: Currency, lines: LineIndex, min_amount: Money, max_amount: Money | None
) -> tuple[TierData, ...]:
    raws = t.tables("tiers", required=True)
    if not raws:
        raise t.fail("au moins une tranche de taux est obligatoire.", key="tiers")
    tiers: list[TierData] = []
    for pos, raw in enumerate(raws):
        line = lines.element(index, "tiers", pos)
        tt = Table(raw, where=f"{t.where}, tranche {pos + 1}", line=line)
        tier = TierData(
            up_to=tt.money("up_to", currency, required=False),
            debit_rate=tt.rate("debit_rate"),  # type: ignore[arg-type]
            max_taeg=tt.rate("max_taeg"),  # type: ignore[arg-type]
            daily_period_rate=tt.rate("daily_period_rate", required=False),
            source=tt.text("source", required=False),
            line=line,
        )
        tt.done()
        if tier.max_taeg < tier.debit_rate:
            raise tt.fail(f"TAEG maximum {tier.max_taeg:%} inférieur au taux débiteur {tier.debit_rate:%}.")
        previous = tiers[-1] if tiers else None
        if previous is not None and previous.up_to is None:
            raise tt.fail(
                "une tranche suit une tranche sans plafond : seule la dernière peut en être dépourvue."
            )
        if previous is not None and tier.up_to is not None and tier.up_to.minor <= previous.up_to.minor:  # type: ignore[union-attr]
            raise tt.fail(f"plafond {tier.up_to} non croissant (tranche précédente : {previous.up_to}).")
        tiers.append(tier)
    last = tiers[-1].up_to
    if last is not None and (max_amount is None or max_amount.minor > last.minor):
        raise t.fail(
            f"la dernière tranche s'arrête à {last} mais le montant maximum est "
            f"{max_amount or 'illimité'} : ajouter une tranche ou abaisser max_amount.",
            key="tiers",
        )
    if tiers[0].up_to is not None and tiers[0].up_to.minor < min_amount.minor:
        raise t.fail(f"la première tranche ({tiers[0].up_to}) est sous le montant minimum {min_amount}.")
    return tuple(tiers)


def _term_bands(
    t: Table, currency: Currency, min_term: int | None, max_term: int | None, max_amount: Money | None
) -> tuple[TermBandData, ...]:
    bands: list[TermBandData] = []
    for pos, raw in enumerate(t.tables("term_bands")):
        bt = Table(
            raw,
            where=f"{t.where}, bande de durée {pos + 1}",
            line=t.locate("term_bands") if t.locate else t.line,
        )
        band = TermBandData(
            up_to=bt.money("up_to", currency, required=False),
            max_term_months=bt.integer("max_term_months", minimum=1),
        )  # type: ignore[arg-type]
        bt.done()
        if min_term is None or max_term is None or not min_term <= band.max_term_months <= max_term:
            raise bt.fail(f"durée maximale {band.max_term_months} mois hors de la plage du produit.")
        if bands and (
            bands[-1].up_to is None or (band.up_to is not None and band.up_to.minor <= bands[-1].up_to.minor)
        ):
            raise bt.fail(
                "les bandes de durée doivent être en plafonds croissants, la dernière sans plafond."
            )
        bands.append(band)
    if (
        bands
        and bands[-1].up_to is not None
        and (max_amount is None or bands[-1].up_to.minor < max_amount.minor)
    ):
        raise t.fail(
            "les bandes de durée ne couvrent pas tout le montant : la dernière doit être sans plafond."
        )
    return tuple(bands)


def _insurance(t: Table, index: int, lines: LineIndex) -> tuple[InsuranceData, ...]:
    options: list[InsuranceData] = []
    for pos, raw in enumerate(t.tables("insurance")):
        line = lines.element(index, "insurance", pos)
        it = Table(raw, where=f"{t.where}, assurance {pos + 1}", line=line)
        option = InsuranceData(
            kind=it.choice("kind", INSURANCE_KINDS),
            rate=it.rate("rate"),  # type: ignore[arg-type]
            cover=it.text("cover"),
            guarantees=it.text("guarantees", required=False),
            heads=it.integer("heads", required=False, minimum=1),
            adhesion_until=it.day("adhesion_until"),
            adhesion_from=it.day("adhesion_from"),
            is_maximum=it.boolean("is_maximum"),
            line=line,
        )
        it.done()
        options.append(option)
    grid = t.anything("insurance_grid")
    if grid is not None:
        options.extend(
            _grid(
                Table(
                    grid,
                    where=f"{t.where}, grille d'assurance",
                    line=t.locate("code") if t.locate else t.line,
                )
            )
        )
    _check_windows(t, options)
    return tuple(options)


def _grid(g: Table) -> list[InsuranceData]:
    """Expand a grid written like the sheet (bands × heads columns, one row per cover)."""
    kind = g.choice("kind", INSURANCE_KINDS)
    bands = [
        _band(Table(b, where=f"{g.where}, tranche d'âge {i + 1}", line=g.line))
        for i, b in enumerate(g.tables("bands", required=True))
    ]
    heads = g.anything("heads")
    if not isinstance(heads, list) or not heads or not all(isinstance(h, int) and h >= 1 for h in heads):
        raise g.fail("« heads » doit être une liste d'entiers (ex. [1, 2]).")
    options: list[InsuranceData] = []
    for i, raw in enumerate(g.tables("covers", required=True)):
        c = Table(raw, where=f"{g.where}, garantie {i + 1}", line=g.line)
        cover, guarantees, rates = c.text("cover"), c.text("guarantees", required=False), c.strings("rates")
        c.done()
        if len(rates) != len(bands) * len(heads):
            raise c.fail(f"{len(rates)} taux pour {len(bands)} tranches d'âge × {len(heads)} têtes.")
        columns = [(band, head) for band in bands for head in heads]
        for ((label, lo, hi, adh), head), text in zip(columns, rates, strict=True):
            cell = Table({"rate": text}, where=f"{c.where}, {label} {head} tête(s)", line=g.line)
            options.append(
                InsuranceData(
                    kind=kind,
                    rate=cell.rate("rate"),
                    cover=cover,
                    guarantees=guarantees,  # type: ignore[arg-type]
                    heads=head,
                    age_band=label,
                    age_min=lo,
                    age_max=hi,
                    age_max_at_adhesion=adh,
                )
            )
    g.done()
    return options


def _band(b: Table) -> tuple[str, int, int, int | None]:
    label, lo, hi = b.text("label"), b.integer("age_min"), b.integer("age_max")
    adhesion = b.integer("age_max_at_adhesion", required=False)
    b.done()
    if lo is None or hi is None or lo >= hi:
        raise b.fail(f"tranche d'âge « {label} » : âge minimum {lo} ≥ maximum {hi}.")
    return label, lo, hi, adhesion


def _check_windows(t: Table, options: list[InsuranceData]) -> None:
    """Two options for the same cover, heads and ages must not both be open on one adhesion date."""
    for o in options:
        if o.adhesion_until and o.adhesion_from and o.adhesion_from > o.adhesion_until:
            raise t.fail(
                f"assurance {o.cover} : adhésion à partir du {o.adhesion_from} après le {o.adhesion_until}."
            )
    for i, a in enumerate(options):
        for b in options[i + 1 :]:
            same = (a.kind, a.cover, a.heads, a.age_min) == (b.kind, b.cover, b.heads, b.age_min)
            disjoint = (a.adhesion_until and b.adhesion_from and a.adhesion_until < b.adhesion_from) or (
                b.adhesion_until and a.adhesion_from and b.adhesion_until < a.adhesion_from
            )
            if same and not disjoint:
                raise t.fail(
                    f"deux options d'assurance {a.cover} ouvertes aux mêmes dates d'adhésion.",
                    key="insurance",
                )


def _assumed(t: Table) -> tuple[str, ...]:
    assumed = t.strings("assumed")
    for name in assumed:
        if name not in _ASSUMABLE:
            raise t.fail(
                f"« assumed » cite « {name} » ; champs possibles : {', '.join(_ASSUMABLE)}.", key="assumed"
            )
    if assumed and not t.raw.get("assumption_note"):
        raise t.fail(
            "des valeurs sont supposées (« assumed ») sans « assumption_note » qui les explique.",
            key="assumed",
        )
    return assumed
