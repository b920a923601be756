"""Calendar helpers for schedules: monthly due dates that keep their day, and day counts.

A due date on the 31st falls on the last day of shorter months and comes back to the 31st when
the month allows it (31 Jan → 28 Feb → 31 Mar), because each date is computed from the anchor
day rather than from the previous, clamped date.
"""

from __future__ import annotations

import calendar
from datetime import date


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(start: date, months: int, *, day: int | None = None) -> date:
    """``start`` moved by ``months`` (may be negative), on ``day`` (default: start's day), clamped."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    wanted = start.day if day is None else day
    return date(year, month, min(wanted, days_in_month(year, month)))


def monthly_dates(first: date, count: int) -> list[date]:
    """``count`` monthly dates from ``first``, keeping first's day where the month has it."""
    return [add_months(first, k, day=first.day) for k in range(count)]


def days_in_year_ending(on: date) -> int:
    """Days of the complete year counted back from ``on`` to the same day of the previous year."""
    previous = add_months(on, -12)
    return (on - previous).days
