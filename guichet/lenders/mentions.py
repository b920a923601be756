"""Legal mentions in the active language, for pages, PDFs, emails and JSON alike.

The compulsory sentence of Code de la consommation L312-5, as rewritten by ordonnance n° 2025-880
(in force 20 November 2026), is French law: it is always given verbatim in French; in another language
its translation follows it in brackets, it never replaces it.
"""

from __future__ import annotations

from django.utils.translation import get_language, gettext

from guichet.credit.consumer_law import ADVERTISING_WARNING


def warning_text() -> str:
    """« Attention ! Un crédit coûte de l'argent et doit être remboursé. » (+ translation if not French)."""
    translated = gettext(ADVERTISING_WARNING)
    if (get_language() or "fr").startswith("fr") or translated == ADVERTISING_WARNING:
        return ADVERTISING_WARNING
    return f"{ADVERTISING_WARNING} ({translated})"
