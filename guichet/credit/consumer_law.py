"""The consumer-credit law in force since 20 November 2026 (CCD2), as pure rules: which regime applies,
the scope bounds, the advertising warning and the withdrawal period.

Sources (read with the project's ``search`` tool; see ``docs/credit.md`` §CCD2 for the excerpts and the
points where sources disagree):

- Directive (EU) 2023/2225 transposed by ordonnance n° 2025-880 du 3 septembre 2025 (corrected by
  ordonnance n° 2025-1154 du 2 décembre 2025) and décret n° 2026-105 du 19 février 2026; in force on
  20 November 2026. Ordonnance 2025-880 art. 99 II: credit contracts running on 20 November 2026 stay
  under the old law, except open-ended ones (revolving credit) for early repayment and renegotiation.
- Scope, L312-4 3° as amended by ordonnance 2025-880 art. 5: the words "inférieur à 200 euros ou" are
  deleted and "75 000 euros" becomes "100 000 euros" — no floor any more, a ceiling of 100 000 €.
- Advertising, L312-5 (new wording): every advertisement carries « Attention ! Un crédit coûte de
  l'argent et doit être remboursé. », replacing the 2010 sentence (« Un crédit vous engage… »).
- Withdrawal, L312-19 (new wording): fourteen calendar days from the conclusion of the contract or, if
  later, from the day the borrower receives the contractual information; at most twelve months and
  fourteen days after the conclusion when the information never arrives.

This module imports no Django: the web layers, the PDFs, the emails and the batches all read the same
constants.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

from . import parity
from .dates import add_months
from .money import EUR, Money

#: Ordonnance 2025-880 art. 99: the new law applies to contracts offered from this day.
CCD2_IN_FORCE = date(2026, 11, 20)

#: L312-5 as rewritten by ordonnance 2025-880: the compulsory sentence of every credit advertisement.
ADVERTISING_WARNING = "Attention ! Un crédit coûte de l'argent et doit être remboursé."

#: L312-4 3° as amended by ordonnance 2025-880 art. 5: credits above this total are out of scope.
#: The euro figures live in ``parity`` (one place for the law's thresholds and the XPF parity).
SCOPE_CEILING = Money(int(parity.SCOPE_CEILING * 100), EUR)
#: The old L312-4 bounds (contracts concluded before 20 November 2026 only).
OLD_SCOPE_FLOOR = Money(int(parity.OLD_SCOPE_FLOOR * 100), EUR)
OLD_SCOPE_CEILING = Money(int(parity.OLD_SCOPE_CEILING * 100), EUR)

#: L312-19: fourteen calendar days ("quatorze jours calendaires révolus").
WITHDRAWAL_DAYS = 14


class Regime(enum.StrEnum):
    OLD_LAW = "old_law"
    CCD2 = "ccd2"


class OutOfScope(ValueError):
    """The amount is outside the scope of consumer credit (L312-4); the message says why."""


def regime_for(*, offered_on: date, open_ended: bool = False, duty: str = "") -> Regime:
    """The regime of a contract offered on ``offered_on`` (ordonnance 2025-880 art. 99 II).

    Contracts offered from 20 November 2026 are under CCD2. Older contracts stay under the old law,
    except open-ended ones (revolving credit) for the duties the ordonnance extends to them:
    ``duty`` "early_repayment" (L312-34) or "renegotiation" (L312-35-1).
    """
    if offered_on >= CCD2_IN_FORCE:
        return Regime.CCD2
    if open_ended and duty in {"early_repayment", "renegotiation"}:
        return Regime.CCD2
    return Regime.OLD_LAW


def scope_bounds(*, on: date, consolidation: bool = False) -> tuple[Money, Money | None]:
    """The legal (floor, ceiling) in euros of a consumer credit offered on ``on`` (L312-4 3°).

    Since 20 November 2026 there is no floor (``Money(0)``) and the ceiling is 100 000 €; before,
    200 € and 75 000 €. A consolidation (regroupement de crédits, L314-10 ff.) is excepted from the
    ceiling by L312-4 3° itself in both wordings (``None``: no legal ceiling).
    """
    if on >= CCD2_IN_FORCE:
        floor, ceiling = Money(0, EUR), SCOPE_CEILING
    else:
        floor, ceiling = OLD_SCOPE_FLOOR, OLD_SCOPE_CEILING
    return floor, (None if consolidation else ceiling)


def check_scope(amount: Money, *, regime: Regime = Regime.CCD2) -> None:
    """Refuse an amount outside consumer credit (L312-4 3°): > 100 000 € under CCD2, no floor.

    Under the old law the bounds were 200 € and 75 000 € (old L312-4 3°), kept for running contracts.
    """
    if amount.minor <= 0:
        raise OutOfScope("Le montant du crédit doit être positif.")
    try:
        value = parity.euro_value(amount)  # exact: an XPF amount falls on its euro value's side
    except parity.NoParity as exc:
        raise OutOfScope(str(exc)) from None
    ceiling = parity.SCOPE_CEILING if regime is Regime.CCD2 else parity.OLD_SCOPE_CEILING
    if value > ceiling:
        raise OutOfScope(
            f"Un crédit de plus de {int(ceiling):,} € sort du crédit à la consommation "
            "(article L312-4 du Code de la consommation).".replace(",", " ")
        )
    if regime is Regime.OLD_LAW and value < parity.OLD_SCOPE_FLOOR:
        raise OutOfScope("Sous l'ancien droit, un crédit de moins de 200 € sort du champ (ancien L312-4).")


def withdrawal_deadline(*, concluded_on: date, information_received_on: date | None) -> date:
    """The last day (inclusive) on which the borrower may withdraw (L312-19, CCD2 wording).

    L312-19 II (LEGIARTI000052190660): the fourteen calendar days run from the acceptance of the offer
    (1°) or, if later, from the day the borrower receives the contractual conditions and the L312-28
    information (2°); the starting day is not counted. L312-19 III: if the information was never
    received, the period ends twelve months and fourteen days after the conclusion (``None`` here).
    (III al. 2 — no end when the borrower was never told of the right — cannot arise: the offer the
    borrower signs states it.)
    """
    if information_received_on is None:
        return add_months(concluded_on, 12) + timedelta(days=WITHDRAWAL_DAYS)
    start = max(concluded_on, information_received_on)
    return start + timedelta(days=WITHDRAWAL_DAYS)
