"""The consistency report as text, in French, for the terminal of the person loading a tariff (the
report itself, ``consistency.build_report``, knows nothing of its rendering)."""

from __future__ import annotations

from itertools import groupby

from .consistency import CATEGORY_SHORT, ConsistencyReport, PairFinding, UsuryFinding, pct


def render_report(report: ConsistencyReport) -> str:
    t = report.tariff
    tiers = sum(len(p.tiers) for p in t.products)
    out = [
        f"Rapport de cohérence — {t.title}",
        f"Tarif du {t.effective_on:%d/%m/%Y} : {len(t.products)} produits, {tiers} lignes de taux.",
        "",
        "1. Taux publiés (TAEG = (1 + taux débiteur/12)^12 − 1 ; taux journalier = taux débiteur/365)",
    ]
    for pair in report.pairs:
        out.extend(_pair(pair))
    out += ["", f"2. TAEG maximum / seuils de l'usure en vigueur au {t.effective_on:%d/%m/%Y}"]
    out.extend(
        _usury(report.usury_at_tariff_date) or ["   OK : aucun TAEG au-dessus du seuil de sa catégorie."]
    )
    out += [
        "",
        "3. Seuils de l'usure ultérieurs (data/usury/ceilings.toml) : lignes qui deviennent usuraires",
    ]
    for period, found in report.later_periods:
        rates = " / ".join(f"{CATEGORY_SHORT[c]} {pct(r)}" for c, r in period.rates.items())
        out.append(f"   À partir du {period.effective_on:%d/%m/%Y} ({rates}) :")
        out.extend(_usury(found) or ["   OK : aucune ligne usuraire."])
    if not report.later_periods:
        out.append("   Aucun seuil ultérieur connu.")
    out += ["", "4. Seuils imprimés sur le barème / data/usury"]
    out.extend(f"   ÉCART : {m}" for m in report.printed_ceiling_mismatches)
    if not report.printed_ceiling_mismatches:
        out.append(f"   OK : {len(t.ceilings)} seuils imprimés identiques à data/usury.")
    out += ["", "5. Hypothèses du prêteur (valeurs absentes du barème)"]
    for product in t.products:
        if product.assumed:
            out.append(f"   {product.code} [{', '.join(product.assumed)}] : {product.assumption_note}")
    for warning in report.warnings:
        out.append(f"ATTENTION : {warning}")
    return "\n".join(out) + "\n"


def _where(lines: list) -> str:
    shown = ", ".join(
        f"{ref.product} {ref.tier}" + (f" (l. {ref.line})" if ref.line else "") for ref in lines[:4]
    )
    more = f" … et {len(lines) - 4} autres" if len(lines) > 4 else ""
    return shown + more


def _pair(pair: PairFinding) -> list[str]:
    daily = f", journalier {pct(pair.daily_period_rate, 5)}" if pair.daily_period_rate is not None else ""
    rates = f"{pct(pair.debit_rate)} → TAEG {pct(pair.max_taeg)}{daily}"
    head = f"   {pair.status:<10} {rates} — {len(pair.lines)} ligne(s) : "
    lines = [head + _where(pair.lines)]
    lines.extend(f"              {p.severity} [{p.field}] {p.message}" for p in pair.problems)
    if pair.explanation:
        lines.append(f"              {pair.explanation}")
    return lines


def _usury(found: list[UsuryFinding]) -> list[str]:
    lines = []
    key = lambda f: (f.taeg, f.ceiling, f.category)  # noqa: E731
    for (taeg, ceiling, category), group in groupby(sorted(found, key=key, reverse=True), key=key):
        refs = [f.ref for f in group]
        lines.append(
            f"   USURAIRE TAEG {pct(taeg)} > seuil {pct(ceiling)} ({CATEGORY_SHORT[category]}) — "
            f"{len(refs)} ligne(s) : {_where(refs)}"
        )
    return lines
