"""Mobile numbers as people type them: read in the lender's region, stored and compared in E.164.

"06 12 34 56 02" on the French lender and "75.12.34" on the New Caledonian one are the numbers
+33612345602 and +687751234; a number that cannot be a phone number is refused with a message.
"""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _

from guichet.lenders.profile import get_profile

from .exceptions import CustomerSecurityError


class InvalidPhone(CustomerSecurityError):
    def __init__(self) -> None:
        message = _("Ce numéro de téléphone n'est pas valide. Exemple : %(example)s.")
        super().__init__(message % {"example": example_mobile()})


def normalize_phone(raw: str) -> str:
    """E.164 form of a number typed in national form (region of the lender) or international form."""
    try:
        number = phonenumbers.parse(raw, get_profile().country)
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def example_mobile() -> str:
    """A mobile number of the lender's region written the local way ("06 12 34 56 78", "75.12.34")."""
    region = get_profile().country
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if number else ""
