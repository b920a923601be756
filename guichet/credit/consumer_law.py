"""The consumer-credit law in force since 20 November 2026 (CCD2), as pure rules: which regime applies,
the scope bounds, the advertising warning, the withdrawal period and the information regime (the
lighter regime of the new L312-4-1 for free credit and short credit with insignificant charges).

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
from dataclasses import dataclass
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


# --- Information regime: the full standard form or the lighter regime of the new L312-4-1 -------------

#: Old L312-4 5° (before 20 November 2026; lexbase.fr L3331K7I): credits repayable within three months
#: "qui ne sont assorties d'aucun intérêt ni d'aucuns frais ou seulement d'intérêts et de frais d'un
#: montant négligeable" were outside consumer credit. CCD2 brings them in (art. 2; ordonnance 2025-880).
SHORT_CREDIT_MONTHS = 3

#: What "insignificant" (négligeable) charges are: neither the directive nor the summaries we could read
#: give a figure. Stricter reading (docs/credit.md §7f): no positive charge is insignificant, so only a
#: credit whose total cost is nil gets the lighter regime; everything else gets the full form.
INSIGNIFICANT_CHARGES_MINOR = 0


class InformationRegime(enum.StrEnum):
    #: Full pre-contractual information: the standard form of décret 2026-105 (L312-12; CCD2 art. 10).
    STANDARD = "standard"
    #: The lighter information regime of the new L312-4-1 (CCD2 art. 2(6)-(7) and art. 11).
    LIGHT = "light"
    #: Before 20 November 2026: outside consumer credit (old L312-4 3° or 5°).
    EXCLUDED_OLD_LAW = "excluded_old_law"


#: Duties that stay whatever the information regime (CCD2: the derogations of art. 2 only concern
#: information; Guichet applies the rest to every credit in scope): the L312-5 warning, the
#: creditworthiness assessment, explicit consent, withdrawal, early repayment, forbearance.
DUTIES_ALWAYS = (
    "mention L312-5 dans toute publicité et simulation",
    "évaluation de la solvabilité (L312-16)",
    "consentement explicite, aucune case pré-cochée",
    "rétractation 14 jours (L312-19)",
    "remboursement anticipé (L312-34)",
    "mesures de renégociation avant exécution (L312-35-1)",
)
#: The standard regime: the full standard form and the contract's information (L312-28).
DUTIES_STANDARD = (
    "fiche d'information précontractuelle normalisée (décret 2026-105)",
    "informations contractuelles (L312-28)",
)
#: The lighter regime of L312-4-1 (our reading of CCD2 art. 11, unverified against the French text): the
#: essential information (lender, type, amount, duration, cost, TAEG, total due, instalments, default
#: charges, withdrawal) on a shorter sheet. Guichet delivers the full form anyway (stricter reading).
DUTIES_LIGHT = (
    "informations précontractuelles essentielles (L312-4-1) : Guichet remet la fiche complète",
    "informations contractuelles (L312-28)",
)
#: What L312-4-1 lets the lender leave out, on our reading: the full standard form (replaced by the
#: essential information). Nothing else.
RELAXED_LIGHT = ("fiche normalisée complète (remplaçable par les informations essentielles)",)


@dataclass(frozen=True)
class InformationDuties:
    regime: InformationRegime
    #: Why, in French, with the article (printed by the compliance report and the sheet).
    reason: str
    required: tuple[str, ...]
    relaxed: tuple[str, ...] = ()

    @property
    def light(self) -> bool:
        return self.regime is InformationRegime.LIGHT

    @property
    def label(self) -> str:
        return {
            InformationRegime.STANDARD: "complet",
            InformationRegime.LIGHT: "allégé L312-4-1",
            InformationRegime.EXCLUDED_OLD_LAW: "hors champ (ancien L312-4)",
        }[self.regime]


def repaid_within(months: int, *, drawdown_on: date, last_due_on: date) -> bool:
    """Whether the last repayment falls within ``months`` equal months of the drawdown."""
    return last_due_on <= add_months(drawdown_on, months)


def information_duties(
    *,
    offered_on: date,
    amount: Money,
    total_cost: Money,
    drawdown_on: date,
    last_due_on: date,
) -> InformationDuties:
    """Which information regime a credit gets, and what it owes the borrower.

    Sources (docs/credit.md §7f): the new L312-4-1 (ordonnance n° 2025-880; its creation is reported by
    philippe-gonet-avocat-mti.fr, 26/11/2025: « Création d'un article L. 312-4-1 qui allège certaines
    obligations d'information ») transposes CCD2 art. 2(6)-(7) and art. 11 (« Pre-contractual
    information with regard to credit agreements referred to in Article 2(6) or (7) », EUR-Lex
    32023L2225). The credits that the old L312-4 5° excluded — interest- and fee-free credit and credit
    repayable within three months with only insignificant charges — are now in scope (defenseconso.fr,
    consultation.avocat.fr); *the French text of L312-4-1 itself was not retrieved*, so:

    - **free credit** (total cost nil: no interest, no fee, no compulsory insurance) → LIGHT;
    - **repayable within three months with insignificant charges** → LIGHT; no figure defines
      "insignificant", and we count no positive charge as insignificant (``INSIGNIFICANT_CHARGES_MINOR``,
      the stricter reading), so a 3 x CB at 19,34 % gets the full form;
    - everything else in scope → STANDARD.

    Before 20 November 2026, the same credits were outside the chapter (old L312-4 5°), as were credits
    under 200 € or above 75 000 € (old 3°): EXCLUDED_OLD_LAW. Split payments (3 x / 4 x CB, "en N fois")
    and deferred payments offered by a lender (a third party) are credits like any other: only a
    supplier's own fee-free deferral without a third party is excluded (CCD2 art. 2(2)(h); ordonnance
    2025-1154 art. 1), which a lender never is.
    """
    free = total_cost.minor == 0
    short = repaid_within(SHORT_CREDIT_MONTHS, drawdown_on=drawdown_on, last_due_on=last_due_on)
    insignificant = total_cost.minor <= INSIGNIFICANT_CHARGES_MINOR
    if regime_for(offered_on=offered_on) is Regime.OLD_LAW:
        try:
            check_scope(amount, regime=Regime.OLD_LAW)
        except OutOfScope as exc:
            return InformationDuties(InformationRegime.EXCLUDED_OLD_LAW, str(exc), ())
        if short and insignificant:
            return InformationDuties(
                InformationRegime.EXCLUDED_OLD_LAW,
                "Remboursable en trois mois au plus sans intérêts ni frais : hors champ (ancien L312-4 5°).",
                (),
            )
        return InformationDuties(
            InformationRegime.STANDARD, "Ancien droit : informations complètes (L312-12).", DUTIES_STANDARD
        )
    if free:
        reason = "Crédit gratuit (sans intérêts ni frais) : régime d'information allégé (L312-4-1)."
    elif short and insignificant:
        reason = "Remboursable en trois mois au plus, frais négligeables : régime allégé (L312-4-1)."
    else:
        why = "coût du crédit non négligeable" if short else "remboursable en plus de trois mois"
        return InformationDuties(
            InformationRegime.STANDARD,
            f"Dans le champ (CCD2), {why} : fiche normalisée complète (décret 2026-105).",
            DUTIES_ALWAYS + DUTIES_STANDARD,
        )
    return InformationDuties(InformationRegime.LIGHT, reason, DUTIES_ALWAYS + DUTIES_LIGHT, RELAXED_LIGHT)
