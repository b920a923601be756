"""Render a Django template to PDF with WeasyPrint: the lender's identity on every page, "page n/N", DejaVu.

The PDF and the screen are built from the same data (``sheets.py``); this module only turns
HTML into bytes, in the language asked for, so a document never depends on the request.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from guichet.lenders.profile import get_profile


class PdfRenderingError(RuntimeError):
    """WeasyPrint could not produce the document (bad template or missing system library)."""


def render_html(*, template: str, context: dict[str, Any], language: str) -> str:
    """The HTML a PDF is made from, with ``lender`` and ``language`` added to the context."""
    with translation.override(language):
        return render_to_string(template, {"lender": get_profile(), "language": language, **context})


def render_pdf(*, template: str, context: dict[str, Any], language: str) -> bytes:
    """Render ``template`` (extending ``documents/pdf/base.html``) to PDF bytes in ``language``."""
    # Imported here: WeasyPrint loads pango at import, which every request needs not pay for.
    from weasyprint import HTML

    html = render_html(template=template, context=context, language=language)
    try:
        pdf = HTML(string=html, base_url=None).write_pdf()
    except Exception as exc:  # WeasyPrint raises many unrelated types; callers need one.
        raise PdfRenderingError(f"Le document {template} n'a pas pu être produit : {exc}") from exc
    if not pdf:
        raise PdfRenderingError(f"Le document {template} est vide.")
    return bytes(pdf)
