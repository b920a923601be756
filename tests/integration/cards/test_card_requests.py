"""The holder's requests on her card (seed 004): PIN reissue 7 €, replacement 10 €, opposition free for
loss or theft and 25 € once the back office classifies it as the holder's abusive use. Each fee is read
from the catalogue, shown before the SMS code, posted once to the line (bearing interest) and appears on
the monthly statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from guichet.cards import requests as card_requests
from guichet.cards.models import Card, CardRequest
from guichet.cards.services import CardOperationRefused
from guichet.credit import EUR, Money
from guichet.customers.exceptions import CodeUsed
from guichet.documents.statements import statement_sheet
from guichet.loans.models import JournalEntry
from guichet.loans.revolving_line import line_state
from guichet.loans.services import run_daily_servicing
from guichet.loans.services.revolving import draw_revolving, open_revolving
from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731


@pytest.fixture
def card(db):
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    user = make_user()
    line = open_revolving(product_code="accessio-confort", limit=E("5000"), start_on=date(2026, 12, 1),
                          customers=[user.customer], debit_day=5)  # fmt: skip
    draw_revolving(contract=line, amount=E("1000"), on=date(2026, 12, 2), key="d0")
    return Card.objects.create(contract=line, holder=user.customer, reference="CARD-1",
                               masked_number="4970 **** 1234", requested_on=date(2014, 5, 1))  # fmt: skip


def _code(sms_outbox, customer) -> str:
    text = sms_outbox.last_to(customer.phone)["text"]
    return next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) >= 4)


def _fees(card) -> list[int]:
    return [
        p.amount_minor
        for e in JournalEntry.objects.filter(contract=card.contract, kind=JournalEntry.Kind.FEE).order_by(
            "pk"
        )
        for p in e.postings.all()
        if p.amount_minor > 0
    ]


def test_pin_reissue_and_replacement_post_the_sheets_fees_once_each(card, sms_outbox):
    on = date(2027, 1, 10)
    for kind, fee in ((CardRequest.Kind.PIN_REISSUE, E("7")), (CardRequest.Kind.REPLACEMENT, E("10"))):
        req = card_requests.preview(card=card, kind=kind, on=on)
        assert req.fee == fee  # shown before the code is sent
        card_requests.request_code(customer=card.holder, req=req)
        code = _code(sms_outbox, card.holder)
        assert "4970 **** 1234" in sms_outbox.last_to(card.holder.phone)["text"]
        card_requests.confirm(customer=card.holder, req=req, code=code)
        with pytest.raises(CodeUsed):  # the same code cannot post the fee twice
            card_requests.confirm(customer=card.holder, req=req, code=code)
    assert _fees(card) == [700, 1000]
    assert line_state(card.contract).used == E("1017")  # carried to the line as principal


def test_the_fee_comes_from_the_catalogue_not_the_code(card):
    from guichet.catalogue.models import CardFee

    CardFee.objects.filter(code="pin_reissue").update(amount_minor=850)
    assert card_requests.preview(card=card, kind="pin_reissue", on=date(2027, 1, 10)).fee == E("8.50")


def test_applying_the_same_request_twice_posts_one_fee(card):
    req = card_requests.preview(card=card, kind="card_replacement", on=date(2027, 1, 10))
    first = card_requests.apply(req, key="k-1")
    assert card_requests.apply(req, key="k-1") == first
    assert _fees(card) == [1000] and CardRequest.objects.count() == 1


@pytest.mark.parametrize("reason", ["loss", "theft", "third_party"])
def test_an_opposition_for_loss_or_theft_is_free_and_blocks_the_card(card, reason):
    req = card_requests.preview(card=card, kind="opposition", reason=reason, on=date(2027, 1, 10))
    assert req.fee == E("0")
    card_requests.apply(req, key="k-opp")
    card.refresh_from_db()
    assert card.status == Card.Status.OPPOSED and _fees(card) == []
    with pytest.raises(CardOperationRefused, match="déjà en opposition"):
        card_requests.preview(card=card, kind="opposition", reason=reason, on=date(2027, 1, 11))
    with pytest.raises(CardOperationRefused, match="motif"):
        card_requests.preview(card=card, kind="opposition", reason="", on=date(2027, 1, 11))


def test_the_back_office_classifies_an_opposition_as_abusive_and_25_euros_are_posted_once(card):
    opposition = card_requests.apply(
        card_requests.preview(card=card, kind="opposition", reason="loss", on=date(2027, 1, 10)), key="k-opp"
    )
    staff = make_staff()
    done = card_requests.classify_opposition_abusive(request=opposition, by=staff, on=date(2027, 1, 12))
    card_requests.classify_opposition_abusive(request=opposition, by=staff, on=date(2027, 1, 13))
    assert _fees(card) == [2500] and done.fee == E("25") and done.fee_code == "opposition_holder_misuse"
    pin = card_requests.apply(
        card_requests.preview(card=card, kind="card_replacement", on=date(2027, 1, 10)), key="k-r"
    )
    with pytest.raises(CardOperationRefused):
        card_requests.classify_opposition_abusive(request=pin, by=staff)


def test_the_statement_lists_the_card_fees_and_they_bear_interest(card):
    card_requests.apply(card_requests.preview(card=card, kind="pin_reissue", on=date(2026, 12, 10)), key="a")
    run_daily_servicing(on=date(2027, 1, 5))
    entry = JournalEntry.objects.filter(contract=card.contract, kind="installment_due").latest("effective_on")
    st = statement_sheet(entry=entry)
    assert ("Réédition du code", E("7")) in [(m.label, m.amount) for m in st.movements]
    # interest of the period is charged on the used amount including the fee (daily, 19,34 %)
    from guichet.credit.revolving import daily_interest

    rate = Decimal("0.1934")  # the tier of the amount used (≤ 3 000 €)
    expected = daily_interest(E("1000"), rate, 8) + daily_interest(E("1007"), rate, 26)
    assert abs(st.interest.minor - expected.minor) <= 1
    assert st.interest > daily_interest(E("1000"), rate, 34)  # the fee bore interest


@time_machine.travel("2027-01-05 10:00 +0100", tick=False)
def test_ma_carte_shows_the_fee_then_confirms_with_the_sms_code(card, client, sms_outbox):
    user = card.holder.user
    client.force_login(user)
    url = reverse("portal:revolving_card", args=[card.contract.number])
    page = client.get(url, {"card": card.pk, "kind": "pin_reissue"}).content.decode()
    assert "Réédition du code" in page and "7,00" in page
    assert "03 88 39 85 78" in page and "Conservez le numéro" in page  # opposition number, advice
    form = {"card": card.pk, "kind": "pin_reissue", "reason": ""}
    client.post(url, {**form, "action": "send_code"})
    done = client.post(url, {**form, "action": "confirm", "code": _code(sms_outbox, card.holder)})
    assert done.status_code == 302
    assert _fees(card) == [700]
    assert "Réédition du code" in client.get(url).content.decode()


@time_machine.travel("2027-01-12 10:00 +0100", tick=False)
def test_the_classification_command_posts_the_misuse_fee_once(card):
    from django.core.management import CommandError, call_command

    opposition = card_requests.apply(
        card_requests.preview(card=card, kind="opposition", reason="theft", on=date(2027, 1, 10)), key="k-o"
    )
    staff = make_staff()
    with pytest.raises(CommandError):
        call_command("classify_card_opposition", str(opposition.pk), "--by", "nobody@example.test")
    call_command("classify_card_opposition", str(opposition.pk), "--by", staff.email)
    call_command("classify_card_opposition", str(opposition.pk), "--by", staff.email)
    assert _fees(card) == [2500]
