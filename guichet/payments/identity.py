"""The identity gate of the payment operations that move money or change where it comes from.

Until staff approved the customer's identity documents (``guichet.onboarding.kyc``), changing bank
details and confirming an early repayment are refused: a stolen password alone must not be enough
to redirect debits or trigger a payout instruction. Quotes and simulations stay open.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from guichet.onboarding.kyc import identity_verified

from .errors import IdentityNotVerified


def require_identity_verified(customer) -> None:  # type: ignore[no-untyped-def]
    """Raise ``IdentityNotVerified`` unless the customer's identity documents were approved."""
    if not identity_verified(customer):
        raise IdentityNotVerified(
            _(
                "Cette opération sera possible dès que vos justificatifs d'identité auront été validés "
                "(pièce d'identité et justificatif de domicile, rubrique « Mes justificatifs »)."
            )
        )
