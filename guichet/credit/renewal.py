"""Yearly renewal of a revolving credit (Code de la consommation L312-65, L312-75 ff.)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_months


@dataclass(frozen=True, slots=True)
class RenewalCalendar:
    """The dates of a yearly renewal (L312-65, L312-77): notice, last day to object, anniversary."""

    anniversary: date
    notice_by: date
    objection_until: date


def renewal_calendar(opened_on: date, year: int) -> RenewalCalendar:
    """L312-65: one-year contract, renewal conditions sent three months before the anniversary;
    the borrower may object to changed terms until at least 20 days before they take effect."""
    years = year - opened_on.year
    if years < 1:
        raise ValueError(f"A contract opened on {opened_on} is first renewed in {opened_on.year + 1}.")
    anniversary = add_months(opened_on, 12 * years)
    return RenewalCalendar(anniversary, add_months(anniversary, -3), anniversary - timedelta(days=20))
