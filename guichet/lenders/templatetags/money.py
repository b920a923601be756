"""Template filters for money, rates and dates, always formatted for the active language (babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils.translation import get_language

from guichet.credit import Money
from guichet.lenders.formatting import format_day, format_instant, format_money, format_rate
from guichet.lenders.profile import get_profile

register = template.Library()


@register.filter
def money(value: Money | None) -> str:
    if value is None:
        return "—"
    return format_money(value, get_language(), iso_code=get_profile().money_pattern_iso)


@register.filter
def rate(value: Decimal | None, decimals: int = 2) -> str:
    if value is None:
        return "—"
    return format_rate(value, get_language(), int(decimals))


@register.filter
def day(value: date | None) -> str:
    if value is None:
        return "—"
    return format_day(value, get_language())


@register.filter
def instant(value: datetime | None) -> str:
    if value is None:
        return "—"
    return format_instant(value, get_profile().time_zone, get_language())
