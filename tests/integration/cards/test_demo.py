"""Demo: Camille's Accessio line has a card with a foreign-currency operation and its notice."""

import io

import pytest
from django.conf import settings

from guichet.cards import demo as cards_demo
from guichet.cards.models import Card, FxNotice
from guichet.loans import demo as loans_demo

pytestmark = pytest.mark.django_db


def test_camilles_line_has_a_card_with_a_chf_payment_and_one_notice(django_capture_on_commit_callbacks):
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    loans_demo.seed(profile="fr", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=False):
        cards_demo.seed(profile="fr", stdout=io.StringIO())
        cards_demo.seed(profile="fr", stdout=io.StringIO())  # a second run adds nothing
    card = Card.objects.get()
    assert card.holder.first_name == "Camille"
    assert [o.authorized for o in card.operations.order_by("on")] == [True, True, True, True]
    assert card.split_plans.get().installments == 10  # the purchase at a partner in 10 payments
    assert card.operations.get(original_currency="CHF").amount_minor > 0
    assert FxNotice.objects.filter(card=card, currency="CHF").count() == 1
