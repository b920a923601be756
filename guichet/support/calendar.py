"""Complaint deadlines: business days (Mon–Fri minus French public holidays) and calendar months.

ACPR recommendation 2022-R-01: acknowledge within 10 business days, answer within 2 months of
receipt. A lender may promise better: seed 004 commits to "accuser réception sous 10 jours", which
read as calendar days is stricter, so the earlier of the two dates applies. Pure functions.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

ACK_BUSINESS_DAYS = 10
ANSWER_MONTHS = 2


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int, country: str = "FR") -> frozenset[date]:
    """French public holidays (Code du travail L3133-1); New Caledonia adds 24 September."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1),
        date(year, 5, 1),
        date(year, 5, 8),
        date(year, 7, 14),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
        easter + timedelta(days=1),
        easter + timedelta(days=39),
        easter + timedelta(days=50),
    }
    if country == "NC":
        days.add(date(year, 9, 24))
    return frozenset(days)


def is_business_day(day: date, country: str = "FR") -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year, country)


def add_business_days(start: date, count: int, country: str = "FR") -> date:
    """The ``count``-th business day after ``start`` (the day of receipt itself does not count)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_business_day(day, country):
            remaining -= 1
    return day


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (31 Dec + 2 months = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def complaint_deadlines(
    received_on: date,
    country: str = "FR",
    *,
    committed_ack_days: int | None = None,
    committed_answer_months: int | None = None,
) -> tuple[date, date]:
    """(acknowledgement due, answer due) for a complaint received on ``received_on``.

    The legal limits (ACPR) apply unless the lender's published commitment (calendar days and
    months, from its tariff) falls earlier: a customer is owed whichever comes first.
    """
    ack_due = add_business_days(received_on, ACK_BUSINESS_DAYS, country)
    answer_due = add_months(received_on, ANSWER_MONTHS)
    if committed_ack_days is not None:
        ack_due = min(ack_due, received_on + timedelta(days=committed_ack_days))
    if committed_answer_months is not None:
        answer_due = min(answer_due, add_months(received_on, committed_answer_months))
    return ack_due, answer_due
