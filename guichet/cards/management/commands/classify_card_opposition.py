"""``manage.py classify_card_opposition REQUEST_ID --by STAFF_EMAIL``: the back office finds that an
opposition was the holder's own abusive use; the sheet's fee (seed 004: 25 €) is posted to the line once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from guichet.cards.models import CardRequest
from guichet.cards.requests import classify_opposition_abusive
from guichet.cards.services import CardOperationRefused


class Command(BaseCommand):
    help = "Classify a card opposition as the holder's abusive use (fee from the tariff, posted once)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("request_id", type=int)
        parser.add_argument("--by", required=True, help="Email of the staff member who decides.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        staff = get_user_model().objects.filter(email__iexact=options["by"], is_staff=True).first()
        if staff is None:
            raise CommandError(f"Aucun membre du personnel avec l'email {options['by']}.")
        request = CardRequest.objects.filter(pk=options["request_id"]).first()
        if request is None:
            raise CommandError(f"Demande {options['request_id']} introuvable.")
        try:
            done = classify_opposition_abusive(request=request, by=staff)
        except CardOperationRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Opposition {done.pk} classée abusive : frais {done.fee} portés au crédit renouvelable."
        )
