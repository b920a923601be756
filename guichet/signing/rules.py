"""Legal periods that follow the acceptance (signature) of a consumer credit offer, in the lender's time zone.

- Withdrawal, Code de la consommation L312-19: the borrower may withdraw without giving a reason
  within fourteen full calendar days ("quatorze jours calendaires révolus") from the day the offer
  is accepted. The day of acceptance is not counted and the last day is counted whole, so a
  signature on day D can be withdrawn until D+14 at 23:59:59 local time. Calendar days: unlike
  distance sales (L221-19), a weekend or holiday does not extend the period.
- Funds, L312-25: during seven days from the acceptance no payment of any kind can be made by the
  lender to the borrower; the funds can be released from D+8. (The three-day reduction of L312-47
  concerns linked credit with immediate delivery at a seller's and is not offered here.)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from guichet.lenders.profile import lender_day

WITHDRAWAL_DAYS = 14
NO_PAYMENT_DAYS = 7


def withdrawal_deadline(signed_at: datetime) -> date:
    """The last day (inclusive) on which the borrower may withdraw (L312-19)."""
    return lender_day(signed_at) + timedelta(days=WITHDRAWAL_DAYS)


def withdrawal_open(signed_at: datetime, now: datetime) -> bool:
    return lender_day(now) <= withdrawal_deadline(signed_at)


def funds_release_on(signed_at: datetime) -> date:
    """The first day on which the funds may be paid out (L312-25)."""
    return lender_day(signed_at) + timedelta(days=NO_PAYMENT_DAYS + 1)
