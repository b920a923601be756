"""Every state change of complaints and secure messages: file, acknowledge, answer, escalate, write.

Deadlines are fixed at receipt by ``calendar.complaint_deadlines`` (ACPR 2022-R-01). Emails never carry
the content of a secure message: only "Vous avez un nouveau message".
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.audit import trail
from guichet.catalogue.selectors import NoTariffInForce, complaint_policy
from guichet.customers.models import Customer, User
from guichet.errors import GuichetError
from guichet.lenders.profile import get_profile, lender_day
from guichet.notifications import send_email
from guichet.onboarding.uploads import check_upload, delete_stored, store_upload

from .calendar import complaint_deadlines
from .models import Attachment, Complaint, Message, Thread
from .selectors import complaints_report

MAX_ATTACHMENTS = 3
STAFF_ROLES = ("advisor", "supervisor", "compliance")


class SupportError(GuichetError):
    """A complaint or message action was refused; the message says why."""

    code = "support_refused"


def _commitment(on: date) -> dict[str, int]:
    """The lender's published complaint deadlines in force on ``on`` (none if no tariff is loaded)."""
    try:
        policy = complaint_policy(on)
    except NoTariffInForce:
        return {}
    return {
        "committed_ack_days": policy.acknowledge_within_days,
        "committed_answer_months": policy.answer_within_months,
    }


