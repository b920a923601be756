"""Demo data for support: a complaint awaiting acknowledgement and a message thread for a demo customer."""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from guichet.customers.models import Customer

from .models import Complaint, Message, Thread
from .services import file_complaint


def seed(*, profile, stdout: TextIO | None = None) -> None:  # type: ignore[no-untyped-def]
    """Idempotent. Staff are seeded later (back office last), so both items await an advisor."""
    holders = Customer.objects.filter(user__isnull=False, participations__isnull=False)
    customer = holders.order_by("reference").first()
    if customer is None or Complaint.objects.filter(customer=customer).exists():
        return
    # Received six days ago: the acknowledgement falls due within days, so escalation has something to show.
    complaint = file_complaint(
        customer=customer,
        subject="Frais de rejet de prélèvement contestés",
        body="Mon prélèvement a été rejeté alors que mon compte était approvisionné. Je conteste les frais.",
        contract=customer.participations.first().contract,
        now=timezone.now() - timedelta(days=6),
    )
    thread = Thread.objects.create(customer=customer, subject="Changement de coordonnées bancaires")
    Message.objects.create(
        thread=thread,
        author=customer.user,
        from_customer=True,
        body="Bonjour, je change de banque le mois prochain. Comment transmettre mon nouveau RIB ?",
    )
    if stdout is not None:
        stdout.write(f"Support: complaint {complaint.reference} and a message thread for {customer.email}\n")
