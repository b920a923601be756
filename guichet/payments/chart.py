"""The "capital vs interest over time" chart as inline SVG built on the server (no script, CSP-safe).

One bar per year of the schedule: the capital repaid that year (class ``bar-capital``) stacked
under the interest paid (class ``bar-interest``); colours come from guichet.css. The SVG carries
a title and a text table alternative (``<desc>``) for screen readers.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.credit import Currency, Money
from guichet.credit.schedule import Schedule
from guichet.lenders.formatting import format_money
from guichet.lenders.profile import get_profile

WIDTH, HEIGHT, PAD = 320, 160, 24
AXIS = 14  # room under the year numbers for the axis title ("Années")


def _by_year(months: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    years: list[tuple[int, int, int]] = []
    for start in range(0, len(months), 12):
        rows = months[start : start + 12]
        years.append((start // 12 + 1, sum(c for c, _i in rows), sum(i for _c, i in rows)))
    return years


def capital_interest_svg(schedule: Schedule) -> str:
    months = [(r.principal.minor, r.interest.minor) for r in schedule.rows[: schedule.term_months]]
    return monthly_capital_interest_svg(months, schedule.currency)


def monthly_capital_interest_svg(months: list[tuple[int, int]], cur: Currency) -> str:
    """The chart from (capital repaid, interest) of each month in minor units (a revolving simulation's
    statements, or a schedule's rows)."""
    years = _by_year(months)
    top = max(c + i for _y, c, i in years) or 1
    slot = (WIDTH - PAD) / len(years)
    bar = max(slot * 0.7, 2)
    parts, desc = [], []
    for k, (year, capital, interest) in enumerate(years):
        x = PAD + k * slot + (slot - bar) / 2
        h_cap = (HEIGHT - PAD) * capital / top
        h_int = (HEIGHT - PAD) * interest / top
        y_cap = HEIGHT - PAD - h_cap
        parts.append(
            f'<rect class="bar-capital" x="{x:.1f}" y="{y_cap:.1f}" width="{bar:.1f}" height="{h_cap:.1f}"/>'
        )
        parts.append(
            f'<rect class="bar-interest" x="{x:.1f}" y="{y_cap - h_int:.1f}"'
            f' width="{bar:.1f}" height="{h_int:.1f}"/>'
        )
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle">{year}</text>')
        desc.append(
            _("Année %(year)s : capital %(capital)s, intérêts %(interest)s.")
            % {"year": year, "capital": _shown(_m(capital, cur)), "interest": _shown(_m(interest, cur))}
        )
    # The numbers under the bars are years of the loan: say so (they were read as 1…5 of nothing).
    parts.append(
        f'<text class="axis-title" x="{PAD + (WIDTH - PAD) / 2:.1f}" y="{HEIGHT + AXIS - 2}"'
        f' text-anchor="middle">{escape(_("Années du crédit"))}</text>'
    )
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + AXIS}" role="img"'
        ' aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(_("Capital et intérêts remboursés par année"))}</title>'
        f'<desc id="chart-desc">{escape(" ".join(desc))}</desc>{"".join(parts)}</svg>'
    )


def _m(minor: int, cur) -> Money:
    return Money(minor, cur)


def _shown(amount: Money) -> str:
    """The amount as the page shows it: the active language, the profile's currency pattern."""
    return format_money(amount, get_language(), iso_code=get_profile().money_pattern_iso)
