"""Set up the demo: migrate, then let each app that has a ``demo`` module seed its part, in order."""

from __future__ import annotations

import importlib
import importlib.util
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from guichet.lenders.profile import LenderProfile, _profile_for, get_profile

# Order matters: products first, then customers and contracts, then what hangs off them.
DEMO_MODULES = (
    "guichet.catalogue.demo",
    "guichet.loans.demo",
    "guichet.payments.demo",
    "guichet.cards.demo",
    "guichet.documents.demo",
    "guichet.onboarding.demo",
    # Staff first: the support and signing seeds need an advisor to act.
    "guichet.backoffice.demo",
    "guichet.support.demo",
    "guichet.signing.demo",
)


class DemoProfile(str):
    """The profile code (``"fr"``/``"nc"``) that also answers the LenderProfile's attributes.

    Demo modules were written in parallel, some comparing ``profile == "nc"``, others reading
    ``profile.tariff``: this value satisfies both.
    """

    def __new__(cls, lender: LenderProfile) -> DemoProfile:
        value = super().__new__(cls, lender.code)
        value.lender = lender
        return value

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["lender"], name)


class Command(BaseCommand):
    help = "Create the demo database (--reset starts from an empty SQLite file) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="delete the SQLite demo database first")
        parser.add_argument(
            "--profile", choices=("fr", "nc"), help="lender profile (default: GUICHET_LENDER)"
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        profile = options["profile"] or settings.GUICHET_LENDER
        self._use_profile(profile)
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        (Path(settings.VAR_DIR) / "mail").mkdir(exist_ok=True)
        if options["reset"]:
            self._reset()
        call_command("migrate", interactive=False, verbosity=0)
        for name in DEMO_MODULES:
            if importlib.util.find_spec(name) is None:
                continue
            module = importlib.import_module(name)
            module.seed(profile=DemoProfile(get_profile()), stdout=self.stdout)
        self._print_summary(profile, time.monotonic() - started)

    def _use_profile(self, profile: str) -> None:
        if profile != settings.GUICHET_LENDER:
            self.stderr.write(
                f"Profile {profile!r} differs from GUICHET_LENDER={settings.GUICHET_LENDER!r}: "
                f"serve with GUICHET_LENDER={profile} (make demo PROFILE={profile} does it)."
            )
            settings.GUICHET_LENDER = profile
        _profile_for.cache_clear()

    def _reset(self) -> None:
        db = settings.DATABASES["default"]
        if "sqlite" not in db["ENGINE"]:
            raise CommandError(
                "--reset only deletes an SQLite demo database; drop a PostgreSQL one yourself."
            )
        connections.close_all()
        path = Path(db["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.stdout.write(f"Deleted {path}.")

    def _print_summary(self, profile: str, seconds: float) -> None:
        from guichet.loans.demo import summary

        out = self.stdout
        out.write("")
        site = settings.GUICHET_SITE_URL
        out.write(self.style.SUCCESS(f"Demo ready ({profile}) in {seconds:.1f} s — {site}/"))
        for line in summary(profile=profile):
            out.write(line)
        out.write(f"Back office: {site}/backoffice/ (staff logins printed above, if any).")
        out.write(f"Emails are written to {Path(settings.VAR_DIR) / 'mail'}/ (one file per message).")
        out.write(f"SMS are appended to {settings.GUICHET_SMS_OUTBOX}.")
