"""Self-registration (French profile): contract number + birth date + email. When they match a contract
holder an activation link is emailed (lifetime from the profile, single use); any mismatch gets the
same neutral answer and the same work, and the door is rate-limited per address.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.apps import apps
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from guichet.customers.exceptions import LinkInvalid
from guichet.customers.links import check_link, consume_link, issue_link
from guichet.customers.models import AccessLink, Customer, LoginAttempt, User
from guichet.customers.passwords import check_password_policy
from guichet.customers.signin import check_rate, note_attempt
from guichet.lenders.profile import get_profile
from guichet.notifications import absolute_url, send_email

from .accounts import OnboardingError, has_account, open_account

ACTIVATION = AccessLink.Kind.ACTIVATION
REGISTER_LIMIT = 10
REGISTER_WINDOW = timedelta(hours=1)


class RegistrationClosed(OnboardingError):
    def __init__(self) -> None:
        super().__init__(
            _("Pour créer votre espace client, rapprochez-vous de notre équipe en appelant le %(phone)s.")
            % {"phone": get_profile().support.phone}
        )


def matching_customer(*, contract_number: str, birth_date: date, email: str) -> Customer | None:
    """The holder of contract ``contract_number`` with that birth date and email, if any."""
    participant_model = apps.get_model("loans", "Participant")
    participant = (
        participant_model.objects.select_related("customer", "customer__user")
        .filter(
            contract__number=contract_number.strip(),
            customer__birth_date=birth_date,
            customer__email__iexact=email.strip(),
        )
        .first()
    )
    return participant.customer if participant is not None else None


def request_registration(*, request: HttpRequest, contract_number: str, birth_date: date, email: str) -> None:
    """Start self-registration. The caller shows the same neutral message in every case, and this does
    the same work in every case (issue 11, item 2): it records the attempt and enqueues
    :func:`email_registration_link`, which looks the holder up in the background and emails only when
    the three facts match (the design is explained in :mod:`guichet.customers.recovery`)."""
    if not get_profile().self_registration:
        raise RegistrationClosed()
    check_rate(request=request, kind=LoginAttempt.Kind.REGISTER, limit=REGISTER_LIMIT, window=REGISTER_WINDOW)
    note_attempt(request=request, kind=LoginAttempt.Kind.REGISTER, email=email)
    email_registration_link.enqueue(
        contract_number=contract_number,
        birth_date=birth_date.isoformat(),
        email=email,
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )


@task()
def email_registration_link(*, contract_number: str, birth_date: str, email: str, site_url: str) -> bool:
    """Background half of :func:`request_registration`: an activation link (or "your space already
    exists") only to the holder whose contract, birth date and email all match."""
    customer = matching_customer(
        contract_number=contract_number, birth_date=date.fromisoformat(birth_date), email=email
    )
    if customer is None:
        return False
    hours = get_profile().security.activation_link_hours
    if has_account(customer):
        path = reverse("portal:password_forgot")
        template, subject = "already_registered", gettext_lazy("Votre espace client existe déjà")
    else:
        token = issue_link(kind=ACTIVATION, customer=customer, lifetime=timedelta(hours=hours))
        path = reverse("portal:activate", args=[token])
        template, subject = "activation", gettext_lazy("Activez votre espace client")
    link = f"{site_url}{path}" if site_url else absolute_url(path)
    send_email(
        to=customer.email,
        subject=subject,
        template=template,
        context={"customer": customer, "link": link, "hours": hours},
        language=customer.language,
    )
    return True


def activation_customer(token: str) -> Customer:
    link = check_link(kind=ACTIVATION, token=token)
    if link.customer is None:
        raise LinkInvalid()
    return link.customer


def activate_account(*, request: HttpRequest, token: str, raw: str) -> User:
    """Set the first password from an activation link (single use); the account is active and signed in."""
    customer = activation_customer(token)
    check_password_policy(raw)
    with transaction.atomic():
        consume_link(kind=ACTIVATION, token=token)
        return open_account(request=request, customer=customer, raw=raw, via="self_registration")
