"""Invite a customer to open the customer space (until the back office's button exists, and for scripts)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from guichet.customers.exceptions import CodeCooldown
from guichet.customers.models import Customer
from guichet.onboarding.accounts import OnboardingError
from guichet.onboarding.invitations import invite_customer


class Command(BaseCommand):
    help = (
        "Email an invitation (link + 8-character code) to the customer with this email or customer reference."
    )

    def add_arguments(self, parser):
        parser.add_argument("who", help="customer email or reference (numéro client)")

    def handle(self, *args, **options):
        who = options["who"].strip()
        matches = list(Customer.objects.filter(Q(reference=who) | Q(email__iexact=who))[:2])
        if not matches:
            raise CommandError(f"No customer has the email or reference {who!r}.")
        if len(matches) > 1:
            raise CommandError(f"Several customers share {who!r}: use the customer reference.")
        try:
            invitation = invite_customer(customer=matches[0])
        except (OnboardingError, CodeCooldown) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Invitation sent to {matches[0].email}")
        self.stdout.write(f"  link: {invitation.link}")
        self.stdout.write(f"  code: {invitation.code}")
