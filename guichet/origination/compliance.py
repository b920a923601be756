"""The state of the book against the consumer-credit law, in one page (``manage.py compliance_report``).

For each product in force, each open application and each running contract: the regime that applies
(old law or CCD2, ordonnance n° 2025-880 art. 99: offer date; running open-ended contracts get the
CCD2 early-repayment and renegotiation rules) and every duty Guichet can check that is not met:

- products: within the scope of L312-4 3°; general information published (the public page lists it);
  their information regime (``regime.product_duties``: the standard form, or the lighter regime of the
  new L312-4-1 for free credit) and whether they are split payments ("fractionné": in scope under CCD2
  whatever the amount, where the old L312-4 3° and 5° left some out);
- applications: their information regime from the offer's own schedule (``regime.application_duties``);
  priced from the tariff or an approved exception (issue 9); creditworthiness assessed and favourable
  (L312-16); pre-contractual form delivered (L312-12 — Guichet delivers the full form under the lighter
  regime too; only an old-law credit outside the chapter needs none); contractual information
  delivered once signed (L312-19, CCD2);
- contracts: in arrears without the L312-35-1 forbearance offer of the episode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from guichet.catalogue.exceptions import CatalogueError
from guichet.catalogue.selectors import amount_bounds, products_on
from guichet.credit import Money
from guichet.credit.consumer_law import InformationRegime, Regime, regime_for, scope_bounds
from guichet.documents.models import Document
from guichet.lenders.profile import get_profile, lender_day
from guichet.loans.models import Contract
from guichet.signing.models import Application
from guichet.signing.paperwork import offer_schedule
from guichet.support.collections import collections_queue

from .models import ApplicationReview, CreditAssessment
from .regime import application_duties, product_duties, split_payment

OPEN_APPLICATIONS = (
    Application.Status.DRAFT,
    Application.Status.AWAITING_SIGNATURE,
    Application.Status.SIGNED,
)


@dataclass
class Line:
    what: str
    regime: str
    missing: list[str] = field(default_factory=list)
    #: The information regime ("complet", "allégé L312-4-1", "hors champ (ancien L312-4)") and, for a
    #: product, whether it is a split payment plan.
    information: str = ""


@dataclass
class Report:
    on: date
    products: list[Line]
    applications: list[Line]
    contracts: list[Line]

    @property
    def breaches(self) -> int:
        return sum(len(line.missing) for line in self.products + self.applications + self.contracts)

    def render(self) -> str:
        out = [f"Conformité crédit à la consommation — {get_profile().name} — {self.on.isoformat()}"]
        if not get_profile().debt_advice_confirmed:
            out.append(
                "Orientation vers le conseil aux personnes endettées (L312-35-1) : valeur de démonstration "
                "du profil prêteur (debt_advice), à confirmer par le prêteur."
            )
        for title, lines in (
            ("Produits", self.products),
            ("Demandes en cours", self.applications),
            ("Contrats en cours", self.contracts),
        ):
            out.append(f"\n{title} ({len(lines)})")
            for line in lines:
                status = "OK" if not line.missing else "À FAIRE : " + " ; ".join(line.missing)
                out.append(f"  {line.what:<48} {line.regime:<8} {line.information:<38} {status}")
        out.append(f"\nManquements : {self.breaches}")
        return "\n".join(out)


def _regime_label(regime: Regime) -> str:
    return "CCD2" if regime is Regime.CCD2 else "ancien"


def _products(on: date) -> list[Line]:
    lines = []
    cur = get_profile().currency
    for product in products_on(on=on):
        line = Line(f"{product.code}", _regime_label(regime_for(offered_on=on)))
        _, ceiling = scope_bounds(on=on, consolidation=product.family == "consolidation")
        _, high = amount_bounds(product, cur, on)
        if ceiling is not None and high is None:
            line.missing.append("plafond légal non appliqué (L312-4)")
        duties = product_duties(
            offered_on=on,
            amount=high or ceiling or Money(0, cur),
            max_term_months=product.max_term_months or 12,
            debit_rates=[tier.debit_rate for tier in product.tiers.all()],
            has_fees=False,  # the tariff's servicing fees are all free (seed 004)
        )
        line.information = "information " + duties.label
        if split_payment(code=product.code, family=product.family):
            line.information += " · fractionné"
        lines.append(line)
    return lines


def _applications() -> list[Line]:
    apps = list(Application.objects.filter(status__in=OPEN_APPLICATIONS).select_related("customer"))
    reviews = {r.application_id: r for r in ApplicationReview.objects.filter(application__in=apps)}
    assessments = {a.application_id: a for a in CreditAssessment.objects.filter(application__in=apps)}
    sheets = set(
        Document.objects.filter(
            customer__in={a.customer_id for a in apps}, title__contains="FIPEN"
        ).values_list("customer_id", flat=True)
    )
    lines = []
    for app in apps:
        line = Line(
            f"demande {app.pk} {app.product_code} ({app.customer.reference})",
            _regime_label(regime_for(offered_on=lender_day(app.created_at))),
        )
        offered_on = lender_day(app.created_at)
        try:
            duties = application_duties(offered_on=offered_on, schedule=offer_schedule(app))
        except CatalogueError:
            duties = None
            line.missing.append("régime d'information indéterminé (produit hors barème)")
        else:
            line.information = "information " + duties.label
        review, assessment = reviews.get(app.pk), assessments.get(app.pk)
        if review is None:
            line.missing.append("non préparée par l'origination (barème, usure)")
        elif app.debit_rate != review.catalogue_debit_rate and review.approved_at is None:
            line.missing.append("taux hors barème non approuvé")
        elif review.needs_approval:
            line.missing.append("exception à approuver")
        if assessment is None:
            line.missing.append("solvabilité non évaluée (L312-16)")
        elif assessment.outcome != CreditAssessment.Outcome.FAVOURABLE:
            line.missing.append("solvabilité défavorable")
        outside = duties is not None and duties.regime is InformationRegime.EXCLUDED_OLD_LAW
        if app.customer_id not in sheets and not outside:
            line.missing.append("fiche précontractuelle non remise (L312-12)")
        if app.status == Application.Status.SIGNED and app.information_delivered_at is None:
            line.missing.append("informations contractuelles non remises (L312-19)")
        lines.append(line)
    return lines


def _contracts(on: date) -> list[Line]:
    running = list(
        Contract.objects.filter(status__in=[Contract.Status.OPEN, Contract.Status.DELINQUENT]).order_by(
            "number"
        )
    )
    late = {row.contract.pk: row for row in collections_queue(on=on)}
    lines = []
    for contract in running:
        offered_on = lender_day(contract.signed_at) if contract.signed_at else contract.start_on
        open_ended = contract.kind == Contract.Kind.REVOLVING
        regime = regime_for(offered_on=offered_on)
        label = _regime_label(regime)
        if regime is Regime.OLD_LAW and open_ended:
            label = "ancien+"  # CCD2 early repayment and renegotiation apply to running revolving credit
        line = Line(f"contrat {contract.number} {contract.product_code}", label)
        row = late.get(contract.pk)
        if row is not None and row.forbearance is None:
            line.missing.append(f"impayé ({row.days_past_due} j) sans mesures de renégociation (L312-35-1)")
        lines.append(line)
    return lines


def compliance_report(*, on: date) -> Report:
    return Report(on=on, products=_products(on), applications=_applications(), contracts=_contracts(on))
