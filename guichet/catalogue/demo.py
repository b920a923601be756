"""Demo data for the catalogue: load the tariff file a lender profile names, once.

Called by the demo orchestrator (``manage.py demo_setup``) as ``seed(profile=..., stdout=...)``.
The lender profile's ``tariff`` (e.g. "2022-01-01") names ``data/tariffs/<tariff>.toml``. One
deployment serves one lender, so each lender loads its own sheet in its own currency: the French
lender seed 004's euro tariff, the New Caledonian lender ``nc-2022-01-01.toml``, its own products in
francs CFP (demo figures, issue 16). The catalogue can still serve a euro sheet's bounds in XPF at
the legal parity (``parity``), but no demo lender relies on it any more.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from django.conf import settings

from guichet.lenders.profile import LenderProfile

from .consistency_text import render_report
from .services import LoadOutcome, load_tariff


def tariff_path(profile: LenderProfile) -> Path:
    return Path(settings.DATA_DIR) / "tariffs" / f"{profile.tariff}.toml"


def seed(*, profile: LenderProfile, stdout: TextIO | None = None, verbose: bool = False) -> LoadOutcome:
    """Load the profile's tariff if it is not loaded yet (idempotent); print one line, or the report."""
    outcome = load_tariff(path=tariff_path(profile))
    if stdout is not None:
        if verbose:
            stdout.write(render_report(outcome.report))
        state = "déjà chargé" if outcome.status == "already_loaded" else "chargé"
        found = len(outcome.report.inconsistent_pairs), len(outcome.report.later_usurious)
        stdout.write(
            f"Catalogue : tarif du {outcome.data.effective_on:%d/%m/%Y} {state} "
            f"({len(outcome.data.products)} produits ; {found[0]} ligne(s) incohérente(s), "
            f"{found[1]} ligne(s) usuraire(s) aux seuils ultérieurs — voir load_tariff --dry-run).\n"
        )
    return outcome
