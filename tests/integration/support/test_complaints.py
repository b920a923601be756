"""Complaints: due dates (10 business days, 2 months; ACPR 2022-R-01 and seed 004), escalation,
answer with the mediator, both sides' pages and the report."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from guichet.customers.models import User
from guichet.support.calendar import add_months, complaint_deadlines, easter_sunday
from guichet.support.models import Complaint
from guichet.support.services import (
    acknowledge_complaint,
    answer_complaint,
    escalate_complaints,
    file_complaint,
)
from tests.factories import make_customer, make_staff, make_user
from tests.integration.backoffice.helpers import staff_session

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_acknowledgement_due_after_ten_business_days_skipping_weekends_and_french_holidays():
    # Received Monday 28 April 2025: 1 May and 8 May (Thursdays) are public holidays -> Wednesday 14 May.
    assert complaint_deadlines(date(2025, 4, 28))[0] == date(2025, 5, 14)
    # Received Friday 19 December 2025: 25 December and 1 January are holidays -> Tuesday 6 January 2026.
    assert complaint_deadlines(date(2025, 12, 19))[0] == date(2026, 1, 6)


def test_answer_due_two_calendar_months_after_receipt_clamped_to_month_end():
    assert complaint_deadlines(date(2025, 4, 28))[1] == date(2025, 6, 28)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2023, 12, 31), 2) == date(2024, 2, 29)


def test_easter_dates_match_the_published_calendar():
    assert [easter_sunday(y) for y in (2024, 2025, 2026)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
    ]


def test_filed_complaint_carries_its_due_dates_in_the_lender_time_zone():
    # 23:30 UTC on 27 April is already 28 April in Paris.
    complaint = file_complaint(
        customer=make_customer(),
        subject="Frais",
        body="Contestation",
        now=datetime(2025, 4, 27, 23, 30, tzinfo=ZoneInfo("UTC")),
    )
    assert (complaint.received_on, complaint.ack_due_on, complaint.answer_due_on) == (
        date(2025, 4, 28),
        date(2025, 5, 14),
        date(2025, 6, 28),
    )


def test_lender_commitment_of_ten_calendar_days_applies_when_stricter_than_acpr_business_days():
    # Seed 004: "accuser réception de votre demande sous 10 jours" — earlier than 10 business days.
    assert complaint_deadlines(date(2025, 4, 28), committed_ack_days=10, committed_answer_months=2) == (
        date(2025, 5, 8),
        date(2025, 6, 28),
    )
    # A commitment looser than the law never pushes the legal date back.
    assert complaint_deadlines(date(2025, 4, 28), committed_ack_days=30)[0] == date(2025, 5, 14)


def test_filed_complaint_uses_the_tariff_commitment_when_a_tariff_is_in_force():
    call_command("load_tariff", str(settings.DATA_DIR / "tariffs" / "2022-01-01.toml"), "--no-report")
    complaint = file_complaint(
        customer=make_customer(),
        subject="Frais",
        body="Contestation",
        now=datetime(2025, 4, 27, 23, 30, tzinfo=ZoneInfo("UTC")),
    )
    assert (complaint.ack_due_on, complaint.answer_due_on) == (date(2025, 5, 8), date(2025, 6, 28))


def test_escalation_flags_complaints_near_a_deadline_once_per_stage_and_mails_supervisors(mailbox):
    supervisor = make_staff(User.Role.SUPERVISOR)
    advisor = make_staff(User.Role.ADVISOR)
    received = datetime(2025, 4, 28, 10, tzinfo=PARIS)
    near = file_complaint(customer=make_customer(), subject="A", body="Texte", now=received)
    far = file_complaint(
        customer=make_customer(), subject="B", body="Texte", now=received + timedelta(days=7)
    )
    flagged = escalate_complaints(today=date(2025, 5, 12), within_days=3)
    assert [c.pk for c in flagged] == [near.pk]
    assert near.reference in mailbox.text(mailbox.last_to(supervisor.email))
    assert escalate_complaints(today=date(2025, 5, 13), within_days=3) == []
    acknowledge_complaint(complaint=near, by=advisor)
    assert [c.pk for c in escalate_complaints(today=date(2025, 6, 26), within_days=3)] == [near.pk, far.pk]


def test_answer_tells_the_customer_how_to_reach_the_mediator(mailbox):
    customer = make_customer()
    complaint = file_complaint(customer=customer, subject="Frais", body="Contestation")
    answer_complaint(complaint=complaint, by=make_staff(), answer="Nous remboursons les frais contestés.")
    text = mailbox.text(mailbox.last_to(customer.email))
    assert "Médiateur de l'Association Française des Sociétés Financières" in text
    assert Complaint.objects.get(pk=complaint.pk).acknowledged_at is not None


def test_customer_files_from_the_space_and_sees_both_due_dates(client):
    user = make_user()
    client.force_login(user)
    client.post(
        reverse("portal:complaints"),
        {"subject": "Prélèvement en double", "contract": "", "body": "Deux fois."},
    )
    complaint = Complaint.objects.get(customer=user.customer)
    page = client.get(reverse("portal:complaints")).content.decode()
    assert complaint.reference in page and "Accusé de réception au plus tard le" in page


def test_customer_cannot_attach_a_complaint_to_someone_elses_contract(client):
    from tests.factories import make_contract

    other_contract = make_contract()
    user = make_user()
    client.force_login(user)
    client.post(
        reverse("portal:complaints"), {"subject": "X", "contract": other_contract.number, "body": "Y"}
    )
    assert not Complaint.objects.exists()


def test_report_exports_csv_for_compliance_and_neutralises_formulas(client):
    file_complaint(customer=make_customer(), subject="=HYPERLINK(1)", body="Texte")
    staff_session(client, make_staff(User.Role.COMPLIANCE))
    response = client.get(reverse("backoffice:complaints"), {"format": "csv"})
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv") and "'=HYPERLINK(1)" in body
    assert body.splitlines()[0].startswith("reference;client")


def test_advisor_cannot_export_the_report(client):
    staff_session(client, make_staff(User.Role.ADVISOR))
    assert client.get(reverse("backoffice:complaints"), {"format": "csv"}).status_code == 403
