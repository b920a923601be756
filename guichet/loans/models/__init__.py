"""Contracts, their schedules and the double-entry ledger that records every movement of money."""

from .contracts import Contract, Participant, ScheduleLine, ScheduleVersion
from .ledger import Account, JournalEntry, Posting
from .positions import ContractPosition

__all__ = [
    "Account",
    "Contract",
    "ContractPosition",
    "JournalEntry",
    "Participant",
    "Posting",
    "ScheduleLine",
    "ScheduleVersion",
]
