"""Legal periods that follow the acceptance (signature) of a consumer credit offer, in the lender's time zone.

- Withdrawal, Code de la consommation L312-19.
  * Offers made from 20 November 2026 (ordonnance n° 2025-880, new wording, LEGIARTI000052190660):
    fourteen calendar days from the acceptance of the offer or, if later, from the day the borrower
    receives the contractual conditions and the L312-28 information; if they are never received,
    the period ends twelve months and fourteen days after the conclusion
    (``guichet.credit.consumer_law.withdrawal_deadline``). Guichet records when it delivered the
    signed contract (which carries that information) in ``Application.information_delivered_at``.
  * Older offers (old wording): fourteen full calendar days ("quatorze jours calendaires révolus")
    from the day the offer is accepted.
  In both, the starting day is not counted and the last day is counted whole, so a period starting
  on day D ends at D+14 23:59:59 local time; a weekend or holiday does not extend it (unlike
  distance sales, L221-19).
- Funds, L312-25: during seven days from the acceptance no payment of any kind can be made by the
  lender to the borrower; the funds can be released from D+8. Stricter reading applied to CCD2
  offers: the seven days also run from the delivery of the contractual information when it comes
  later, and nothing is paid before it is delivered — the ban protects the withdrawal period, which
  now starts from that delivery. (The three-day reduction of L312-47 concerns linked credit with
  immediate delivery at a seller's and is not offered here.)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from guichet.credit import consumer_law
from guichet.credit.consumer_law import Regime
from guichet.lenders.profile import lender_day

WITHDRAWAL_DAYS = consumer_law.WITHDRAWAL_DAYS
NO_PAYMENT_DAYS = 7


def regime_of(offered_at: datetime) -> Regime:
    """Old law or CCD2 for an offer made at ``offered_at`` (ordonnance 2025-880 art. 99)."""
    return consumer_law.regime_for(offered_on=lender_day(offered_at))


def withdrawal_deadline(
    signed_at: datetime, *, offered_at: datetime | None = None, information_at: datetime | None = None
) -> date:
    """The last day (inclusive) on which the borrower may withdraw (L312-19, the offer's regime).

    ``offered_at`` (the application's creation) decides the regime; without it the old rule applies.
    Under CCD2 the period runs from the later of ``signed_at`` and ``information_at``; with
    ``information_at=None`` (not delivered yet) it is the twelve-months-and-fourteen-days long stop.
    """
    if offered_at is None or regime_of(offered_at) is Regime.OLD_LAW:
        return lender_day(signed_at) + timedelta(days=WITHDRAWAL_DAYS)
    return consumer_law.withdrawal_deadline(
        concluded_on=lender_day(signed_at),
        information_received_on=lender_day(information_at) if information_at else None,
    )


def withdrawal_open(deadline: date | None, now: datetime) -> bool:
    """Whether ``now`` is on or before the recorded ``deadline`` (a request never signed has none)."""
    return deadline is not None and lender_day(now) <= deadline


def funds_release_on(signed_at: datetime, *, information_at: datetime | None = None) -> date:
    """The first day on which the funds may be paid out (L312-25; see the module docstring).

    ``information_at``: when the contractual information was delivered (CCD2 offers); the seven days
    run from the later of the acceptance and that delivery.
    """
    start = max(signed_at, information_at) if information_at else signed_at
    return lender_day(start) + timedelta(days=NO_PAYMENT_DAYS + 1)
