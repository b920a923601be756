"""Print the current TOTP code of a staff account, so the demo is usable without an authenticator app.

Refuses to run unless DEBUG is on or ``--demo`` is given: in production the secret never leaves the database.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.backoffice import totp
from guichet.backoffice.models import StaffProfile


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a staff member (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--demo", action="store_true", help="Allow outside DEBUG (demo deployments).")

    def handle(self, *args: object, **options: object) -> None:
        if not (settings.DEBUG or options["demo"]):
            raise CommandError("Demo helper: run with DEBUG on or pass --demo.")
        profile = StaffProfile.objects.filter(user__email__iexact=options["email"]).first()
        if profile is None or not profile.totp_secret:
            raise CommandError(f"No TOTP secret for {options['email']}.")
        self.stdout.write(totp.totp(profile.totp_secret))
