"""Refusals of origination, each with a message the advisor (or the customer) can act on."""

from guichet.errors import GuichetError


class ApplicationRefused(GuichetError):
    """The application cannot be prepared or put up for signature; the message says why."""

    code = "application_refused"


class OffTariffRate(ApplicationRefused):
    """A debit rate that is not the tariff's, proposed without the reason a supervisor must approve."""


class AssessmentRefused(ApplicationRefused):
    """The creditworthiness assessment cannot be recorded as given (missing evidence, bad figures)."""
