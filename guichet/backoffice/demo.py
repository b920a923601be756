"""Demo data for the back office: one advisor, one supervisor and one compliance officer per lender.

Their TOTP secrets are FIXED and printed so the demo is usable: add them to an authenticator app, or
print the current code with ``manage.py staff_totp <email> --demo``. Demo customers who already hold
a contract are marked as identity-verified (documents seen at the agency), so their space is unlocked,
except one per lender (``KYC_TO_SEND``), who shows the identity-document journey.
"""

from __future__ import annotations

from typing import TextIO

from django.conf import settings
from django.utils import timezone

from guichet.customers.models import Customer, User
from guichet.onboarding.kyc_models import KycFile

from .models import StaffProfile

DEMO_STAFF_PASSWORD = "Guichet-Staff-2026!"
# base32, 160 bits each; demo only.
STAFF = (
    ("advisor", "Alice Conseil", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXA"),
    ("supervisor", "Bruno Superviseur", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXB"),
    ("compliance", "Chloé Conformité", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXC"),
)


def _email(role: str, profile) -> str:  # type: ignore[no-untyped-def]
    return f"{role}@{'credit-demo.fr' if profile.code == 'fr' else 'credit-demo.nc'}"


def seed(*, profile, stdout: TextIO | None = None) -> list[User]:  # type: ignore[no-untyped-def]
    """Create (idempotently) the demo staff and print their logins and TOTP secrets."""
    staff = []
    for role, name, secret in STAFF:
        email = _email(role, profile)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_STAFF_PASSWORD, role=role, is_staff=True, password_changed_at=timezone.now()
            )
        StaffProfile.objects.update_or_create(
            user=user,
            defaults={"display_name": name, "totp_secret": secret, "totp_confirmed_at": timezone.now()},
        )
        staff.append(user)
    _verify_contract_holders(reviewer=staff[0])
    if stdout is not None:
        stdout.write(f"Back office: {settings.GUICHET_SITE_URL}/backoffice/login/ (TOTP second factor)\n")
        for (role, _name, secret), user in zip(STAFF, staff, strict=True):
            stdout.write(f"  {role:<11} {user.email} / {DEMO_STAFF_PASSWORD}  TOTP secret {secret}\n")
        stdout.write("  current code: manage.py staff_totp <email> --demo\n")
    return staff


# One holder per demo lender still has to send their identity documents, so the KYC journey (the
# dashboard task, the upload page, the advisor's review) can be seen: Julien Durand, Henri Martin.
KYC_TO_SEND = ("FR-DEMO-002", "NC-DEMO-003")


def _verify_contract_holders(*, reviewer: User) -> None:
    holders = (
        Customer.objects.filter(participations__isnull=False)
        .exclude(kyc_files__isnull=False)
        .exclude(reference__in=KYC_TO_SEND)
        .distinct()
    )
    now = timezone.now()
    for customer in holders:
        KycFile.objects.create(
            customer=customer,
            status=KycFile.Status.APPROVED,
            submitted_at=now,
            reviewed_at=now,
            reviewed_by=reviewer,
        )
