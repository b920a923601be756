"""Simulation of a revolving credit (issue 12): an amount used, the product's speed, the optional insurance.

Assumptions (docs/credit.md §5, "Simulation of a revolving credit"):

- the amount is used in full on the simulation day ``on`` and nothing more is drawn; the limit is the
  amount used unless given (Annex I part II: the credit is drawn immediately and in full);
- a statement every month from one month after ``on``; each is exactly what the contract would charge
  (``revolving_statement``): daily interest at the tier of the balance then owed (the contract's
  convention), the D312-27 minimum (annuity on K over T = 36/60 months shortened by the speed, with the
  catch-up that clears the balance within T) and D312-28's 15 € floor;
- the optional insurance is charged on the monthly amount owed (balance + the month's interest) at the
  sheet's rate, rounded up to the décime (``monthly_insurance``); it is optional, so it stays out of
  the TAEG but enters r of D312-27 (the borrower took it) and the total cost;
- the TAEG disclosed is the one the contract would store (``open_revolving``): Annex I part II, the
  limit drawn in full on ``on`` at its tier's debit rate, interest with the contract's (daily)
  convention, rounded as shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .dates import add_months
from .money import Money
from .rates import round_taeg
from .revolving import Convention, RateTier, RevolvingStatement, revolving_statement, revolving_taeg, tier_for


@dataclass(frozen=True, slots=True)
class RevolvingSimulation:
    used: Money
    limit: Money
    statements: tuple[RevolvingStatement, ...]
    debit_rate: Decimal  # the tier of the amount used
    taeg: Decimal  # the contract's disclosed TAEG (rounded)
    insurance_rate: Decimal | None

    @property
    def months(self) -> int:
        return len(self.statements)

    @property
    def installment(self) -> Money:
        """The first monthly payment, insurance excluded (interest + capital share)."""
        first = self.statements[0]
        return first.installment - first.insurance

    @property
    def last_installment(self) -> Money:
        last = self.statements[-1]
        return last.installment - last.insurance

    @property
    def insurance_monthly(self) -> Money:
        return self.statements[0].insurance

    @property
    def total_interest(self) -> Money:
        return sum((s.interest for s in self.statements), Money(0, self.used.currency))

    @property
    def total_insurance(self) -> Money:
        return sum((s.insurance for s in self.statements), Money(0, self.used.currency))

    @property
    def total_cost(self) -> Money:
        """Interest and insurance (the sheet charges no fee to open or keep the line)."""
        return self.total_interest + self.total_insurance

    @property
    def total_due(self) -> Money:
        return self.used + self.total_cost

    @property
    def total_due_without_insurance(self) -> Money:
        return self.used + self.total_interest

    @property
    def first_due_on(self) -> date:
        return self.statements[0].period_end

    @property
    def last_due_on(self) -> date:
        return self.statements[-1].period_end


def simulate_revolving(
    *,
    used: Money,
    tiers: Sequence[RateTier],
    on: date,
    limit: Money | None = None,
    speed_months: int | None = None,
    insurance_rate: Decimal | None = None,
    convention: Convention = "daily",
) -> RevolvingSimulation:
    """The statements that clear ``used`` drawn on ``on`` if each minimum is paid (see the module)."""
    if used.minor <= 0:
        raise ValueError("Le montant utilisé doit être positif.")
    line = limit if limit is not None else used
    if used > line:
        raise ValueError("Le montant utilisé ne peut dépasser le montant du crédit.")
    statements: list[RevolvingStatement] = []
    balance, start = used, on
    while balance.minor > 0:
        if len(statements) >= 120:  # T is at most 60 months: a guard, never reached
            raise ValueError("La simulation ne rembourse pas le montant utilisé.")
        end = add_months(on, len(statements) + 1)
        st = revolving_statement(
            opening_balance=balance,
            period_start=start,
            period_end=end,
            tiers=tiers,
            limit=line,
            insurance_rate=insurance_rate,
            speed_months=speed_months,
            capital_after_last_drawdown=used,
            statements_since_drawdown=len(statements),
            convention=convention,
        )
        statements.append(st)
        balance, start = st.closing_balance, end
    # as ``open_revolving`` stores it: the limit's tier, Annex I part II, the contract's convention
    rate = tier_for(line, tiers).debit_rate
    taeg = round_taeg(revolving_taeg(debit_rate=rate, credit_limit=line, interest=convention, drawn_on=on))
    return RevolvingSimulation(used, line, tuple(statements), tier_for(used, tiers).debit_rate, taeg,
                               insurance_rate)  # fmt: skip
