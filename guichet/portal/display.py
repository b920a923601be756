"""Display rows for the hot pages: every amount and day formatted in Python with one formatter per
request, so the template prints ready strings (issue 15: the contract calendar formatted each of its
few hundred amounts through a template filter that looked up the language and the profile again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from guichet.lenders.formatting import Formatter
from guichet.lenders.profile import get_profile


def request_formatter() -> Formatter:
    """The formatter of the active language and the lender's money pattern (ISO code or symbol)."""
    return Formatter(get_language(), iso_code=get_profile().money_pattern_iso)


@dataclass(frozen=True)
class CalendarLine:
    """A schedule line as the contract page shows it (strings, escaped by the template)."""

    status: str
    due_on: str
    amount: str
    interest: str
    principal: str
    insurance: str
    balance_after: str
    status_label: str
    paid: bool
    past: bool


@dataclass(frozen=True)
class CalendarTransfer:
    on: str
    amount: str


def calendar_display(calendar: list[tuple[str, Any]]) -> list[tuple[str, CalendarLine | CalendarTransfer]]:
    """``("line", row)`` / ``("transfer", item)`` pairs with their values formatted once."""
    fmt = request_formatter()
    money, day = fmt.money, fmt.day
    shown: list[tuple[str, CalendarLine | CalendarTransfer]] = []
    for kind, r in calendar:
        if kind == "transfer":
            shown.append((kind, CalendarTransfer(day(r.on), money(r.amount))))
            continue
        line = CalendarLine(
            status=r.status,
            due_on=day(r.due_on),
            amount=money(r.amount),
            interest=money(r.interest),
            principal=money(r.principal),
            insurance=money(r.insurance),
            balance_after=money(r.balance_after),
            status_label=str(r.status_label),
            paid=bool(r.paid),
            past=bool(r.past),
        )
        shown.append((kind, line))
    return shown
