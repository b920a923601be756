"""``{% credit_warning %}``: the compulsory sentence of L312-5 (ordonnance n° 2025-880) on every page,
PDF and email that advertises or simulates credit (a builtin tag: no ``{% load %}`` needed)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from guichet.lenders.mentions import warning_text

register = template.Library()


@register.simple_tag
def credit_warning(plain: bool = False) -> str:
    """The L312-5 sentence; ``plain=True`` for text emails, else a ``<p class="credit-warning">``."""
    if plain:
        return warning_text()
    markup = '<p class="credit-warning" data-legal="L312-5"><strong>{}</strong></p>'
    return format_html(markup, warning_text())
