"""Demo data of the onboarding app: invite the demo customers who have no account yet (New Caledonian
profile; on the French profile they use self-registration) and say where the mail is."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from guichet.customers.models import Customer

from .invitations import invite_customer
from .models import Invitation


def seed(*, profile: Any, stdout: Any) -> None:
    if getattr(profile, "self_registration", profile != "nc"):
        stdout.write(
            "onboarding: self-registration profile; customers without an account register at /inscription/."
        )
        return
    for customer in Customer.objects.filter(user=None).order_by("reference"):
        if Invitation.objects.filter(customer=customer, accepted_at=None, revoked_at=None).exists():
            continue
        invitation = invite_customer(customer=customer)
        stdout.write(f"onboarding: invited {customer.full_name} <{customer.email}>")
        stdout.write(f"  link: {invitation.link}")
        stdout.write(f"  code: {invitation.code}")
    where = getattr(settings, "EMAIL_FILE_PATH", "") or settings.EMAIL_BACKEND
    stdout.write(f"onboarding: invitation emails are in {where}; SMS in {settings.GUICHET_SMS_OUTBOX}.")
