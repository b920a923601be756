"""Simulations: new credit, early-repayment impact and consolidation, for the pages and the JSON API.

One function per simulation; the portal view and the API endpoint both call it, so the page and
the API can never disagree. Terms come from the catalogue (``product_terms``: ranges, tiered
rate, insurance grid), figures from ``guichet.credit.simulate``, the usury check from
``guichet.credit.usury``. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from guichet.catalogue.exceptions import CatalogueError
from guichet.catalogue.parity import bound_minor
from guichet.catalogue.selectors import product_on, product_terms, products_on, revolving_tiers
from guichet.credit import Money
from guichet.credit import currency as currency_of
from guichet.credit.dates import add_months
from guichet.credit.rates import round_taeg
from guichet.credit.revolving import SPEED_MONTHS, revolving_taeg, tier_for
from guichet.credit.revolving_simulation import simulate_revolving
from guichet.credit.schedule import Insurance, InsuranceMonthlyOnBorrowed, InsuranceOnBorrowed
from guichet.credit.simulate import ExternalDebt, simulate_consolidation, simulate_new_credit
from guichet.credit.usury import check_usury
from guichet.errors import GuichetError
from guichet.lenders.formatting import Formatter
from guichet.loans.models import Contract
from guichet.loans.revolving_line import INTEREST_CONVENTION, line_state, projected_statements
from guichet.loans.selectors import contract_for
from guichet.loans.services.revolving_changes import payoff_amount

from .chart import capital_interest_svg, monthly_capital_interest_svg
from .wording import consolidation_sentence, representative_example, revolving_example, usury_message

CONSOLIDATION_PRODUCT = "rachat"


class SimulationRefused(GuichetError, ValueError):
    """The simulation cannot be computed with this input; the message says what to change."""

    code = "refused"


class ContractNotFound(SimulationRefused):
    """A contract number to buy back is not one of the customer's (or does not exist)."""

    code = "not_found"
    status = 404


@dataclass(frozen=True)
class CreditResult:
    product_code: str
    product_name: str
    amount: Money
    term_months: int
    debit_rate: Decimal
    taeg: Decimal
    installment: Money
    insurance_monthly: Money
    insurance_total: Money
    total_cost: Money
    total_due: Money
    representative_example: str
    usury_ok: bool
    usury_message: str
    chart_svg: str
    first_due_on: date
    last_due_on: date


@dataclass(frozen=True)
class ConsolidationResult:
    amount: Money
    term_months: int
    debit_rate: Decimal
    taeg: Decimal
    old_monthly: Money
    new_monthly: Money
    monthly_saving: Money
    old_total: Money
    new_total: Money
    extra_cost: Money
    costs_more: bool
    sentence: str
    chart_svg: str
    debts: list[ExternalDebt] = field(default_factory=list)


def _terms(product_code: str, amount: Money, term_months: int, on: date):
    try:
        terms = product_terms(product_code=product_code, amount=amount, term_months=term_months, on=on)
    except CatalogueError as exc:
        raise SimulationRefused(str(exc)) from None
    if terms.product.kind != "amortizable":
        raise SimulationRefused(
            _("« %(name)s » ne se simule pas comme un prêt amortissable.") % {"name": terms.product.name}
        )
    return terms


def _insurance(terms, option_id: int | None) -> Insurance | None:
    if not option_id:
        return None
    option = next((o for o in terms.insurance_options if o.pk == option_id), None)
    if option is None:
        raise SimulationRefused(_("Cette assurance n'est pas proposée pour ce produit."))
    if option.kind == "monthly_on_borrowed":
        return InsuranceMonthlyOnBorrowed(option.rate)
    if option.kind == "on_borrowed":
        return InsuranceOnBorrowed(option.rate)
    raise SimulationRefused(_("Cette assurance ne s'applique pas à un prêt amortissable."))


def _first_due(on: date, terms) -> date:
    days = terms.product.first_installment_days or 30
    return add_months(on, 1) if days == 30 else date.fromordinal(on.toordinal() + days)


def simulate_credit(
    *, product_code: str, amount: Money, term_months: int, on: date, insurance_option: int | None = None
) -> CreditResult:
    """A new amortizable credit: installment, rates, costs, representative example, usury check, chart."""
    if amount.minor <= 0:
        raise SimulationRefused(_("Indiquez un montant positif."))
    terms = _terms(product_code, amount, term_months, on)
    sim = simulate_new_credit(
        principal=amount,
        debit_rate=terms.debit_rate,
        term_months=term_months,
        first_due_on=_first_due(on, terms),
        drawdown_on=on,
        insurance=_insurance(terms, insurance_option),
        max_taeg=terms.max_taeg,
    )
    usury = check_usury(taeg=sim.taeg, amount=amount, on=on)
    s = sim.schedule
    return CreditResult(
        product_code,
        terms.product.name,
        amount,
        term_months,
        terms.debit_rate,
        sim.taeg,
        sim.installment,
        sim.insurance_monthly,
        sim.insurance_total,
        sim.total_cost,
        sim.total_due,
        representative_example(sim),
        usury.ok,
        usury_message(usury, sim.taeg),
        capital_interest_svg(s),
        s.first_due_on,
        s.last_due_on,
    )


