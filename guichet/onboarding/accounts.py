"""Opening a customer's account, the step both routes end with (invitation and self-registration):
create the User from the Customer's email, set the first password under the profile policy, sign in.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from guichet.customers.events import record_event
from guichet.customers.models import Customer, SecurityEvent, User
from guichet.customers.passwords import check_password_policy, set_password
from guichet.customers.signin import complete_login
from guichet.errors import GuichetError


class OnboardingError(GuichetError):
    """The account cannot be opened this way; the message says what to do instead."""

    code = "onboarding_refused"


class EmailTaken(OnboardingError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Un autre compte utilise déjà cette adresse email : "
                "contactez votre conseiller pour la mettre à jour."
            )
        )


class AlreadyActive(OnboardingError):
    def __init__(self) -> None:
        super().__init__(_("Ce client a déjà un espace client actif."))


def has_account(customer: Customer) -> bool:
    user = customer.user
    return user is not None and user.is_active and user.has_usable_password()


def open_account(*, request: HttpRequest, customer: Customer, raw: str, via: str) -> User:
    """Create (or complete) the customer's account with password ``raw`` and open a session."""
    check_password_policy(raw)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        user = customer.user
        if user is None:
            if User.objects.filter(email__iexact=customer.email).exists():
                raise EmailTaken()
            user = User.objects.create_user(
                customer.email, None, role=User.Role.CUSTOMER, language=customer.language
            )
            customer.user = user
            customer.save(update_fields=["user"])
        set_password(user=user, raw=raw)
    record_event(user=user, kind=SecurityEvent.Kind.ACCOUNT_ACTIVATED, request=request, via=via)
    record_event(user=user, kind=SecurityEvent.Kind.PASSWORD_SET, request=request)
    complete_login(request=request, user=user)
    return user
