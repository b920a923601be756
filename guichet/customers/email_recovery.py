"""Replacing a lost email (seed 000: recovery needs "email et SMS"): mobile + birth date + contract number,
a code by SMS, then the new address confirmed by a code sent to it. The old address is told afterwards.
Unknown combinations get the same answer and the same work.
"""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from guichet.notifications import send_email

from .codes import issue_code, verify_code
from .events import record_event
from .exceptions import CodeError, CodeInvalid, CustomerSecurityError
from .models import LoginAttempt, SecurityEvent, User
from .signin import burn_time, check_rate, end_other_access, note_attempt

RECOVERY_LIMIT = 10


class EmailTaken(CustomerSecurityError):
    def __init__(self) -> None:
        super().__init__(_("Cette adresse email ne peut pas être utilisée. Choisissez-en une autre."))


def _holder(phone: str, birth_date: date, contract_number: str) -> User | None:
    participant = (
        apps.get_model("loans", "Participant")
        .objects.select_related("customer__user")
        .filter(
            contract__number=contract_number.strip(),
            customer__birth_date=birth_date,
            customer__phone=phone,
            customer__user__isnull=False,
        )
        .first()
    )
    user = participant.customer.user if participant else None
    return user if user is not None and user.is_customer and user.is_active else None


def start_email_recovery(*, request: HttpRequest, phone: str, birth_date: date, contract_number: str) -> None:
    """Start the recovery: the same work whatever was typed (issue 11, item 2). The page records the
    attempt and enqueues :func:`text_email_recovery_code`, which looks the holder up and sends the code
    only if the three facts match (see :mod:`guichet.customers.recovery`)."""
    check_rate(request=request, kind=LoginAttempt.Kind.RECOVERY, limit=RECOVERY_LIMIT)
    note_attempt(request=request, kind=LoginAttempt.Kind.RECOVERY)
    text_email_recovery_code.enqueue(
        phone=phone, birth_date=birth_date.isoformat(), contract_number=contract_number
    )


@task()
def text_email_recovery_code(*, phone: str, birth_date: str, contract_number: str) -> bool:
    """Background half of :func:`start_email_recovery`: an SMS code only to a matching holder."""
    user = _holder(phone, date.fromisoformat(birth_date), contract_number)
    if user is None:
        return False
    try:
        issue_code(user=user, purpose="email_recovery", bound_to=f"email-recovery:{phone}", channel="sms")
    except CodeError:
        return False  # a code was sent moments ago and is still valid
    return True


def verify_email_recovery(*, phone: str, birth_date: date, contract_number: str, code: str) -> User:
    user = _holder(phone, birth_date, contract_number)
    burn_time(code)  # both branches alike (issue 11, item 2)
    if user is None:
        raise CodeInvalid()
    verify_code(user=user, purpose="email_recovery", bound_to=f"email-recovery:{phone}", code=code)
    return user


def send_new_email_code(*, user: User, new_email: str) -> None:
    """A code to the new address proves it works and is theirs."""
    new_email = new_email.strip().lower()
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailTaken()
    issue_code(
        user=user, purpose="email_confirm", bound_to=f"email:{new_email}", channel="email", to=new_email
    )


def confirm_new_email(*, request: HttpRequest, user: User, new_email: str, code: str) -> None:
    """Check the code sent to the new address, replace the email of the account and of the customer."""
    new_email = new_email.strip().lower()
    verify_code(user=user, purpose="email_confirm", bound_to=f"email:{new_email}", code=code)
    old = user.email
    with transaction.atomic():
        user.email = new_email
        user.save(update_fields=["email"])
        apps.get_model("customers", "Customer").objects.filter(user=user).update(email=new_email)
        end_other_access(user=user)  # nobody is signed in here: every session and link ends
    record_event(user=user, kind=SecurityEvent.Kind.EMAIL_CHANGED, request=request, via="lost_email")
    send_email(
        to=old,
        subject=gettext_lazy("Votre adresse email a été modifiée"),
        template="email_changed",
        context={"new_email": new_email, "at": timezone.now()},
        language=user.language,
    )