@dataclass(frozen=True)
class RevolvingResult:
    """A revolving product simulated: the same fields as ``CreditResult`` (the page and the API show
    both the same way) plus what only a revolving credit has."""

    product_code: str
    product_name: str
    amount: Money  # the amount used, drawn in full on the day
    term_months: int  # months the D312-27 minimum takes to clear it
    debit_rate: Decimal  # the tier of the amount used
    taeg: Decimal  # the contract's disclosed TAEG (daily convention)
    installment: Money  # the first monthly payment, insurance excluded
    insurance_monthly: Money
    insurance_total: Money
    total_cost: Money
    total_due: Money
    representative_example: str
    usury_ok: bool
    usury_message: str
    chart_svg: str
    first_due_on: date
    last_due_on: date
    last_installment: Money
    insurance_rate: Decimal | None
    speed: str
    revolving: bool = True


def simulate_revolving_credit(
    *, product_code: str, amount: Money, on: date, insurance_option: int | None = None
) -> RevolvingResult:
    """A revolving product of the catalogue: ``amount`` used in full today, repaid by the minimum of
    D312-27 at the product's speed, with the optional insurance at the sheet's rate on the monthly
    amount owed (rounded up to the décime). Usury is judged on the amount used (its tier)."""
    if amount.minor <= 0:
        raise SimulationRefused(_("Indiquez un montant positif."))
    try:
        terms = product_terms(product_code=product_code, amount=amount, term_months=None, on=on)
        tiers = revolving_tiers(product_code, on, in_currency=amount.currency)
    except CatalogueError as exc:
        raise SimulationRefused(str(exc)) from None
    product = terms.product
    rate = None
    if insurance_option:
        option = next((o for o in terms.insurance_options if o.pk == insurance_option), None)
        if option is None or option.kind != "on_outstanding_monthly":
            raise SimulationRefused(_("Cette assurance n'est pas proposée pour ce produit."))
        rate = Decimal(option.rate).normalize()
    speed = (product.speed or "").lower()
    sim = simulate_revolving(used=amount, tiers=tiers, on=on, speed_months=SPEED_MONTHS.get(speed),
                             insurance_rate=rate, convention=INTEREST_CONVENTION)  # fmt: skip
    used_rate = tier_for(amount, tiers).debit_rate
    used_taeg = round_taeg(
        revolving_taeg(debit_rate=used_rate, credit_limit=amount, interest=INTEREST_CONVENTION, drawn_on=on)
    )
    usury = check_usury(taeg=used_taeg, amount=amount, on=on)
    months = [(st.capital_repaid.minor, st.interest.minor) for st in sim.statements]
    return RevolvingResult(
        product_code,
        product.name,
        amount,
        sim.months,
        sim.debit_rate,
        sim.taeg,
        sim.installment,
        sim.insurance_monthly,
        sim.total_insurance,
        sim.total_cost,
        sim.total_due,
        revolving_example(sim),
        usury.ok,
        usury_message(usury, used_taeg),
        monthly_capital_interest_svg(months, amount.currency),
        sim.first_due_on,
        sim.last_due_on,
        sim.last_installment,
        rate,
        speed,
    )


def simulate_product(
    *,
    product_code: str,
    amount: Money,
    term_months: int | None,
    on: date,
    insurance_option: int | None = None,
) -> CreditResult | RevolvingResult:
    """The page's and the API's one entry: a revolving product is simulated as one (``term_months`` is
    then ignored: the minimum repayment sets the duration), any other as an amortizable credit."""
    try:
        kind = product_on(product_code, on).kind
    except CatalogueError as exc:
        raise SimulationRefused(str(exc)) from None
    if kind == "revolving":
        return simulate_revolving_credit(
            product_code=product_code, amount=amount, on=on, insurance_option=insurance_option
        )
    if not term_months:
        raise SimulationRefused(_("Indiquez la durée en mois."))
    return simulate_credit(
        product_code=product_code,
        amount=amount,
        term_months=term_months,
        on=on,
        insurance_option=insurance_option,
    )


def simulate_buyback(
    *,
    debts: list[ExternalDebt],
    term_months: int,
    on: date,
    extra_cash: Money | None = None,
    insurance_option: int | None = None,
) -> ConsolidationResult:
    """A "Rachat" offer for ``debts`` (own contracts and external credits) plus optional extra cash."""
    if not debts:
        raise SimulationRefused(_("Sélectionnez au moins un crédit à regrouper."))
    for d in debts:
        if d.outstanding.minor <= 0 or d.installment.minor <= 0 or d.remaining_months <= 0:
            raise SimulationRefused(
                _("Chaque crédit doit avoir un capital restant dû, une mensualité et une durée positifs.")
            )
    cur = debts[0].outstanding.currency
    amount = sum((d.outstanding for d in debts), Money(0, cur)) + (extra_cash or Money(0, cur))
    terms = _terms(CONSOLIDATION_PRODUCT, amount, term_months, on)
    try:
        sim = simulate_consolidation(
            debts=debts,
            principal=amount,
            debit_rate=terms.debit_rate,
            term_months=term_months,
            first_due_on=_first_due(on, terms),
            drawdown_on=on,
            insurance=_insurance(terms, insurance_option),
        )
    except ValueError as exc:
        raise SimulationRefused(str(exc)) from None
    return ConsolidationResult(
        amount,
        term_months,
        terms.debit_rate,
        sim.taeg,
        sim.old_monthly,
        sim.new_monthly,
        sim.monthly_saving,
        sim.old_total,
        sim.new_total,
        sim.extra_cost,
        sim.costs_more,
        consolidation_sentence(sim),
        capital_interest_svg(sim.schedule),
        debts,
    )


