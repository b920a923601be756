"""Signing demo data: one application awaiting signature, so the demo shows "⚠ Une tâche vous attend".

Also creates the demo seal certificate under ``var/seal/`` when none exists, since signing needs it.
``prepare_application_awaiting_signature`` is the helper tests and the lead's e2e journey reuse.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TextIO

from django.conf import settings

from guichet.credit import Money, currency
from guichet.customers.models import Customer, User
from guichet.lenders.profile import get_profile
from guichet.origination.demo import prepare_demo_offer

from .certificates import make_demo_certificates
from .models import Application, SignatureRequest
from .services import create_application, request_signature

# (customer reference, product code, amount in minor units, term) per profile. The rate is the
# catalogue's, through origination: the demo once offered 4,80 % where the tariff gives 9,37 % (issue 9).
DEMO_APPLICATION = {
    "fr": ("FR-DEMO-004", "pret-sur-mesure", 600_000, 36),
    "nc": ("NC-DEMO-002", "pret-personnel", 1_200_000, 36),
}


def ensure_seal_certificate() -> bool:
    """Create the demo seal files if missing; True when they were created."""
    cert = Path(settings.GUICHET_SEAL_CERT)
    if cert.exists():
        return False
    profile = get_profile()
    files = make_demo_certificates(
        directory=cert.parent, organisation=profile.name, country=profile.country[:2]
    )
    key = Path(settings.GUICHET_SEAL_KEY)
    if files.key != key:
        key.parent.mkdir(parents=True, exist_ok=True)
        files.key.replace(key)
    return True


def _advisor() -> User | None:
    return User.objects.filter(role=User.Role.ADVISOR, is_active=True).order_by("pk").first()


def prepare_application_awaiting_signature(
    *,
    customer: Customer,
    advisor: User,
    product_code: str = "pret-personnel",
    product_name: str = "Prêt personnel",
    amount_minor: int = 1_000_000,
    term_months: int = 24,
    debit_rate: Decimal = Decimal("0.0590"),
) -> SignatureRequest:
    """An application in the lender's currency, put up for signature (what the advisor does in two clicks)."""
    application = create_application(
        customer=customer,
        product_code=product_code,
        product_name=product_name,
        amount=Money(amount_minor, currency(get_profile().currency.code)),
        term_months=term_months,
        created_by=advisor,
        debit_rate=debit_rate,
    )
    return request_signature(application=application, requested_by=advisor)


def seed(*, profile, stdout: TextIO | None = None) -> SignatureRequest | None:  # type: ignore[no-untyped-def]
    """Idempotent: one application awaiting signature for the profile's demo customer."""
    if ensure_seal_certificate() and stdout is not None:
        stdout.write(f"signing: demo seal certificate written to {settings.GUICHET_SEAL_CERT}\n")
    code = getattr(profile, "code", str(profile))
    reference, product_code, amount, term = DEMO_APPLICATION.get(code, DEMO_APPLICATION["fr"])
    customer = Customer.objects.filter(reference=reference).first()
    if customer is None:
        return None
    existing = SignatureRequest.objects.filter(
        customer=customer, status=SignatureRequest.Status.PENDING
    ).first()
    if existing is not None or Application.objects.filter(customer=customer).exists():
        return existing
    advisor = _advisor()
    if advisor is None:
        if stdout is not None:
            stdout.write(
                "signing: no advisor yet; seed guichet.backoffice.demo before guichet.signing.demo\n"
            )
        return None

    request = prepare_demo_offer(
        customer=customer,
        advisor=advisor,
        supervisor=User.objects.filter(role=User.Role.SUPERVISOR, is_active=True).order_by("pk").first(),
        product_code=product_code,
        amount=Money(amount, currency(get_profile().currency.code)),
        term_months=term,
    )
    if stdout is not None:
        stdout.write(
            f"signing: {customer.email} has a contract awaiting signature (⚠ Une tâche vous attend)\n"
        )
    return request
