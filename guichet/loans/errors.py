"""Errors raised by the loans services, with messages a person can act on."""

from __future__ import annotations

from guichet.errors import GuichetError


class LoansError(GuichetError):
    """Base of every refusal by the loans services."""

    code = "loan_refused"


class LedgerError(LoansError):
    """The ledger refused an entry."""

    code = "ledger_error"


class UnbalancedEntry(LedgerError):
    """The postings of an entry do not sum to zero."""


class IdempotencyConflict(LedgerError):
    """An idempotency key was reused with a different payload."""


class AlreadyReversed(LedgerError):
    """The entry already has a reversal."""


class UsuryExceeded(LoansError):
    """The TAEG is above the usury ceiling in force for this amount and date."""


class ContractRefused(LoansError):
    """The contract cannot be opened with these terms."""


class CreditLimitExceeded(LoansError):
    """A revolving drawdown goes beyond the available amount."""


class ContractNotRepaid(LoansError):
    """A contract with money still owed cannot be closed."""


class ContractNotActive(LoansError):
    """The operation needs an open (or delinquent) contract."""


class InvariantBroken(LoansError):
    """An operation would leave a contract inconsistent (see ``guichet.loans.invariants``)."""