@dataclass(frozen=True)
class ProductLimits:
    """What a simulation page announces for a product, in the lender's currency."""

    name: str
    min_term_months: int | None
    max_term_months: int | None
    max_amount: Money | None


def consolidation_limits(*, on: date, currency) -> ProductLimits | None:
    """Terms and ceiling of the consolidation product in ``currency`` (the tariff's euro bounds are
    converted at the legal parity, so the New Caledonian page announces francs CFP, not euros)."""
    found = [p for p in products_on(on=on) if p.code == CONSOLIDATION_PRODUCT]
    if not found:
        return None
    return _limits(found[0], currency)


def insurance_choices(*, products, on: date) -> list[tuple[str, list[tuple[int, str]]]]:
    """For each product, the insurance options open on ``on`` that a simulation can choose from, as
    (id, label): cover, age band and rate, one borrower insured (an instalment loan's options are
    priced on the amount borrowed; a revolving product's on the monthly amount owed)."""
    choices = []
    for product in products:
        options = []
        for o in product.insurance_options.all():
            if o.heads not in (None, 1) or not o.open_on(on):
                continue
            if o.kind == "on_outstanding_monthly" and product.kind == "revolving":
                per = _("par mois des sommes restant dues, arrondi au décime supérieur")
            elif o.kind in ("monthly_on_borrowed", "on_borrowed") and product.kind != "revolving":
                per = _("par mois") if o.kind == "monthly_on_borrowed" else _("du montant emprunté")
            else:
                continue
            parts = [o.cover, o.age_band, f"{Formatter.current().rate(o.rate)} {per}"]
            options.append((o.pk, " — ".join(p for p in parts if p)))
        if options:
            choices.append((product.name, options))
    return choices


def _limits(product, cur) -> ProductLimits:
    high = bound_minor(product.max_amount_minor, currency_of(product.currency), cur, upper=True)
    return ProductLimits(
        product.name,
        product.min_term_months,
        product.max_term_months,
        None if high is None else Money(high, cur),
    )


def revolving_line_debt(contract, on: date) -> ExternalDebt | None:  # type: ignore[no-untyped-def]
    """A revolving line as a debt to buy back (issue 12): what paying it off would take today (due and
    unpaid, the amount used, the interest accrued; no indemnity), the next minimum payment, and the
    projected statements if nothing more is drawn (their number and what they add up to: the
    minimum payments vary, so the total is theirs, not next payment × months). None when nothing is
    used."""
    state = line_state(contract)
    coming = projected_statements(state, on)
    if state.used.is_zero() or not coming:
        return None
    paid = sum(st.total_due_minor for st in coming)
    return ExternalDebt(payoff_amount(contract, on), contract.money(coming[0].total_due_minor), len(coming),
                        total_left=contract.money(paid))  # fmt: skip


def revolving_external_debt(*, used: Money, product_code: str, on: date) -> ExternalDebt:
    """A revolving line the visitor describes by its amount used (not signed in): priced as the
    lender's ``product_code`` would repay it at the minimum (``simulate_revolving_credit``)."""
    r = simulate_revolving_credit(product_code=product_code, amount=used, on=on)
    return ExternalDebt(used, r.installment, r.term_months, total_left=r.total_due)


def own_debts(*, customer, numbers: list[str], on: date) -> list[ExternalDebt]:
    """The customer's contracts as debts to buy back: payoff amount, current installment, months left.

    Shared by the consolidation page and the API; ``ContractNotFound`` for a number that is not theirs,
    ``EarlyRepaymentRefused`` (from the payoff quote) when a contract cannot be paid off on ``on``.
    """
    from . import selectors
    from .services import quote_early_repayment

    debts = []
    for number in numbers:
        try:
            contract = contract_for(customer, number)
        except Contract.DoesNotExist:
            raise ContractNotFound(_("Contrat %(number)s introuvable.") % {"number": number}) from None
        if contract.kind == Contract.Kind.REVOLVING:
            line = revolving_line_debt(contract, on)
            if line is not None:
                debts.append(line)
            continue
        quote = quote_early_repayment(contract=contract, on=on)
        left = [ln for ln in selectors.schedule_lines(contract) if ln.due_on > on]
        if left:
            debts.append(ExternalDebt(quote.total, contract.money(left[0].total_due_minor), len(left)))
    return debts
