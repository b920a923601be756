"""``manage.py verify_signature <pdf>``: re-validate the lender's seal on a PDF (exit 1 if invalid)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.documents.sealing import verify_pdf


class Command(BaseCommand):
    help = "Check that a signed PDF is intact and sealed with the lender's certificate."

    def add_arguments(self, parser) -> None:
        parser.add_argument("pdf", type=Path)

    def handle(self, *args, pdf: Path, **options) -> None:
        if not pdf.is_file():
            raise CommandError(f"No such file: {pdf}")
        check = verify_pdf(pdf.read_bytes())
        self.stdout.write(f"intact: {'yes' if check.intact else 'no'}")
        self.stdout.write(f"valid: {'yes' if check.valid else 'no'}")
        self.stdout.write(f"signer: {check.signer or '-'}")
        self.stdout.write(f"signed at: {check.signed_at.isoformat() if check.signed_at else '-'}")
        self.stdout.write(f"timestamped: {'yes' if check.timestamped else 'no'}")
        self.stdout.write(check.message)
        if not check.valid:
            raise CommandError("The signature is not valid.", returncode=1)
