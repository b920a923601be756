"""The test factories build real contracts: schedule stored, drawdown posted."""

import pytest

from guichet.loans.models import JournalEntry
from tests.factories import make_contract, make_staff, make_user

pytestmark = pytest.mark.django_db


def test_make_contract_opens_a_contract_with_schedule_and_drawdown():
    user = make_user()
    contract = make_contract(user.customer)
    assert contract.schedule_lines.count() == 48
    assert JournalEntry.objects.filter(contract=contract, kind="drawdown").count() == 1
    assert make_staff().is_staff
