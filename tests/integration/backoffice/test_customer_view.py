"""The customer 360° view counts in the lender's days, and an invitation's failure is told in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from guichet.loans.services import post_installment_due
from tests.factories import make_contract, make_customer, make_staff

from .helpers import staff_session

pytestmark = pytest.mark.django_db


def test_customer_360_counts_days_past_due_in_the_lenders_day_not_the_servers(client, settings):
    """The server runs on Paris time; in Nouméa (UTC+11) the first due date is already yesterday."""
    settings.GUICHET_LENDER = "nc"
    customer = make_customer()
    contract = make_contract(customer, start_on=date(2026, 1, 10))
    first = contract.current_schedule.lines.order_by("due_on").first()
    post_installment_due(contract=contract, line=first)  # fallen due and never paid
    first_due = first.due_on
    # 14:00 UTC on the due date: still that day in Paris (the server), the next day in Nouméa.
    at = datetime(first_due.year, first_due.month, first_due.day, 14, 0, tzinfo=UTC)
    with time_machine.travel(at, tick=False):
        staff_session(client, make_staff())
        page = client.get(reverse("backoffice:customer", args=[customer.pk])).content.decode()
    assert "1 jours (1-29)" in page


def test_invitation_refused_by_the_mail_server_says_so_and_writes_no_audit(client, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    from guichet.backoffice.models import StaffAction

    def mail_down(self, messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(EmailBackend, "send_messages", mail_down)
    customer = make_customer()
    staff_session(client, make_staff())
    response = client.post(reverse("backoffice:invite", args=[customer.pk]), follow=True)
    assert "n&#x27;a pas pu être envoyé" in response.content.decode()
    assert not StaffAction.objects.filter(action="invite_customer", customer=customer).exists()
