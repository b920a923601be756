"""``manage.py make_seal_certificate``: demo lender seal key, self-signed demo CA and seal certificate.

Writes to the directory of ``settings.GUICHET_SEAL_CERT`` (``var/seal/`` by default). Production uses
a seal certificate from a trust service provider instead; never ship these demo files.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guichet.lenders.profile import get_profile
from guichet.signing.certificates import make_demo_certificates


class Command(BaseCommand):
    help = "Generate a demo seal key, CA and certificate for sealing signed PDFs (PAdES)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Replace existing files.")

    def handle(self, *args, force: bool = False, **options) -> None:
        cert = Path(settings.GUICHET_SEAL_CERT)
        key = Path(settings.GUICHET_SEAL_KEY)
        if cert.exists() and not force:
            raise CommandError(f"{cert} exists; pass --force to replace it.")
        profile = get_profile()
        files = make_demo_certificates(
            directory=cert.parent, organisation=profile.name, country=profile.country[:2]
        )
        if files.key != key:
            key.parent.mkdir(parents=True, exist_ok=True)
            files.key.replace(key)
        self.stdout.write(self.style.SUCCESS(f"Seal certificate written to {files.cert} (CA: {files.ca})."))
