"""The creditworthiness assessment of an application, kept with it.

L312-16 (as rewritten by ordonnance n° 2025-880; CCD2 art. 18): before concluding, the lender makes a
thorough assessment of the borrower's creditworthiness on the basis of information on income and
expenses obtained from the borrower and checked on documents; it may consult the national file of
credit repayment incidents (FICP, Banque de France) — the reform allows it even for small credits;
when the assessment involves automated processing, the borrower may ask for human intervention, an
explanation and to contest the decision (CCD2 art. 18(8); ddg.fr summary). The exact French wording of
L312-16 was not retrieved with the search tool (docs/credit.md).

The automated rule is deliberately simple and stated: a debt ratio (existing charges + the offer's
installment, over income) above ``MAX_DEBT_RATIO`` or a FICP registration gives an unfavourable
outcome; anything else is favourable. Every automated outcome says so and can be reviewed by a
supervisor (``request_human_review`` then ``review_assessment``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit import trail
from guichet.credit import Money
from guichet.customers.models import Customer, User
from guichet.signing.models import Application
from guichet.signing.paperwork import offer_schedule

from .exceptions import AssessmentRefused
from .models import CreditAssessment

#: The lender's policy, not a legal figure: charges + installment ≤ 35 % of income.
MAX_DEBT_RATIO = Decimal("0.35")


@dataclass(frozen=True)
class FicpAnswer:
    registered: bool
    source: str


class FicpGateway(Protocol):
    """The national incidents file (FICP). The real query goes through the lender's Banque de France
    access; Guichet only defines the adapter."""

    def query(self, customer: Customer) -> FicpAnswer: ...


class DemoFicp:
    """**DEMO implementation — not the Banque de France.** Answers "registered" for customers whose
    reference ends in "-FICP" and "not registered" for everyone else, so the demo and the tests can
    show both outcomes. A lender plugs its real FICP access in its place."""

    source = "DEMO (pas la Banque de France)"

    def query(self, customer: Customer) -> FicpAnswer:
        return FicpAnswer(registered=customer.reference.upper().endswith("-FICP"), source=self.source)


def assess_creditworthiness(
    *,
    application: Application,
    monthly_income: Money,
    monthly_charges: Money,
    evidence: list[str],
    by: User,
    ficp: FicpGateway | None = None,
) -> CreditAssessment:
    """Record the assessment of ``application`` (replacing an earlier one); bad input writes nothing.

    ``evidence``: the documents the figures were checked on (e.g. "bulletin de salaire 10/2026",
    "avis d'imposition 2026"); at least one is required. ``ficp``: the FICP adapter, or ``None`` not
    to consult it (optional, L312-16).
    """
    cur = application.amount.currency
    if monthly_income.currency != cur or monthly_charges.currency != cur:
        raise AssessmentRefused(
            _("Revenus et charges doivent être dans la devise du crédit (%(c)s).") % {"c": cur.code}
        )
    if monthly_income.minor <= 0 or monthly_charges.minor < 0:
        raise AssessmentRefused(_("Indiquez des revenus positifs et des charges nulles ou positives."))
    documents = [e.strip() for e in evidence if e.strip()]
    if not documents:
        raise AssessmentRefused(
            _("Indiquez au moins un justificatif des revenus et des charges (article L312-16).")
        )
    installment = offer_schedule(application).installment
    ratio = (Decimal(monthly_charges.minor + installment.minor) / Decimal(monthly_income.minor)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )
    answer = ficp.query(application.customer) if ficp is not None else None
    favourable = ratio <= MAX_DEBT_RATIO and not (answer and answer.registered)
    analysis = _analysis(ratio, answer, favourable)
    with transaction.atomic():
        CreditAssessment.objects.filter(application=application).delete()
        done = CreditAssessment.objects.create(
            application=application,
            currency=cur.code,
            monthly_income_minor=monthly_income.minor,
            monthly_charges_minor=monthly_charges.minor,
            evidence=documents,
            ficp_consulted=answer is not None,
            ficp_registered=answer.registered if answer else None,
            ficp_source=answer.source if answer else "",
            debt_ratio=ratio,
            analysis=analysis,
            outcome=CreditAssessment.Outcome.FAVOURABLE
            if favourable
            else CreditAssessment.Outcome.UNFAVOURABLE,
            automated=True,
            assessed_by=by,
        )
        trail.record_if_staff(
            by=by,
            action="assess_creditworthiness",
            customer=application.customer,
            target=f"application:{application.pk}",
            outcome=done.outcome,
        )
    return done


def _analysis(ratio: Decimal, answer: FicpAnswer | None, favourable: bool) -> str:
    parts = [
        _("Taux d'endettement avec ce crédit : %(r)s %% (politique du prêteur : %(max)s %% au plus).")
        % {"r": f"{ratio * 100:.2f}", "max": f"{MAX_DEBT_RATIO * 100:.0f}"}
    ]
    if answer is None:
        parts.append(_("FICP non consulté."))
    else:
        parts.append(
            (
                _("Inscrit au FICP (source : %(s)s).")
                if answer.registered
                else _("Non inscrit au FICP (source : %(s)s).")
            )
            % {"s": answer.source}
        )
    parts.append(
        _("Décision automatisée : favorable.") if favourable else _("Décision automatisée : défavorable.")
    )
    parts.append(_("L'emprunteur peut demander le réexamen de cette décision par une personne."))
    return " ".join(parts)


def request_human_review(*, assessment: CreditAssessment, customer: Customer) -> CreditAssessment:
    """The borrower asks that a person re-examine an automated decision (CCD2 art. 18)."""
    if assessment.application.customer_id != customer.pk:
        raise AssessmentRefused(_("Cette demande n'est pas à votre nom."))
    if not assessment.automated:
        raise AssessmentRefused(_("Cette décision a déjà été prise par une personne."))
    CreditAssessment.objects.filter(pk=assessment.pk, human_review_requested_at__isnull=True).update(
        human_review_requested_at=timezone.now()
    )
    assessment.refresh_from_db()
    return assessment


def review_assessment(
    *, assessment: CreditAssessment, by: User, favourable: bool, note: str
) -> CreditAssessment:
    """A supervisor re-examines the automated outcome and decides, with the reason (kept)."""
    if getattr(by, "role", None) != "supervisor":
        raise AssessmentRefused(_("Seul un superviseur peut réexaminer une évaluation de solvabilité."))
    if not note.strip():
        raise AssessmentRefused(_("Motivez la décision prise après réexamen."))
    assessment.outcome = (
        CreditAssessment.Outcome.FAVOURABLE if favourable else CreditAssessment.Outcome.UNFAVOURABLE
    )
    assessment.automated, assessment.reviewed_by, assessment.reviewed_at = False, by, timezone.now()
    assessment.review_note = note.strip()
    with transaction.atomic():
        assessment.save(update_fields=["outcome", "automated", "reviewed_by", "reviewed_at", "review_note"])
        trail.record_if_staff(
            by=by,
            action="review_assessment",
            customer=assessment.application.customer,
            target=f"application:{assessment.application_id}",
            outcome=assessment.outcome,
        )
    return assessment
