"""``manage.py load_tariff <path> [--dry-run]``: validate, report on and load a tariff file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guichet.catalogue.consistency_text import render_report
from guichet.catalogue.exceptions import TariffFileError
from guichet.catalogue.services import load_tariff


class Command(BaseCommand):
    help = (
        "Valide un fichier de tarif (TOML), affiche le rapport de cohérence (TAEG recalculés, usure) "
        "et le charge en une transaction. --dry-run : valide et rapporte sans rien écrire."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Fichier de tarif, ex. data/tariffs/2022-01-01.toml")
        parser.add_argument("--dry-run", action="store_true", help="Valider et rapporter sans charger.")
        parser.add_argument(
            "--no-report", action="store_true", help="Ne pas afficher le rapport de cohérence."
        )

    def handle(self, *args: object, path: Path, dry_run: bool, no_report: bool, **options: object) -> None:
        try:
            outcome = load_tariff(path=path, dry_run=dry_run)
        except TariffFileError as exc:
            raise CommandError(f"{path} refusé, rien n'a été chargé. {exc}") from None
        if not no_report:
            self.stdout.write(render_report(outcome.report))
        data = outcome.data
        when = f"{data.effective_on:%d/%m/%Y}"
        if outcome.status == "already_loaded":
            self.stdout.write(
                f"Tarif du {when} déjà chargé (même empreinte {data.checksum[:12]}…) : rien à faire."
            )
        elif outcome.status == "dry_run":
            self.stdout.write(
                f"Vérification seule : tarif du {when} valide ({len(data.products)} produits), non chargé."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Tarif du {when} chargé : {len(data.products)} produits ({path.name}).")
            )
