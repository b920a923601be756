"""The contract calendar prints amounts and days formatted once per page, exactly as the filters would."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from guichet.lenders.templatetags.money import day, money
from guichet.loans.selectors import schedule_of
from tests.factories import make_contract, make_user

from .helpers import calendar_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_calendar_cell_is_what_the_money_and_day_filters_write(client, language):
    user = make_user()
    contract = make_contract(user.customer, amount="12000.00", term_months=24)
    client.force_login(user)
    url = reverse("portal:contract", args=[contract.number]) + "?vue=toutes"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    lines = schedule_of(contract)
    with override(language):
        expected = [
            [day(v.due_on), money(v.total_due), money(v.interest), money(v.principal), money(v.insurance),
             money(v.balance_after)]
            for v in lines
        ]  # fmt: skip
    rows = calendar_rows(page)
    assert len(rows) == len(lines) == 24
    assert [r[:6] for r in rows] == [[" ".join(c.split()) for c in e] for e in expected]
