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

from guichet.customers.exceptions import LinkInvalid
from guichet.customers.links import check_link, consume_link, issue_link
from guichet.customers.models import AccessLink, Customer, LoginAttempt, User
from guichet.customers.passwords import check_password_policy
from guichet.customers.signin import burn_time, check_rate, note_attempt
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
    """Email an activation link when the three facts match a contract holder; otherwise send nothing.
    The caller shows the same neutral message in every case."""
    if not get_profile().self_registration:
        raise RegistrationClosed()
    check_rate(request=request, kind=LoginAttempt.Kind.REGISTER, limit=REGISTER_LIMIT, window=REGISTER_WINDOW)
    note_attempt(request=request, kind=LoginAttempt.Kind.REGISTER, email=email)
    customer = matching_customer(contract_number=contract_number, birth_date=birth_date, email=email)
    # Both branches do one Argon2 verification: an unknown contract used to answer about 4x slower
    # than a known one, which enumerated customers by timing (issue 11, item 2).
    burn_time(email)
    if customer is None:
        return
    hours = get_profile().security.activation_link_hours
    if has_account(customer):
        link = absolute_url(reverse("portal:password_forgot"), request)
        template, subject = "already_registered", gettext_lazy("Votre espace client existe déjà")
    else:
        token = issue_link(kind=ACTIVATION, customer=customer, lifetime=timedelta(hours=hours))
        link = absolute_url(reverse("portal:activate", args=[token]), request)
        template, subject = "activation", gettext_lazy("Activez votre espace client")
    send_email(
        to=customer.email,
        subject=subject,
        template=template,
        context={"customer": customer, "link": link, "hours": hours},
        language=customer.language,
    )


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
