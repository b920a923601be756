"""Refusals of the payments services, each with a message the customer or the operator can act on."""

from __future__ import annotations

from guichet.errors import GuichetError


class PaymentsError(GuichetError):
    """Base of every refusal by the payments services."""

    code = "refused"


class MandateRefused(PaymentsError):
    """The mandate cannot be created or changed (bad bank details, no SEPA for this lender...)."""


class EarlyRepaymentRefused(PaymentsError):
    """The early repayment asked for is not possible (amount over payoff, date in the past...)."""


class DebitDateRefused(PaymentsError):
    """The new debit day is outside the lender's limits."""


class TransferRefused(PaymentsError):
    """The scheduled transfer is not valid."""


class PostingRefused(PaymentsError):
    """The money received does not match the instruction (reference unknown, other amount...)."""


class IdentityNotVerified(PaymentsError):
    code = "identity_not_verified"
    """The customer's identity documents are not approved yet: sensitive payment operations stay locked."""
