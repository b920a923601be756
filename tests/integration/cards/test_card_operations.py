"""Card operations on Camille's kind of line: caps over rolling windows at their boundaries, fees carried
to the line, foreign currency converted with one notice a month and currency, the import file and the
API endpoint, each refusal with its reason and nothing written."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command

from guichet.cards.models import Card, CardOperation, FxNotice
from guichet.cards.services import present_operation, set_fx_notice
from guichet.credit import EUR, Money
from guichet.loans.revolving_line import line_state
from guichet.loans.services.revolving import draw_revolving, open_revolving
from tests.factories import make_customer

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731


@pytest.fixture
def card(db):
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    customer = make_customer(phone="+33622223333")
    line = open_revolving(product_code="accessio-confort", limit=E("5000"), start_on=date(2026, 12, 1),
                          customers=[customer], debit_day=5)  # fmt: skip
    draw_revolving(contract=line, amount=E("1000"), on=date(2026, 12, 2), key="d0")
    return Card.objects.create(
        contract=line, holder=customer, reference="CARD-1", masked_number="4970 **** 1234",
        requested_on=date(2012, 5, 1), fx_notice=Card.Notice.SMS,
    )  # fmt: skip


def op(card, n, on, amount, kind="atm", **kw):
    return present_operation(card_reference=card.reference, external_id=f"op-{n}", kind=kind, on=on,
                             amount_minor=int(Decimal(amount) * 100), **kw)  # fmt: skip


def test_the_atm_cap_holds_over_7_rolling_days_and_frees_up_on_the_8th(card):
    assert op(card, 1, date(2027, 1, 1), "500").authorized
    refused = op(card, 2, date(2027, 1, 7), "20")
    assert not refused.authorized and "7 derniers jours" in refused.reason
    assert op(card, 3, date(2027, 1, 8), "500").authorized
    assert line_state(card.contract).used == E("2000")  # the refusal wrote nothing


def test_the_payment_cap_holds_over_30_rolling_days(card):
    assert op(card, 1, date(2027, 1, 1), "1500", kind="payment").authorized
    assert not op(card, 2, date(2027, 1, 30), "1", kind="payment").authorized
    assert op(card, 3, date(2027, 1, 31), "1500", kind="payment").authorized


def test_the_third_withdrawal_of_a_month_pays_2_euros_carried_to_the_line_and_february_starts_free(card):
    for n, on in enumerate([date(2027, 1, 30), date(2027, 1, 31), date(2027, 1, 31), date(2027, 2, 1)]):
        op(card, n, on, "10")
    fees = list(CardOperation.objects.order_by("external_id").values_list("fee_minor", flat=True))
    assert fees == [0, 0, 200, 0]
    assert line_state(card.contract).used == E("1000") + E("40") + E("2")  # the fee bears interest


def test_a_payment_over_the_available_amount_is_refused_and_writes_nothing(card):
    draw_revolving(contract=card.contract, amount=E("3950"), on=date(2027, 1, 1), key="d1")
    refused = op(card, 1, date(2027, 1, 2), "50.01", kind="payment")
    assert not refused.authorized and "disponible" in refused.reason
    assert line_state(card.contract).used == E("4950")


def test_a_foreign_payment_is_converted_and_noticed_once_per_month_and_currency(
    card, sms_outbox, django_capture_on_commit_callbacks
):
    chf = {"kind": "payment", "currency_code": "CHF"}
    with django_capture_on_commit_callbacks(execute=True):
        d = op(card, 1, date(2027, 1, 3), "100", ecb_rate=Decimal("0.9350"), **chf)
        op(card, 2, date(2027, 1, 20), "50", ecb_rate=Decimal("0.9400"), **chf)
        op(card, 3, date(2027, 2, 1), "50", ecb_rate=Decimal("0.9400"), **chf)
    assert d.authorized and d.operation.amount_minor == 10732  # 100 / 0.935 × 1.0034055
    texts = [m["text"] for m in sms_outbox.messages() if m["to"] == card.holder.phone]
    sentence = (
        "Opération en devise : le taux de change est le taux publié par la BCE, augmenté de la marge "
        "appliquée par Visa : marge = 0,34055 %"
    )
    assert texts == [sentence, sentence]
    assert FxNotice.objects.filter(card=card).count() == 2


def test_no_currency_notice_once_the_holder_opted_out_or_for_a_professional_card(card, sms_outbox):
    set_fx_notice(card=card, channel=Card.Notice.NONE)
    op(card, 1, date(2027, 1, 3), "100", kind="payment", currency_code="SEK", ecb_rate=Decimal("11.2"))
    assert not FxNotice.objects.exists()


def test_the_import_file_is_checked_whole_then_each_line_decided(card, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("external_id;card;date;kind;amount;currency;ecb_rate;merchant\n"
                   "a1;CARD-1;2027-01-02;atm;100.00;EUR;;DAB\n"
                   "a2;CARD-1;2027-13-02;atm;100.00;EUR;;DAB\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(CommandError, match="Ligne 3"):
        call_command("import_card_operations", str(bad))
    assert not CardOperation.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text("external_id;card;date;kind;amount;currency;ecb_rate;merchant\n"
                    "a1;CARD-1;2027-01-02;atm;400.00;EUR;;DAB\n"
                    "a2;CARD-1;2027-01-03;atm;200.00;EUR;;DAB\n", encoding="utf-8")  # fmt: skip
    call_command("import_card_operations", str(good))
    assert list(CardOperation.objects.order_by("external_id").values_list("authorized", flat=True)) == [
        True,
        False,
    ]


def test_the_api_authorizes_with_the_processor_key_and_says_why_it_refuses(card, client, settings):
    settings.GUICHET_CARD_API_KEY = "k-test"
    body = {"external_id": "api-1", "card": "CARD-1", "date": "2027-01-02", "kind": "atm", "amount": "600.00"}
    url = "/api/v1/cards/operations"
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 401
    refused = client.post(
        url, json.dumps(body), content_type="application/json", HTTP_X_CARD_PROCESSOR_KEY="k-test"
    )
    assert refused.status_code == 200 and refused.json()["authorized"] is False
    assert "7 derniers jours" in refused.json()["reason"]
    ok = client.post(url, json.dumps({**body, "external_id": "api-2", "amount": "100.00"}),
                     content_type="application/json", HTTP_X_CARD_PROCESSOR_KEY="k-test")  # fmt: skip
    assert ok.json() == {
        "external_id": "api-2",
        "authorized": True,
        "reason": "",
        "amount": "100.00",
        "fee": "0.00",
    }


@time_machine.travel("2027-01-05 10:00 +0100", tick=False)
def test_the_card_page_shows_the_caps_used_the_opposition_number_and_saves_the_notice_choice(card, client):
    from django.urls import reverse

    from tests.factories import make_user

    user = make_user(card.holder)
    client.force_login(user)
    op(card, 1, date(2027, 1, 3), "100", kind="payment", currency_code="CHF", ecb_rate=Decimal("0.9350"))
    url = reverse("portal:revolving_card", args=[card.contract.number])
    html = client.get(url).content.decode()
    assert "03 88 39 85 78" in html and "Conservez le numéro" in html
    assert "Paiements sur 30 jours glissants" in html and "107,32" in html
    assert client.post(url, {"card": card.pk, "fx_notice": "none"}).status_code == 302
    card.refresh_from_db()
    assert card.fx_notice == Card.Notice.NONE


def test_the_holder_opposes_her_card_for_free_and_later_operations_are_refused_with_the_reason(
    card, client, sms_outbox
):
    from django.urls import reverse

    from tests.factories import make_user

    client.force_login(make_user(card.holder))
    url = reverse("portal:revolving_card", args=[card.contract.number])
    form = {"card": card.pk, "kind": "opposition", "reason": "theft"}
    assert "Gratuit" in client.get(url, form).content.decode()  # the fee is shown before the code
    client.post(url, {**form, "action": "send_code"})
    text = sms_outbox.last_to(card.holder.phone)["text"]
    code = next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) >= 4)
    assert client.post(url, {**form, "action": "confirm", "code": code}).status_code == 302
    refused = op(card, 1, date(2027, 1, 3), "20")
    assert not refused.authorized and "opposition" in refused.reason
    assert line_state(card.contract).used == E("1000")  # free: no fee, nothing drawn


def test_the_24_euro_annual_fee_of_an_old_card_is_posted_to_the_line_once_on_its_anniversary(card):
    from guichet.cards.services import charge_annual_fees

    assert charge_annual_fees(on=date(2027, 4, 30)) == 0  # not the anniversary (requested 01/05/2012)
    assert charge_annual_fees(on=date(2027, 5, 1)) == 1
    assert charge_annual_fees(on=date(2027, 5, 1)) == 0
    assert line_state(card.contract).used == E("1024")


def test_the_api_answers_xpf_amounts_in_francs_not_hundredths(client, settings):
    """Issue 12: the API divided minor units by 100 whatever the currency; XPF has no decimals."""
    from guichet.catalogue.services import load_tariff
    from guichet.credit import XPF

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    settings.GUICHET_CARD_API_KEY = "k-test"
    customer = make_customer(phone="+687771234")
    line = open_revolving(product_code="accessio-confort", limit=Money.of(500_000, XPF),
                          start_on=date(2026, 12, 1), customers=[customer], debit_day=5)  # fmt: skip
    Card.objects.create(contract=line, holder=customer, reference="CARD-NC", masked_number="4970 **** 9999",
                        requested_on=date(2012, 5, 1))  # fmt: skip
    body = {"external_id": "nc-1", "card": "CARD-NC", "date": "2027-01-02", "kind": "payment",
            "amount": "12000", "currency": "XPF"}  # fmt: skip
    answer = client.post("/api/v1/cards/operations", json.dumps(body), content_type="application/json",
                         HTTP_X_CARD_PROCESSOR_KEY="k-test")  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"external_id": "nc-1", "authorized": True, "reason": "", "amount": "12000",
                             "fee": "0"}  # fmt: skip
    assert line_state(line).used == Money.of(12_000, XPF)
