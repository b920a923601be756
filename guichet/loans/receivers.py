"""The loans app listening to itself: a contract's position follows a change of its current schedule.

``store_schedule`` saves ``Contract.current_schedule`` (opening, early repayment, debit-date
change); the next installment stored in ``ContractPosition`` refers to a schedule line, so it is
recomputed in the same transaction. Postings refresh positions in the ledger writers.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from guichet.loans.models import Contract


@receiver(post_save, sender=Contract, dispatch_uid="loans.position_follows_schedule")
def position_follows_schedule(
    sender: Any, instance: Contract, created: bool, update_fields: Any = None, **_: Any
) -> None:
    if created or instance.current_schedule_id is None:
        return
    if update_fields is not None and "current_schedule" not in update_fields:
        return
    from guichet.loans.services.positions import refresh_positions

    refresh_positions([instance.pk])
