"""Read paths for complaints and messages: the customer's own (404-safe) and the staff queues and reports."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from guichet.customers.models import Customer

from .models import Attachment, Complaint, Message, Thread


def complaints_for(customer: Customer) -> QuerySet[Complaint]:
    return Complaint.objects.filter(customer=customer).select_related("contract").order_by("-received_at")


def threads_for(customer: Customer) -> QuerySet[Thread]:
    return Thread.objects.filter(customer=customer).annotate(
        unread=Count("messages", filter=Q(messages__from_customer=False, messages__read_at=None))
    )


def thread_for(customer: Customer, pk: int) -> Thread:
    found = Thread.objects.filter(customer=customer, pk=pk).first()
    if found is None:
        raise Http404
    return found


def messages_of(thread: Thread) -> QuerySet[Message]:
    return thread.messages.select_related("author").prefetch_related("attachments")


def unread_for_staff() -> int:
    return Message.objects.filter(from_customer=True, read_at=None).count()


def staff_threads() -> QuerySet[Thread]:
    return Thread.objects.select_related("customer").annotate(
        unread=Count("messages", filter=Q(messages__from_customer=True, messages__read_at=None))
    )


def attachment_for_customer(customer: Customer, pk: int) -> Attachment:
    found = Attachment.objects.filter(pk=pk, message__thread__customer=customer).first()
    if found is None:
        raise Http404
    return found


def attachment_for_staff(pk: int) -> Attachment:
    found = Attachment.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def complaints_report(*, status: str = "", overdue_on: date | None = None) -> QuerySet[Complaint]:
    """Complaints by status and deadline (the back-office report and its CSV export)."""
    qs = Complaint.objects.select_related("customer", "contract").order_by("status", "answer_due_on")
    if status:
        qs = qs.filter(status=status)
    if overdue_on is not None:
        qs = qs.filter(
            Q(status=Complaint.Status.RECEIVED, ack_due_on__lt=overdue_on)
            | Q(status=Complaint.Status.ACKNOWLEDGED, answer_due_on__lt=overdue_on)
        )
    return qs
