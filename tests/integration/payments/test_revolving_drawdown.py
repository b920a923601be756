"""A drawdown on a revolving line requested in the space: the SMS code is bound to the amount, the
drawdown is posted once, and a refusal (over the available amount) says why and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from guichet.credit import EUR, Money
from guichet.loans.models import JournalEntry
from guichet.loans.revolving_line import line_state
from guichet.loans.services.revolving import draw_revolving, open_revolving
from guichet.payments.services.revolving_drawdown import (
    DrawdownRefused,
    confirm_drawdown,
    quote_drawdown,
    request_drawdown_code,
)
from tests.factories import make_user, verify_identity

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731


@pytest.fixture
def line(tariff):
    user = make_user()
    verify_identity(user.customer)
    contract = open_revolving(product_code="accessio-confort", limit=E("5000"), start_on=date(2026, 6, 2),
                              customers=[user.customer], debit_day=5,
                              bank_account_masked="FR76 **** 0189")  # fmt: skip
    draw_revolving(contract=contract, amount=E("1000"), on=date(2026, 6, 3), key="d0")
    return user, contract


def _code(sms_outbox, customer) -> str:
    text = sms_outbox.last_to(customer.phone)["text"]
    return next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) >= 4)


def test_a_code_sent_for_one_amount_cannot_confirm_another(line, sms_outbox, today):
    from guichet.customers.exceptions import CodeInvalid

    user, contract = line
    small = quote_drawdown(contract=contract, amount=E("500"), on=today)
    request_drawdown_code(customer=user.customer, quote=small)
    big = quote_drawdown(contract=contract, amount=E("3000"), on=today)
    with pytest.raises(CodeInvalid):
        confirm_drawdown(customer=user.customer, quote=big, code=_code(sms_outbox, user.customer))
    assert line_state(contract).used == E("1000")


def test_over_the_available_amount_is_refused_with_the_amount_available(line, today):
    _, contract = line
    with pytest.raises(DrawdownRefused, match=r"4.000,00"):
        quote_drawdown(contract=contract, amount=E("4000.01"), on=today)


def test_the_space_draws_the_amount_confirmed_by_its_sms_code_once(line, client, sms_outbox, today):
    user, contract = line
    client.force_login(user)
    url = reverse("portal:revolving_drawdown", args=[contract.number])
    page = client.get(url, {"amount": "750"})
    assert page.status_code == 200 and "750,00" in page.content.decode()
    client.post(url, {"amount": "750", "action": "send_code"})
    code = _code(sms_outbox, user.customer)
    done = client.post(url, {"amount": "750", "action": "confirm", "code": code})
    assert done.status_code == 302 and done["Location"] == reverse("portal:contract", args=[contract.number])
    again = client.post(url, {"amount": "750", "action": "confirm", "code": code})
    assert again.status_code == 200  # the code was used: refused, nothing posted twice
    assert JournalEntry.objects.filter(contract=contract, kind="drawdown").count() == 2
    assert line_state(contract).used == E("1750")


def test_the_space_repays_early_with_a_code_bound_to_the_amount(line, client, sms_outbox, today):
    user, contract = line
    client.force_login(user)
    url = reverse("portal:revolving_manage", args=[contract.number])
    assert "sans indemnité" in client.get(url).content.decode().lower()
    client.post(url, {"op": "repay", "amount": "200", "action": "send_code"})
    code = _code(sms_outbox, user.customer)
    other = client.post(url, {"op": "repay", "amount": "300", "action": "confirm", "code": code})
    assert other.status_code == 200 and line_state(contract).used == E("1000")  # bound to 200 €
    client.post(url, {"op": "repay", "amount": "200", "action": "send_code"})
    done = client.post(
        url, {"op": "repay", "amount": "200", "action": "confirm", "code": _code(sms_outbox, user.customer)}
    )
    assert done.status_code == 302
    assert JournalEntry.objects.filter(contract=contract, kind="early_repayment").count() == 1


def test_the_space_closes_the_line_and_refuses_an_unknown_speed(line, client, sms_outbox):
    user, contract = line
    client.force_login(user)
    url = reverse("portal:revolving_manage", args=[contract.number])
    page = client.get(url, {"op": "speed", "speed": "turbo"})
    assert "turbo" in page.content.decode()
    client.post(url, {"op": "close", "action": "send_code"})
    done = client.post(url, {"op": "close", "action": "confirm", "code": _code(sms_outbox, user.customer)})
    assert done.status_code == 302
    contract.refresh_from_db()
    assert contract.use_stopped_on is not None
