"""``manage.py import_card_operations FILE``: authorize or refuse the card operations of a processor file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.cards.imports import CardFileError, import_operations
from guichet.cards.services import CardOperationRefused


class Command(BaseCommand):
    help = "Import a card-operations file (docs/cards.md): each line authorized or refused, with the reason."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("file")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            decisions = import_operations(Path(options["file"]).read_text(encoding="utf-8"))
        except (OSError, CardFileError, CardOperationRefused) as exc:
            raise CommandError(str(exc)) from exc
        for d in decisions:
            verdict = "acceptée" if d.authorized else f"refusée — {d.reason}"
            self.stdout.write(f"{d.operation.external_id} : {verdict}")
        ok = sum(d.authorized for d in decisions)
        self.stdout.write(f"{ok} opération(s) acceptée(s), {len(decisions) - ok} refusée(s).")
