"""The due-date reminder names the arrears too (issue 16: Marc was reminded of 125,31 € but not of his
250,62 € unpaid)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from guichet.loans.alerts import send_alerts
from guichet.loans.models import ScheduleLine
from guichet.loans.services import post_installment_due
from guichet.notifications.services import update_alert_preferences
from tests.factories import make_contract, make_customer, make_user

pytestmark = pytest.mark.django_db
PHONE = "+33611224455"


def _nbsp(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_the_reminder_of_the_next_installment_also_names_the_unpaid_ones(mailbox, sms_outbox):
    customer = make_customer(phone=PHONE, email="marc@example.test")
    make_user(customer)
    loan = make_contract(customer, amount="6000.00", term_months=24, start_on=date(2026, 1, 10))
    lines = list(ScheduleLine.objects.filter(version_id=loan.current_schedule_id).order_by("number"))
    for line in lines[:2]:  # two installments fell due and were never paid
        post_installment_due(contract=loan, line=line)
    unpaid = loan.money(lines[0].total_due_minor + lines[1].total_due_minor)
    update_alert_preferences(
        customer=customer,
        due_reminder_days=3,
        balance_threshold=None,
        contract_updates=False,
        by_email=True,
        by_sms=True,
    )
    assert send_alerts(on=lines[2].due_on - timedelta(days=3)).sent["due_reminder"] == 2
    shown = _nbsp(str(unpaid.amount).replace(".", ","))
    body = _nbsp(mailbox.text(mailbox.last_to(customer.email)))
    assert "impayés" in body and shown in body and "03 28 09 28 09" in body
    sms = _nbsp(sms_outbox.last_to(PHONE)["text"])
    assert "Impayés" in sms and shown in sms
