"""Debit-date change within the lender's limits (preview, SMS code, new schedule) and scheduled transfers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guichet.credit import EUR, Money
from guichet.payments.errors import DebitDateRefused, TransferRefused
from guichet.payments.models import DebitDateChange
from guichet.payments.selectors import calendar_for
from guichet.payments.services import (
    change_debit_date,
    post_received_transfer,
    preview_debit_date_change,
    request_debit_date_code,
    schedule_transfer,
)


def _code(sms_outbox, customer) -> str:
    text = sms_outbox.last_to(customer.phone)["text"]
    return next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) >= 4)


def test_debit_date_preview_shifts_dates_and_adjusts_interest_of_the_shifted_period(loan, today) -> None:
    p = preview_debit_date_change(contract=loan, new_day=20, today=today)
    assert p.new_first.day == 20 and (p.new_first - p.old_first).days == 15
    assert p.adjustment.minor > 0  # a later debit carries 15 more days of interest
    assert all(r.due_on.day == 20 for r in p.schedule.rows)
    assert p.schedule.rows[-1].balance_after.is_zero()
    assert sum(r.principal.minor for r in p.schedule.rows) == p.schedule.principal.minor


def test_debit_date_outside_allowed_days_is_refused(loan, today) -> None:
    with pytest.raises(DebitDateRefused, match="1, 5, 10, 15, 20, 25"):
        preview_debit_date_change(contract=loan, new_day=7, today=today)


def test_debit_date_change_replaces_schedule_and_counts_against_yearly_limit(
    loan, borrower, today, sms_outbox, mailbox, django_capture_on_commit_callbacks
) -> None:
    p = preview_debit_date_change(contract=loan, new_day=20, today=today)
    request_debit_date_code(customer=borrower, preview=p)
    with django_capture_on_commit_callbacks(execute=True):
        change_debit_date(
            customer=borrower,
            contract=loan,
            new_day=20,
            code=_code(sms_outbox, borrower),
            today=today,
        )
    loan.refresh_from_db()
    assert loan.debit_day == 20
    assert loan.current_schedule.lines.filter(due_on=p.new_first).exists()
    assert DebitDateChange.objects.count() == 1
    DebitDateChange.objects.create(
        contract=loan,
        old_day=20,
        new_day=10,
        first_new_due_on=today,
        interest_adjustment_minor=0,
        currency="EUR",
    )
    with pytest.raises(DebitDateRefused, match="maximum"):
        preview_debit_date_change(contract=loan, new_day=10, today=today)


def test_scheduled_monthly_transfer_appears_in_calendar_and_is_posted_once(loan, borrower, today) -> None:
    t = schedule_transfer(
        customer=borrower,
        contract=loan,
        amount=Money.of("50.00", EUR),
        first_on=today + timedelta(days=3),
        monthly=True,
    )
    items = [i for i in calendar_for(contracts=[loan], today=today) if i.what == "transfer"]
    assert len(items) >= 2 and items[0].on == today + timedelta(days=3)
    e1 = post_received_transfer(reference=t.reference, amount=t.amount, received_on=today + timedelta(days=3))
    e2 = post_received_transfer(reference=t.reference, amount=t.amount, received_on=today + timedelta(days=3))
    assert e1.pk == e2.pk


def test_transfer_in_the_past_or_negative_is_refused(loan, borrower, today) -> None:
    with pytest.raises(TransferRefused, match="futur"):
        schedule_transfer(customer=borrower, contract=loan, amount=Money.of("50.00", EUR), first_on=today)
    with pytest.raises(TransferRefused, match="positif"):
        schedule_transfer(
            customer=borrower,
            contract=loan,
            amount=Money.of("-1.00", EUR),
            first_on=today + timedelta(days=2),
        )
