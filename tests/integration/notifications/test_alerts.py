"""Alerts chosen in "Mon profil" (issue 4: "due-date reminder N days before, balance threshold, contract
updates; email and/or SMS"; seed 000: "rappels d'échéances, alertes de solde, notifications de mise à
jour contractuelle"), read from the real local SMTP server and the SMS outbox."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from guichet.credit import EUR, Money
from guichet.credit.schedule import amortization_schedule
from guichet.loans.alerts import send_alerts
from guichet.notifications.models import SentAlert
from guichet.notifications.services import update_alert_preferences
from tests.factories import make_contract, make_customer, make_user

pytestmark = pytest.mark.django_db
PHONE = "+33611223344"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def borrower():
    customer = make_customer(phone=PHONE, email="alertes@example.test")
    make_user(customer)
    return customer


@pytest.fixture
def loan(borrower):
    return make_contract(borrower, amount="6000.00", term_months=24, start_on=date(2026, 1, 10))


def first_due(contract) -> date:
    return contract.current_schedule.lines.order_by("number").first().due_on


def prefer(customer, *, days=3, threshold=None, updates=True, email=True, sms=True):
    update_alert_preferences(
        customer=customer,
        due_reminder_days=days,
        balance_threshold=None if threshold is None else Money.of(threshold, EUR),
        contract_updates=updates,
        by_email=email,
        by_sms=sms,
    )


def test_due_reminder_goes_n_days_before_by_email_and_sms_and_only_once(borrower, loan, mailbox, sms_outbox):
    prefer(borrower, days=5)
    due = first_due(loan)
    assert send_alerts(on=due - timedelta(days=6)).total == 0  # not yet
    report = send_alerts(on=due - timedelta(days=5))
    assert report.sent == {"due_reminder": 2, "balance": 0}
    mail = mailbox.last_to(borrower.email)
    assert "prochaine échéance" in str(mail["Subject"])
    body = mailbox.text(mail)
    assert loan.number in body and due.strftime("%d/%m/%Y") in body
    sms = sms_outbox.last_to(PHONE)["text"]
    assert loan.number in sms and due.strftime("%d/%m/%Y") in sms
    assert send_alerts(on=due - timedelta(days=5)).total == 0  # the same day again: nothing twice
    assert len(mailbox.to(borrower.email)) == 1 and len(sms_outbox.messages()) == 1


def test_without_stored_preferences_the_profile_defaults_apply(borrower, loan, mailbox, sms_outbox):
    due = first_due(loan)
    report = send_alerts(on=due - timedelta(days=3))  # defaults: 3 days before, by email only
    assert report.sent["due_reminder"] == 1
    assert mailbox.to(borrower.email) and sms_outbox.messages() == []


def test_no_reminder_when_the_customer_turned_it_off(borrower, loan, mailbox, sms_outbox):
    prefer(borrower, days=None, updates=False)
    assert send_alerts(on=first_due(loan) - timedelta(days=3)).total == 0
    assert mailbox.to(borrower.email) == []


def test_balance_alert_when_outstanding_principal_is_under_the_threshold_once_per_threshold(
    borrower, loan, mailbox, sms_outbox
):
    prefer(borrower, days=None, threshold="7000.00", sms=False)
    on = first_due(loan) - timedelta(days=10)
    assert send_alerts(on=on).sent["balance"] == 1
    body = mailbox.text(mailbox.last_to(borrower.email))
    assert "6 000,00" in body.replace("\u202f", " ").replace("\u00a0", " ")  # the principal lent, still owed
    assert send_alerts(on=on + timedelta(days=1)).total == 0  # still under: no repeat
    prefer(borrower, days=None, threshold="6500.00", sms=False)
    assert send_alerts(on=on + timedelta(days=2)).sent["balance"] == 1  # a new threshold re-arms it


def test_no_balance_alert_above_the_threshold(borrower, loan, mailbox, sms_outbox):
    prefer(borrower, days=None, threshold="1000.00")
    assert send_alerts(on=first_due(loan) - timedelta(days=10)).total == 0


def test_schedule_change_notifies_each_participant_who_wants_contract_updates(
    borrower, mailbox, sms_outbox, django_capture_on_commit_callbacks
):
    partner = make_customer(phone="+33699887766")
    make_user(partner)
    loan = make_contract(borrower, amount="6000.00", term_months=24, co_borrower=partner)
    prefer(borrower, days=None, sms=True)
    prefer(partner, days=None, updates=False)
    from guichet.loans.services import replace_schedule

    new = amortization_schedule(
        principal=Money.of("6000.00", EUR),
        debit_rate=loan.debit_rate,
        term_months=24,
        first_due_on=first_due(loan) + timedelta(days=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = replace_schedule(
            contract=loan, schedule=new, reason="Changement de date de prélèvement au 20"
        )
    body = mailbox.text(mailbox.last_to(borrower.email))
    assert loan.number in body and "Changement de date de prélèvement au 20" in body
    assert loan.number in sms_outbox.last_to(PHONE)["text"]
    assert mailbox.to(partner.email) == []  # turned contract updates off
    keys = set(SentAlert.objects.values_list("key", flat=True))
    assert keys == {
        f"update:schedule:{version.pk}:{borrower.pk}:email",
        f"update:schedule:{version.pk}:{borrower.pk}:sms",
    }


def test_new_document_adds_an_sms_for_customers_who_chose_sms(
    borrower, loan, mailbox, sms_outbox, django_capture_on_commit_callbacks
):
    from guichet.documents.services import deliver_document

    prefer(borrower, days=None, sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_document(
            customer=borrower, kind="funding_confirmation", title="Avis d'échéance", pdf=PDF, contract=loan
        )
    assert "Avis d'échéance" in sms_outbox.last_to(PHONE)["text"]
    assert len(mailbox.to(borrower.email)) == 1  # the documents app's own email, not a second one


def test_document_delivered_without_notice_sends_nothing(
    borrower, loan, sms_outbox, django_capture_on_commit_callbacks
):
    from guichet.documents.services import deliver_document

    prefer(borrower, days=None, sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        deliver_document(customer=borrower, kind="funding_confirmation", title="Démo", pdf=PDF, notify=False)
    assert sms_outbox.messages() == []


def test_command_sends_for_the_given_date_and_enqueue_runs_the_task(
    borrower, loan, mailbox, sms_outbox, capsys
):
    prefer(borrower, days=2, sms=False)
    day = (first_due(loan) - timedelta(days=2)).isoformat()
    call_command("send_alerts", "--date", day)
    assert f"Alerts of {day}: 1 sent" in capsys.readouterr().out
    call_command("send_alerts", "--date", day, "--enqueue")  # immediate backend in tests
    assert "queued as task" in capsys.readouterr().out
    assert len(mailbox.to(borrower.email)) == 1  # the task found the alert already sent


def test_command_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="--date"):
        call_command("send_alerts", "--date", "15/06/2026")


def test_a_failed_sms_is_not_recorded_so_the_next_run_retries_it(
    borrower, loan, mailbox, sms_outbox, settings
):
    prefer(borrower, days=3, sms=True)
    on = first_due(loan) - timedelta(days=3)
    settings.GUICHET_SMS_GATEWAY = "guichet.notifications.sms.HttpSmsGateway"
    settings.GUICHET_SMS_HTTP_URL = "http://not-https.invalid/"  # refused before any network use
    report = send_alerts(on=on)
    assert report.failed == 1 and report.sent["due_reminder"] == 1  # the email left, the SMS did not
    assert not SentAlert.objects.filter(channel="sms").exists()
    settings.GUICHET_SMS_GATEWAY = "guichet.notifications.sms.OutboxSmsGateway"
    assert send_alerts(on=on).sent == {"due_reminder": 1, "balance": 0}  # only the SMS left to send
    assert len(mailbox.to(borrower.email)) == 1 and len(sms_outbox.messages()) == 1
