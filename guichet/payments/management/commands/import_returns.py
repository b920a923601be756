"""``manage.py import_returns <file>``: mark rejected debits (R-codes), reverse them; replay-safe."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.payments.returns import ReturnFileInvalid
from guichet.payments.services import import_returns


class Command(BaseCommand):
    help = "Import a bank return file (pain.002-like XML or CSV end_to_end_id;reason_code;returned_on)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            result = import_returns(data=path.read_bytes())
        except ReturnFileInvalid as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{result.rejected} debits rejected, {result.already} already imported.")
        )
