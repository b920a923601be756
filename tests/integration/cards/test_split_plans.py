"""Split payment at partners on the card (seed 004: COFIDIS Pay 3x–24x at 16,49 % max, Option Crédit 19 %,
Fraxio 3x–33x 14,80 %): a payment flagged as split becomes an amortizable sub-plan at the sheet's fixed
maximum TAEG, whose installments are added to the line's statements; importing it twice opens one plan."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from guichet.cards.models import Card, CardOperation, SplitPlan
from guichet.cards.services import CardOperationRefused, present_operation
from guichet.credit import EUR, Money
from guichet.documents.models import Document
from guichet.documents.statements import deliver_statements, statement_sheet
from guichet.lenders.formatting import format_money
from guichet.loans.models import Contract, JournalEntry
from guichet.loans.revolving_line import line_state
from guichet.loans.services import run_daily_servicing
from guichet.loans.services.revolving import draw_revolving, open_revolving
from tests.factories import make_customer
from tests.integration.portal.helpers import norm, pdf_text

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731
MAX_TAEG = {"cofidis-pay-3-24x": Decimal("0.1649"), "option-credit-3-24x": Decimal("0.1900"),
            "fraxio-3-33x": Decimal("0.1480")}  # fmt: skip


@pytest.fixture
def card(db):
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    customer = make_customer(phone="+33622223334")
    line = open_revolving(product_code="accessio-confort", limit=E("5000"), start_on=date(2026, 12, 1),
                          customers=[customer], debit_day=5)  # fmt: skip
    draw_revolving(contract=line, amount=E("1000"), on=date(2026, 12, 2), key="d0")
    return Card.objects.create(contract=line, holder=customer, reference="CARD-S",
                               masked_number="4970 **** 5555", requested_on=date(2014, 5, 1))  # fmt: skip


def split(card, n, amount, product="cofidis-pay-3-24x", count=10, on=date(2027, 1, 10)):
    return present_operation(card_reference=card.reference, external_id=f"sp-{n}", kind="payment", on=on,
                             amount_minor=Money.of(amount, EUR).minor, merchant="Magasin Partenaire",
                             split_product=product, split_installments=count)  # fmt: skip


def test_a_split_payment_opens_a_sub_plan_at_the_sheets_maximum_taeg_not_a_drawdown(card):
    d = split(card, 1, "600.00")
    assert d.authorized, d.reason
    plan = SplitPlan.objects.get(operation=d.operation)
    assert plan.installments == 10 and plan.plan.principal_minor == 60000
    assert plan.plan.taeg <= MAX_TAEG["cofidis-pay-3-24x"] and plan.plan.debit_rate == Decimal("0.1536")
    assert plan.plan.first_due_on == date(2027, 2, 10)  # a month after, as the sheet's TAEG assume
    assert line_state(card.contract).used == E("1000")  # not drawn on the revolving balance


@pytest.mark.parametrize("product", sorted(MAX_TAEG))
@pytest.mark.parametrize("amount", ["300.00", "199.99", "1234.56", "1499.99"])  # within the 1 500 € cap
def test_every_plan_stays_within_the_sheets_fixed_maximum_taeg(card, product, amount):
    for n, count in enumerate((3, 4, 12, 24)):
        on = date(2027, 1, 10) + timedelta(days=31 * n)  # one purchase per 30-day payment window
        d = split(card, f"{product}-{amount}-{n}", amount, product=product, count=count, on=on)
        assert d.authorized, d.reason
        taeg = SplitPlan.objects.get(operation=d.operation).plan.taeg
        assert taeg <= MAX_TAEG[product], (product, amount, count, taeg)


def test_the_number_of_payments_must_be_in_the_products_range(card):
    with pytest.raises(CardOperationRefused, match="3 à 24"):
        split(card, 1, "300.00", count=25)
    with pytest.raises(CardOperationRefused, match="plusieurs fois"):
        split(card, 2, "300.00", product="accessio-confort")
    assert not CardOperation.objects.exists()


def test_the_statement_adds_the_sub_plans_installment(card):
    d = split(card, 1, "600.00")
    plan = SplitPlan.objects.get(operation=d.operation).plan
    first = plan.current_schedule.lines.order_by("number").first()
    for on in (date(2027, 1, 5), date(2027, 2, 5), date(2027, 3, 5)):
        run_daily_servicing(on=on)
    entry = JournalEntry.objects.filter(contract=card.contract, kind="installment_due").latest("effective_on")
    assert entry.effective_on == date(2027, 3, 5)
    st = statement_sheet(entry=entry)
    assert [(p.due_on, p.amount.minor) for p in st.plan_installments] == [
        (date(2027, 2, 10), first.installment_minor)  # in the period 05/02 → 05/03
    ]
    assert st.total_due == st.minimum_due + Money(first.installment_minor, EUR)
    assert "1/10" in st.plan_installments[0].label
    deliver_statements(on=date(2027, 3, 5), notify=False)
    doc = Document.objects.get(
        contract=card.contract, kind=Document.Kind.STATEMENT, title__contains="05/03/2027"
    )
    text = norm(pdf_text(doc.file.read()))
    assert (
        norm(format_money(st.plan_installments[0].amount)) in text
        and norm(format_money(st.total_due)) in text
    )


def test_importing_a_split_operation_twice_opens_one_plan(card, tmp_path):
    f = tmp_path / "ops.csv"
    f.write_text("external_id;card;date;kind;amount;currency;ecb_rate;merchant;split_product;split_installments\n"
                 "s1;CARD-S;2027-01-10;payment;450.00;EUR;;Partenaire;fraxio-3-33x;33\n"
                 "s2;CARD-S;2027-01-11;payment;20.00;EUR;;Librairie;;\n", encoding="utf-8")  # fmt: skip
    call_command("import_card_operations", str(f))
    call_command("import_card_operations", str(f))
    assert SplitPlan.objects.count() == 1 and SplitPlan.objects.get().installments == 33
    assert Contract.objects.filter(product_code="fraxio-3-33x").count() == 1
    assert CardOperation.objects.count() == 2
    assert line_state(card.contract).used == E("1020")  # the plain payment is drawn, the split is not


def test_the_api_takes_the_split_fields(card, client, settings):
    settings.GUICHET_CARD_API_KEY = "k-test"
    body = {"external_id": "api-s", "card": "CARD-S", "date": "2027-01-10", "kind": "payment",
            "amount": "300.00", "split_product": "option-credit-3-24x", "split_installments": 3}  # fmt: skip
    for _ in range(2):
        r = client.post("/api/v1/cards/operations", json.dumps(body), content_type="application/json",
                        HTTP_X_CARD_PROCESSOR_KEY="k-test")  # fmt: skip
        assert r.status_code == 200 and r.json()["authorized"] is True, r.content
    assert SplitPlan.objects.get().plan.taeg <= MAX_TAEG["option-credit-3-24x"]


@time_machine.travel("2027-01-12 10:00 +0100", tick=False)
def test_ma_carte_shows_the_plan_and_its_next_installment(card, client):
    from django.urls import reverse

    from tests.factories import make_user

    split(card, 1, "600.00")
    client.force_login(make_user(card.holder))
    html = client.get(reverse("portal:revolving_card", args=[card.contract.number])).content.decode()
    assert "Paiements en plusieurs fois" in html and "Magasin Partenaire" in html and "10/02/2027" in html
