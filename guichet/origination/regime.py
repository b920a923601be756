"""Which information regime an application or a product gets under the CCD2 law (issue 13).

The rule is ``credit.consumer_law.information_duties`` (the new L312-4-1: free credit and credit
repayable within three months with insignificant charges get a lighter information regime; every other
credit in scope gets the standard form of décret 2026-105). Here it is fed from the offer's own
schedule (for an application) or from the tariff (for a product), so that the sheet, origination and
``compliance_report`` read the same answer.

Split payments (3 x / 4 x CB, "paiement en N fois") and deferred payments are credits in scope like any
other under CCD2, whatever their amount (no 200 € floor): ``split_payment`` names them for the report.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from guichet.credit import Money, Schedule
from guichet.credit.consumer_law import InformationDuties, information_duties
from guichet.credit.dates import add_months
from guichet.signing.rules import NO_PAYMENT_DAYS

#: Products the tariff sells as split payments ("en N fois"): the split family, and the amortizable
#: 3 x CB / 4 x CB (seed 004 files them under "Crédit amortissable").
SPLIT_CODES = frozenset({"3xcb", "4xcb"})


def cost_of_credit(schedule: Schedule) -> Money:
    """The total cost of the credit in the sense of the scope rules: interest and fees, and insurance
    only when it is compulsory (it is then in the TAEG, L314-1); an optional insurance is not a cost
    of the credit."""
    cost = schedule.total_interest + schedule.fees
    return cost + schedule.total_insurance if schedule.insurance_in_taeg else cost


def application_duties(*, offered_on: date, schedule: Schedule) -> InformationDuties:
    """The information regime of an offer, from the schedule the offer itself shows."""
    drawdown_on = schedule.drawdown_on or offered_on
    return information_duties(
        offered_on=offered_on,
        amount=schedule.principal,
        total_cost=cost_of_credit(schedule),
        drawdown_on=drawdown_on,
        last_due_on=schedule.last_due_on,
    )


def product_duties(
    *, offered_on: date, amount: Money, max_term_months: int, debit_rates: list[Decimal], has_fees: bool
) -> InformationDuties:
    """The regime of a product of the tariff at its shortest-lived, cheapest form: LIGHT only if every
    tier is interest-free and the product charges no fee (a free credit); otherwise STANDARD (or, under
    the old law, excluded when short and free)."""
    free = not has_fees and all(rate == 0 for rate in debit_rates)
    drawdown_on = offered_on + timedelta(days=NO_PAYMENT_DAYS + 1)
    return information_duties(
        offered_on=offered_on,
        amount=amount,
        total_cost=Money(0 if free else 1, amount.currency),
        drawdown_on=drawdown_on,
        last_due_on=add_months(drawdown_on, max_term_months),
    )


def split_payment(*, code: str, family: str) -> bool:
    """Whether a product is a split payment plan ("en N fois", 3 x / 4 x CB)."""
    return family == "split" or code in SPLIT_CODES
