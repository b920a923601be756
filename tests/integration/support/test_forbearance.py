"""Forbearance before enforcement, L312-35-1 as rewritten by ordonnance n° 2025-880: a borrower in arrears
is offered renegotiation measures and a free debt-advice referral before any enforcement step; the
borrower can ask for a measure from the space; the collections queue shows it all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from guichet.credit.dates import add_months
from guichet.support.collections import collections_queue, send_arrears_reminders
from guichet.support.forbearance import (
    ForbearanceFirst,
    answer_forbearance_request,
    request_forbearance,
    start_enforcement,
)
from guichet.support.models import ForbearanceOffer
from tests.factories import make_contract, make_customer, make_staff, make_user

pytestmark = pytest.mark.django_db

NOW = "2026-12-10 10:00:00+00:00"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _late_borrower():
    from guichet.loans.services import post_installment_due

    today = timezone.localdate()
    customer = make_customer(email="late@example.test", phone="+33612340001")
    make_user(customer)
    contract = make_contract(
        customer, amount="5000.00", term_months=24, start_on=add_months(today, -2, day=1)
    )
    for line in contract.current_schedule.lines.filter(due_on__lt=today):
        post_installment_due(contract=contract, line=line)  # due and never paid
    return customer, contract


def test_arrears_bring_a_forbearance_offer_before_any_enforcement_step(mailbox, sms_outbox, time_machine):
    customer, contract = _late_borrower()
    today = timezone.localdate()
    supervisor = make_staff(role="supervisor")
    # In arrears but nothing offered yet: enforcement is refused and nothing is written.
    with pytest.raises(ForbearanceFirst, match="L312-35-1"):
        start_enforcement(contract=contract, by=supervisor, on=today)
    assert not ForbearanceOffer.objects.exists()
    # The arrears reminder makes the offer, with every measure and the free debt-advice referral.
    assert send_arrears_reminders(on=today) == 1
    offer = ForbearanceOffer.objects.get(contract=contract)
    assert offer.status == ForbearanceOffer.Status.OFFERED
    assert (
        "longer_term" in offer.measures and "deferral" in offer.measures and "refinancing" in offer.measures
    )
    mail = mailbox.text(mailbox.last_to(customer.email))
    assert "L312-35-1" in mail and "allongement de la durée" in mail and "report" in mail
    assert "Points conseil budget" in mail and "gratuit" in mail
    [row] = collections_queue(on=today)
    assert row.forbearance == offer
    # Right after the offer: still refused (reasonable delay).
    with pytest.raises(ForbearanceFirst, match="Délai raisonnable"):
        start_enforcement(contract=contract, by=supervisor, on=today)
    # Thirty days later the first enforcement step can be recorded, after the offer.
    later = today + dt.timedelta(days=30)
    time_machine.move_to(dt.datetime.combine(later, dt.time(10), tzinfo=dt.UTC), tick=False)
    started = start_enforcement(contract=contract, by=supervisor, on=later)
    assert started.status == ForbearanceOffer.Status.ENFORCEMENT
    assert started.offered_at < started.enforcement_started_at


def test_a_borrowers_request_from_the_space_holds_enforcement_until_answered(client, mailbox, sms_outbox):
    customer, contract = _late_borrower()
    today = timezone.localdate()
    send_arrears_reminders(on=today)
    client.force_login(customer.user)
    page = client.get("/espace/difficultes/").content.decode()
    assert "L312-35-1" in page and "Points conseil budget" in page and " checked" not in page
    r = client.post(
        "/espace/difficultes/", {"contract": contract.number, "measure": "deferral", "note": "chômage"}
    )
    assert "est enregistrée" in r.content.decode()
    offer = ForbearanceOffer.objects.get(contract=contract)
    assert offer.status == ForbearanceOffer.Status.REQUESTED and offer.requested_measure == "deferral"
    supervisor = make_staff(role="supervisor")
    with pytest.raises(ForbearanceFirst, match="répondez"):
        start_enforcement(contract=contract, by=supervisor, on=today + dt.timedelta(days=45))
    answer_forbearance_request(offer=offer, by=supervisor, answer="Report de 3 échéances accordé.")
    assert ForbearanceOffer.objects.get(pk=offer.pk).status == ForbearanceOffer.Status.ANSWERED


def test_a_customer_cannot_ask_for_a_measure_on_someone_elses_contract():
    from guichet.support.forbearance import ForbearanceError

    _, contract = _late_borrower()
    other = make_customer(email="other@example.test")
    with pytest.raises(ForbearanceError):
        request_forbearance(customer=other, contract_number=contract.number, measure="deferral")
    assert not ForbearanceOffer.objects.exists()


def test_the_collections_queue_shows_the_offer_and_refuses_enforcement_before_it(client, mailbox):
    from tests.integration.backoffice.helpers import staff_session

    _, contract = _late_borrower()
    supervisor = make_staff(role="supervisor")
    staff_session(client, supervisor)
    page = client.get("/backoffice/collections/").content.decode()
    assert "L312-35-1" in page and "aucune procédure possible" in page
    r = client.post(f"/backoffice/collections/{contract.number}/enforce/", follow=True)
    assert "Aucune mesure de renégociation" in r.content.decode()
    send_arrears_reminders(on=timezone.localdate())
    page = client.get("/backoffice/collections/").content.decode()
    assert "proposées" in page
