"""Back office (issue 12): a supervisor classifies a holder's opposition as abusive use, which posts the
tariff's 25 € to the line once and is written in the staff audit trail; an advisor may only read."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from guichet.audit.models import StaffAction
from guichet.cards import requests as card_requests
from guichet.cards.models import Card
from guichet.credit import EUR, Money
from guichet.loans.models import JournalEntry
from guichet.loans.services.revolving import open_revolving
from tests.factories import make_customer, make_staff
from tests.integration.backoffice.helpers import staff_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def opposition(db):
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    customer = make_customer()
    line = open_revolving(product_code="accessio-confort", limit=Money.of("3000", EUR),
                          start_on=date(2026, 12, 1), customers=[customer])  # fmt: skip
    card = Card.objects.create(contract=line, holder=customer, reference="BO-1",
                               masked_number="4970 **** 7777", requested_on=date(2014, 5, 1))  # fmt: skip
    req = card_requests.preview(card=card, kind="opposition", reason="loss", on=date(2027, 1, 10))
    return card_requests.apply(req, key="bo-opp")


@time_machine.travel("2027-01-12 10:00 +0100", tick=False)
def test_a_supervisor_classifies_an_opposition_as_abusive_once(client, opposition):
    staff_session(client, make_staff(role="supervisor"))
    page = client.get(reverse("backoffice:card_oppositions")).content.decode()
    assert "4970 **** 7777" in page and "Classer comme utilisation abusive" in page
    url = reverse("backoffice:card_opposition_classify", args=[opposition.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a second click changes nothing
    fees = JournalEntry.objects.filter(contract=opposition.card.contract, kind="fee")
    assert fees.count() == 1 and fees.get().effective_on == date(2027, 1, 12)
    assert StaffAction.objects.filter(action="classify_card_opposition", allowed=True).count() == 1


@time_machine.travel("2027-01-12 10:00 +0100", tick=False)
def test_an_advisor_sees_the_oppositions_but_cannot_classify(client, opposition):
    staff_session(client, make_staff(role="advisor"))
    assert "4970 **** 7777" in client.get(reverse("backoffice:card_oppositions")).content.decode()
    url = reverse("backoffice:card_opposition_classify", args=[opposition.pk])
    assert client.post(url).status_code == 403
    assert not JournalEntry.objects.filter(contract=opposition.card.contract, kind="fee").exists()