def file_complaint(
    *, customer: Customer, subject: str, body: str, contract=None, now: datetime | None = None
) -> Complaint:  # type: ignore[no-untyped-def]
    """Record a complaint; ``contract`` must come from ``contracts_for(customer)`` (checked again here)."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject or not body:
        raise SupportError(_("Indiquez l'objet et le détail de votre réclamation."))
    if contract is not None and not contract.participants.filter(customer=customer).exists():
        raise SupportError(_("Ce contrat n'est pas le vôtre."))
    now = now or timezone.now()
    received_on = lender_day(now)
    ack_due, answer_due = complaint_deadlines(received_on, get_profile().country, **_commitment(received_on))
    return Complaint.objects.create(
        reference=f"R{received_on:%y%m%d}-{secrets.token_hex(3).upper()}",
        customer=customer,
        contract=contract,
        subject=subject[:150],
        body=body[:5000],
        received_at=now,
        received_on=received_on,
        ack_due_on=ack_due,
        answer_due_on=answer_due,
    )


def acknowledge_complaint(*, complaint: Complaint, by: User) -> Complaint:
    with transaction.atomic():
        c = Complaint.objects.select_for_update(of=("self",)).select_related("customer").get(pk=complaint.pk)
        if c.status != Complaint.Status.RECEIVED:
            raise SupportError(_("L'accusé de réception a déjà été envoyé."))
        c.status, c.acknowledged_at, c.acknowledged_by = Complaint.Status.ACKNOWLEDGED, timezone.now(), by
        c.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        trail.record_if_staff(by=by, action="complaint_acknowledge", customer=c.customer, target=c.reference)
    _mail_customer(
        c.customer,
        gettext_lazy("Accusé de réception de votre réclamation"),
        "complaint_acknowledged",
        complaint=c,
    )
    return c


def answer_complaint(*, complaint: Complaint, by: User, answer: str) -> Complaint:
    """Answer (acknowledging too if not done); the email tells the customer how to reach the mediator."""
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise SupportError(_("Rédigez la réponse au client (10 caractères au moins)."))
    with transaction.atomic():
        c = Complaint.objects.select_for_update(of=("self",)).select_related("customer").get(pk=complaint.pk)
        if c.status == Complaint.Status.ANSWERED:
            raise SupportError(_("Cette réclamation a déjà reçu une réponse."))
        now = timezone.now()
        if c.acknowledged_at is None:
            c.acknowledged_at, c.acknowledged_by = now, by
        c.status, c.answered_at, c.answered_by, c.answer = Complaint.Status.ANSWERED, now, by, answer[:10000]
        c.save(
            update_fields=[
                "status",
                "acknowledged_at",
                "acknowledged_by",
                "answered_at",
                "answered_by",
                "answer",
            ]
        )
        trail.record_if_staff(by=by, action="complaint_answer", customer=c.customer, target=c.reference)
    _mail_customer(c.customer, gettext_lazy("Réponse à votre réclamation"), "complaint_answered", complaint=c)
    return c


def escalate_complaints(*, today: date, within_days: int = 3) -> list[Complaint]:
    """Flag open complaints whose next deadline is within ``within_days`` (or passed); tell supervisors.

    Each deadline is escalated once: the acknowledgement stage, then the answer stage.
    """
    horizon = today + timedelta(days=within_days)
    open_ones = Complaint.objects.exclude(status=Complaint.Status.ANSWERED).select_related("customer")
    flagged: list[Complaint] = []
    for c in open_ones:
        due = c.next_due_on
        if due is None or due > horizon or (c.escalated_at and c.escalated_stage == c.status):
            continue
        c.escalated_at, c.escalated_stage = timezone.now(), c.status
        c.save(update_fields=["escalated_at", "escalated_stage"])
        flagged.append(c)
    if flagged:
        supervisors = User.objects.filter(role="supervisor", is_active=True)
        for sup in supervisors:
            send_email(
                to=sup.email,
                subject=gettext_lazy("Réclamations proches de l'échéance"),
                template="complaints_escalated",
                context={"complaints": flagged, "today": today},
                language=sup.language,
            )
    return flagged


def start_thread(
    *, customer: Customer, author: User, subject: str, body: str, files: Sequence[tuple[IO[bytes], str]] = ()
) -> Thread:
    subject = (subject or "").strip()
    if not subject:
        raise SupportError(_("Indiquez l'objet de votre message."))
    with transaction.atomic():
        thread = Thread.objects.create(customer=customer, subject=subject[:150])
        post_message(thread=thread, author=author, body=body, files=files)
    return thread


def post_message(
    *, thread: Thread, author: User, body: str, files: Sequence[tuple[IO[bytes], str]] = ()
) -> Message:
    """Write one message; attachments pass the upload gate first, so a refused file leaves nothing behind."""
    body = (body or "").strip()
    if not body:
        raise SupportError(_("Le message est vide."))
    if len(files) > MAX_ATTACHMENTS:
        raise SupportError(_("%(n)d pièces jointes au plus par message.") % {"n": MAX_ATTACHMENTS})
    from_customer = author.role == "customer"
    if from_customer and getattr(author, "customer", None) != thread.customer:
        raise SupportError(_("Cette conversation n'est pas la vôtre."))
    checked = [check_upload(fh, name=name) for fh, name in files]
    stored: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            msg = Message.objects.create(
                thread=thread, author=author, from_customer=from_customer, body=body[:5000]
            )
            for upload in checked:
                path = store_upload(upload, folder="messages")
                stored.append(path)
                Attachment.objects.create(
                    message=msg,
                    path=path,
                    mime=upload.mime,
                    size=upload.size,
                    sha256=upload.sha256,
                    original_name=upload.original_name,
                )
            Thread.objects.filter(pk=thread.pk).update(last_message_at=now)
            trail.record_if_staff(
                by=author, action="write_message", customer=thread.customer, target=f"thread:{thread.pk}"
            )
    except Exception:
        for path in stored:
            delete_stored(path)
        raise
    if not from_customer:
        _mail_customer(thread.customer, gettext_lazy("Vous avez un nouveau message"), "new_message")
    return msg


def export_complaints(*, by: User, status: str = "", overdue_on: date | None = None) -> QuerySet[Complaint]:
    """The complaints report for export; who exported it, and which status, is in the staff audit trail."""
    trail.record_if_staff(by=by, action="export_complaints", target="complaints.csv", status=status)
    return complaints_report(status=status, overdue_on=overdue_on)


def mark_thread_read(*, thread: Thread, by_customer: bool) -> int:
    """Mark the other side's messages as read; returns how many were unread."""
    return Message.objects.filter(thread=thread, from_customer=not by_customer, read_at=None).update(
        read_at=timezone.now()
    )


def _mail_customer(customer: Customer, subject: str, template: str, **context: object) -> None:
    send_email(
        to=customer.email,
        subject=subject,
        template=template,
        context={"customer": customer, "mediator": get_profile().mediator, **context},
        language=customer.language,
    )
