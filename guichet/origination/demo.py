"""The demo's application awaiting signature, prepared the way an advisor does it: priced from the
catalogue (no off-tariff rate: issue 9), solvency assessed on declared and evidenced figures, any
exception approved by the supervisor (four eyes), then the offer put up for signature. Both demo
lenders' customers therefore receive the new pre-contractual form in "Mes documents"."""

from __future__ import annotations

from guichet.credit import Money
from guichet.customers.models import Customer, User
from guichet.signing.models import SignatureRequest

from .assessment import DemoFicp, assess_creditworthiness
from .services import approve_exception, prepare_application, request_offer_signature


def prepare_demo_offer(
    *,
    customer: Customer,
    advisor: User,
    supervisor: User | None,
    product_code: str,
    amount: Money,
    term_months: int,
) -> SignatureRequest:
    prepared = prepare_application(
        customer=customer,
        product_code=product_code,
        amount=amount,
        term_months=term_months,
        insurance_id=None,
        by=advisor,
    )
    app = prepared.application
    cur = amount.currency
    income = 3_000_00 if cur.exponent == 2 else 360_000  # 3 000 € / 360 000 XPF a month, declared
    charges = 600_00 if cur.exponent == 2 else 72_000
    assess_creditworthiness(
        application=app,
        monthly_income=Money(income, cur),
        monthly_charges=Money(charges, cur),
        evidence=["Bulletins de salaire des trois derniers mois (démo)", "Avis d'imposition (démo)"],
        by=advisor,
        ficp=DemoFicp(),
    )
    if prepared.review.needs_approval and supervisor is not None:
        approve_exception(application=app, by=supervisor)
    return request_offer_signature(application=app, by=advisor)
