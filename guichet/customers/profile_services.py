"""Changes a customer makes to their own profile: personal details, email and mobile phone.

Written by the customer-space engineer (portal "Mon profil"). An email or phone change needs two
codes bound to the NEW value: one sent to the new channel (proves it works and is theirs) and a
step-up code on the current mobile (proves the account holder asks; by email when no mobile is
known). Both are checked before anything changes; the old address is told afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.notifications import send_email

from . import phones
from .codes import IssuedCode, issue_code, verify_code
from .events import record_event
from .exceptions import CustomerSecurityError
from .identity import identity_verified
from .models import Customer, User
from .signin import end_other_access

PERSONAL_FIELDS = (
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "family_situation",
    "professional_situation",
)


class ProfileChangeError(CustomerSecurityError):
    """The change asked for cannot be made; ``str(error)`` says why."""


class IdentityNotVerified(ProfileChangeError):
    """Email and mobile changes stay locked until staff approved the identity documents."""


def require_identity_verified(customer: Customer) -> None:
    """Refuse a change of the channels codes are sent to before the identity is verified (seed 000).

    Whoever holds only a password must not be able to move the email and the mobile to themselves.
    """
    if not identity_verified(customer):
        raise IdentityNotVerified(
            _(
                "Vous pourrez modifier votre email et votre mobile dès que vos justificatifs d'identité "
                "auront été validés (rubrique « Mes justificatifs »)."
            )
        )


@dataclass(frozen=True)
class PendingChange:
    """The two codes sent for an email or phone change (plaintext codes are never kept)."""

    new_value: str
    to_new: IssuedCode
    step_up: IssuedCode


def update_personal_details(
    *, customer: Customer, request: HttpRequest | None = None, **values: str
) -> Customer:
    """Save address and family/professional situation; the audit trail lists the fields changed."""
    unknown = set(values) - set(PERSONAL_FIELDS)
    if unknown:
        raise ProfileChangeError(_("Champs inconnus : %(f)s.") % {"f": ", ".join(sorted(unknown))})
    fam = values.get("family_situation", customer.family_situation)
    pro = values.get("professional_situation", customer.professional_situation)
    if fam and fam not in Customer.FamilySituation.values:
        raise ProfileChangeError(_("Situation familiale inconnue."))
    if pro and pro not in Customer.ProfessionalSituation.values:
        raise ProfileChangeError(_("Situation professionnelle inconnue."))
    changed = [f for f, v in values.items() if getattr(customer, f) != v]
    if not changed:
        return customer
    with transaction.atomic():
        for field, value in values.items():
            setattr(customer, field, value.strip())
        customer.save(update_fields=changed)
        record_event(user=customer.user, kind="profile_updated", request=request, fields=changed)
    return customer


def normalize_phone(raw: str) -> str:
    """E.164 form of a mobile number typed in national or international form (region from the lender)."""
    try:
        return phones.normalize_phone(raw)
    except phones.InvalidPhone as exc:
        raise ProfileChangeError(str(exc)) from None


def _step_up(*, user: User, customer: Customer, purpose: str, bound_to: str) -> IssuedCode:
    channel = "sms" if customer.phone else "email"
    return issue_code(user=user, purpose=f"{purpose}_step_up", bound_to=bound_to, channel=channel)


def start_email_change(*, user: User, customer: Customer, new_email: str) -> PendingChange:
    """Send a code to ``new_email`` and a step-up code to the current mobile, both bound to it."""
    require_identity_verified(customer)
    new_email = new_email.strip().lower()
    try:
        validate_email(new_email)
    except ValidationError:
        raise ProfileChangeError(_("Cette adresse email n'est pas valide.")) from None
    if new_email == user.email.lower():
        raise ProfileChangeError(_("C'est déjà votre adresse email."))
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        # Same words as any refusal elsewhere would leak accounts; this one is the customer's own session.
        raise ProfileChangeError(_("Cette adresse email ne peut pas être utilisée."))
    to_new = issue_code(user=user, purpose="email_change", bound_to=new_email, channel="email", to=new_email)
    step = _step_up(user=user, customer=customer, purpose="email_change", bound_to=new_email)
    return PendingChange(new_email, to_new, step)


def confirm_email_change(
    *,
    user: User,
    customer: Customer,
    new_email: str,
    code: str,
    step_up_code: str,
    request: HttpRequest | None = None,
) -> None:
    """Check both codes, then switch the sign-in and contact email and tell the old address."""
    require_identity_verified(customer)
    verify_code(user=user, purpose="email_change", bound_to=new_email, code=code)
    verify_code(user=user, purpose="email_change_step_up", bound_to=new_email, code=step_up_code)
    old = user.email
    with transaction.atomic():
        if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
            raise ProfileChangeError(_("Cette adresse email ne peut pas être utilisée."))
        user.email = new_email
        user.save(update_fields=["email"])
        customer.email = new_email
        customer.save(update_fields=["email"])
        record_event(user=user, kind="email_changed", request=request)
        end_other_access(user=user, request=request)
    _notice_old_email(old=old, new_email=new_email, language=user.language)


def _notice_old_email(*, old: str, new_email: str, language: str) -> None:
    send_email(
        to=old,
        subject=gettext_lazy("Votre adresse email a été modifiée"),
        template="email_changed",
        context={"new_email": new_email, "at": timezone.now()},
        language=language,
    )


def start_phone_change(*, user: User, customer: Customer, new_phone: str) -> PendingChange:
    """Send a code by SMS to ``new_phone`` and a step-up code to the current mobile, both bound to it."""
    require_identity_verified(customer)
    phone = normalize_phone(new_phone)
    if phone == customer.phone:
        raise ProfileChangeError(_("C'est déjà votre numéro de mobile."))
    to_new = issue_code(user=user, purpose="phone_change", bound_to=phone, channel="sms", to=phone)
    step = _step_up(user=user, customer=customer, purpose="phone_change", bound_to=phone)
    return PendingChange(phone, to_new, step)


def confirm_phone_change(
    *,
    user: User,
    customer: Customer,
    new_phone: str,
    code: str,
    step_up_code: str,
    request: HttpRequest | None = None,
) -> None:
    """Check both codes, then save the new mobile number and tell the customer by email."""
    require_identity_verified(customer)
    verify_code(user=user, purpose="phone_change", bound_to=new_phone, code=code)
    verify_code(user=user, purpose="phone_change_step_up", bound_to=new_phone, code=step_up_code)
    with transaction.atomic():
        customer.phone = new_phone
        customer.save(update_fields=["phone"])
        record_event(user=user, kind="phone_changed", request=request)
        end_other_access(user=user, request=request)


def set_preferred_language(*, user: User, customer: Customer | None, language: str) -> None:
    """The language of the space and of every email and document sent to the customer."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ProfileChangeError(_("Langue non disponible."))
    with transaction.atomic():
        user.language = language
        user.save(update_fields=["language"])
        if customer is not None:
            customer.language = language
            customer.save(update_fields=["language"])
