"""Documents: PDF rendering with the lender's identity, sealing, and the customer's documents inbox.

``render_pdf`` is re-exported lazily so ``import guichet.documents`` stays cheap (no WeasyPrint).
"""

from __future__ import annotations

from typing import Any


def render_pdf(*, template: str, context: dict[str, Any], language: str) -> bytes:
    """See ``guichet.documents.rendering.render_pdf``."""
    from .rendering import render_pdf as _render

    return _render(template=template, context=context, language=language)


__all__ = ["render_pdf"]
