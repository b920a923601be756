"""Simulation endpoints (new credit, early repayment impact, consolidation).

Amounts travel as decimal strings in the lender's currency ("10000.00"), rates as decimal
fraction strings ("0.048000"). Each endpoint calls the same service function as the portal page
(``guichet.payments.simulations`` / ``guichet.payments.services``). New-credit and consolidation
(external debts only) are public; anything touching a contract needs the customer's session.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from guichet.credit import Money
from guichet.credit.simulate import ExternalDebt
from guichet.customers.selectors import customer_for
from guichet.lenders.mentions import warning_text
from guichet.loans.models import Contract
from guichet.loans.selectors import contract_for
from guichet.payments.services import quote_early_repayment
from guichet.payments.simulations import (
    own_debts,
    revolving_external_debt,
    simulate_buyback,
    simulate_product,
)
from guichet.payments.wording import indemnity_reason

from ..common import ApiError, errors, money_in

router = Router(tags=["simulations"])

# The schema says what the services accept, so that a body valid for the schema is not refused for its
# shape (issue 11, item 9): amounts are plain decimal strings, terms and codes are bounded.
Amount = Annotated[
    str, Field(pattern=r"^[0-9]{1,15}([.,][0-9]{1,6})?$", examples=["10000.00"], description="Decimal string")
]
Months = Annotated[int, Field(ge=1, le=600)]
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]
ContractNumber = Annotated[str, Field(pattern=r"^[A-Za-z0-9-]{1,20}$")]
OptionId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class NewCreditIn(Schema):
    product_code: Code
    amount: Amount  # for a revolving product: the amount used, drawn in full today
    term_months: Months | None = None  # required for an amortizable product; a revolving one ignores it
    insurance_option: OptionId | None = None


class NewCreditOut(Schema):
    product_code: str
    product_name: str
    currency: str
    amount: str
    term_months: int
    debit_rate: str
    taeg: str
    installment: str
    insurance_monthly: str
    insurance_total: str
    total_cost: str
    total_due: str
    representative_example: str
    usury_ok: bool
    usury_message: str
    first_due_on: date
    last_due_on: date
    chart_svg: str
    credit_warning: str  # L312-5 (ordonnance 2025-880): the compulsory sentence of any credit simulation
    kind: str = "amortizable"  # or "revolving": term_months is then the months the minimum takes
    last_installment: str | None = None  # revolving: the last monthly payment (installments vary)
    insurance_rate: str | None = None  # revolving: monthly rate of the amount owed, when insured


class EarlyIn(Schema):
    contract_number: ContractNumber
    on: date
    amount: Amount | None = None


class OutcomeOut(Schema):
    new_installment: str
    new_end_on: date
    interest_saved: str


class EarlyOut(Schema):
    contract_number: str
    on: date
    kind: str
    outstanding: str
    principal: str
    interest: str
    indemnity: str
    indemnity_reason: str
    arrears: str
    falling_due: str
    total: str
    valid_until: date
    outcomes: dict[str, OutcomeOut]


class DebtIn(Schema):
    outstanding: Amount
    installment: Amount
    remaining_months: Months


class RevolvingDebtIn(Schema):
    """A revolving line described by its amount used (issue 12), repaid at the minimum of ``product_code``."""

    used: Amount
    product_code: Code = "accessio-confort"


class ConsolidationIn(Schema):
    # a revolving line of the signed-in customer counts by its number (payoff today, projected minimums)
    contract_numbers: Annotated[list[ContractNumber], Field(max_length=20)] = []
    external: Annotated[list[DebtIn], Field(max_length=20)] = []
    revolving: Annotated[list[RevolvingDebtIn], Field(max_length=5)] = []
    term_months: Months
    extra_cash: Amount | None = None
    insurance_option: OptionId | None = None


class ConsolidationOut(Schema):
    amount: str
    term_months: int
    debit_rate: str
    taeg: str
    old_monthly: str
    new_monthly: str
    monthly_saving: str
    old_total: str
    new_total: str
    extra_cost: str
    costs_more: bool
    sentence: str
    chart_svg: str


def _s(m: Money) -> str:
    return f"{m.amount:.{m.currency.exponent}f}"


def _customer(request: HttpRequest):
    try:
        return customer_for(request.user)
    except Http404:
        raise ApiError(
            401, _("Connectez-vous à votre espace client pour simuler sur vos contrats."), "sign_in_required"
        ) from None


@router.post("/new-credit", response={200: NewCreditOut, **errors()})
def new_credit(request: HttpRequest, payload: NewCreditIn):
    amount = money_in(payload.amount, "montant")
    r = simulate_product(
        product_code=payload.product_code,
        amount=amount,
        term_months=payload.term_months,
        on=timezone.localdate(),
        insurance_option=payload.insurance_option,
    )
    return Status(200, credit_out(r))


def credit_out(r) -> dict:
    return {
        "product_code": r.product_code,
        "product_name": r.product_name,
        "currency": r.amount.currency.code,
        "amount": _s(r.amount),
        "term_months": r.term_months,
        "debit_rate": str(r.debit_rate),
        "taeg": str(r.taeg),
        "installment": _s(r.installment),
        "insurance_monthly": _s(r.insurance_monthly),
        "insurance_total": _s(r.insurance_total),
        "total_cost": _s(r.total_cost),
        "total_due": _s(r.total_due),
        "representative_example": r.representative_example,
        "credit_warning": warning_text(),
        "usury_ok": r.usury_ok,
        "usury_message": r.usury_message,
        "first_due_on": r.first_due_on,
        "last_due_on": r.last_due_on,
        "chart_svg": r.chart_svg,
        **(
            {
                "kind": "revolving",
                "last_installment": _s(r.last_installment),
                "insurance_rate": None if r.insurance_rate is None else str(r.insurance_rate),
            }
            if getattr(r, "revolving", False)
            else {}
        ),
    }


@router.post("/early-repayment", response={200: EarlyOut, **errors(401, 404)})
def early_repayment(request: HttpRequest, payload: EarlyIn):
    customer = _customer(request)
    try:
        contract = contract_for(customer, payload.contract_number)
    except Contract.DoesNotExist:
        return Status(404, {"detail": _("Contrat introuvable."), "code": "not_found"})
    amount = money_in(payload.amount, "montant") if payload.amount else None
    q = quote_early_repayment(contract=contract, on=payload.on, amount=amount)
    return Status(
        200,
        {
            "contract_number": contract.number,
            "on": q.on,
            "kind": q.kind,
            "outstanding": _s(q.outstanding),
            "principal": _s(q.principal),
            "interest": _s(q.interest),
            "indemnity": _s(q.indemnity.amount),
            "indemnity_reason": indemnity_reason(q.indemnity),
            "arrears": _s(q.arrears),
            "falling_due": _s(q.falling_due),
            "total": _s(q.total),
            "valid_until": q.valid_until,
            "outcomes": {
                k: {
                    "new_installment": _s(o.new_installment),
                    "new_end_on": o.new_end_on,
                    "interest_saved": _s(o.interest_saved),
                }
                for k, o in q.outcomes.items()
            },
        },
    )


@router.post("/consolidation", response={200: ConsolidationOut, **errors(401, 404)})
def consolidation(request: HttpRequest, payload: ConsolidationIn):
    on = timezone.localdate()
    debts = (
        own_debts(customer=_customer(request), numbers=payload.contract_numbers, on=on)
        if payload.contract_numbers
        else []
    )
    debts += [
        ExternalDebt(
            money_in(d.outstanding, "capital restant dû"),
            money_in(d.installment, "mensualité"),
            d.remaining_months,
        )
        for d in payload.external
    ]
    extra = money_in(payload.extra_cash, "trésorerie") if payload.extra_cash else None
    for d in payload.revolving:
        used = money_in(d.used, "montant utilisé")
        debts.append(revolving_external_debt(used=used, product_code=d.product_code, on=on))
    r = simulate_buyback(
        debts=debts,
        term_months=payload.term_months,
        on=on,
        extra_cash=extra,
        insurance_option=payload.insurance_option,
    )
    return Status(200, consolidation_out(r))


def consolidation_out(r) -> dict:
    return {
        "amount": _s(r.amount),
        "term_months": r.term_months,
        "debit_rate": str(r.debit_rate),
        "taeg": str(r.taeg),
        "old_monthly": _s(r.old_monthly),
        "new_monthly": _s(r.new_monthly),
        "monthly_saving": _s(r.monthly_saving),
        "old_total": _s(r.old_total),
        "new_total": _s(r.new_total),
        "extra_cost": _s(r.extra_cost),
        "costs_more": r.costs_more,
        "sentence": r.sentence,
        "chart_svg": r.chart_svg,
    }
