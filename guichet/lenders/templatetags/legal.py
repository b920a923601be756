"""``{% credit_warning %}``: the compulsory sentence of L312-5 (ordonnance n° 2025-880) on every page,
PDF and email that advertises or simulates credit (a builtin tag: no ``{% load %}`` needed)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from guichet.credit.consumer_law import Regime, regime_for
from guichet.lenders.mentions import warning_text
from guichet.lenders.profile import lender_day

register = template.Library()


@register.simple_tag
def credit_warning(plain: bool = False) -> str:
    """The L312-5 sentence; ``plain=True`` for text emails, else a ``<p class="credit-warning">``."""
    if plain:
        return warning_text()
    markup = '<p class="credit-warning" data-legal="L312-5"><strong>{}</strong></p>'
    return format_html(markup, warning_text())


@register.filter
def under_ccd2(offered_at) -> bool:  # type: ignore[no-untyped-def]
    """Whether an offer made at ``offered_at`` (aware datetime) falls under the CCD2 wording
    (ordonnance n° 2025-880 art. 99: offers from 20 November 2026, in the lender's calendar)."""

    return offered_at is not None and regime_for(offered_on=lender_day(offered_at)) is Regime.CCD2
