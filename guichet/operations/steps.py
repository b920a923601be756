"""The steps of the business day, in order, each with its plan (who has something to do) and its work.

A step's ``plan(on)`` lists, in id order, the contracts with something to do that day; the engine cuts
that list into chunks of contract-id ranges. A step whose work is not per contract (alerts, reminders,
complaint escalation read their own population) plans one chunk covering everything (``WHOLE``).
``run(on, first_id, last_id)`` does a chunk and returns how many things it wrote. Every ``run`` is
safe to repeat: the ledger's idempotency keys, one debit per contract and date, one notice per debit,
one alert or reminder per key, one file per open batch.

The debits of the day are posted by chunks on every worker into one open batch, then the ``file`` step
writes the day's one collection file (``payments.services.debits``): the bank gets one pain.008 per
date, however many workers posted it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef

from guichet.cards.services import charge_annual_fees
from guichet.documents.renewal import deliver_renewal_notices
from guichet.loans.alerts import send_alerts
from guichet.loans.models import Contract, JournalEntry, ScheduleLine
from guichet.payments.models import DebitBatch, DirectDebit, Mandate, PreNotification
from guichet.payments.services import (
    open_day_batch,
    post_debit_part,
    send_pre_notifications,
    write_day_file,
)
from guichet.payments.services.notices import NOTICE_DAYS
from guichet.support.collections import send_arrears_reminders
from guichet.support.services import escalate_complaints

from . import servicing

WHOLE = [0]  # the plan of a step done in one chunk
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    plan: Callable[[date], list[int]]
    run: Callable[[date, int, int], int]


def _plan_notices(on: date) -> list[int]:
    due_on = on + timedelta(days=NOTICE_DAYS)
    noticed = PreNotification.objects.filter(contract_id=OuterRef("contract_id"), due_on=due_on)
    mandate = Mandate.objects.filter(contract_id=OuterRef("contract_id"), status=Mandate.Status.ACTIVE)
    lines = ScheduleLine.objects.filter(
        due_on=due_on,
        version_id=F("contract__current_schedule_id"),
        contract__status__in=servicing.ACTIVE,
        contract__payment_method__in=(
            Contract.PaymentMethod.DIRECT_DEBIT,
            Contract.PaymentMethod.LOCAL_DEBIT,
        ),
    )
    lines = lines.filter(Exists(mandate)).exclude(Exists(noticed))
    return list(lines.order_by("contract_id").values_list("contract_id", flat=True))


def _notices(on: date, first_id: int, last_id: int) -> int:
    return send_pre_notifications(on=on, first_id=first_id, last_id=last_id)


def _plan_debits(on: date) -> list[int]:
    debited = DirectDebit.objects.filter(contract_id=OuterRef("contract_id"), due_on=on)
    entries = JournalEntry.objects.filter(
        kind=JournalEntry.Kind.INSTALLMENT_DUE,
        effective_on=on,
        contract__status__in=servicing.ACTIVE,
        contract__payment_method__in=(
            Contract.PaymentMethod.DIRECT_DEBIT,
            Contract.PaymentMethod.LOCAL_DEBIT,
        ),
    ).exclude(Exists(debited))
    ids = sorted(set(entries.values_list("contract_id", flat=True)))
    if ids:  # the day's one batch, opened under the day's lock before any chunk runs
        open_day_batch(on=on)
    return ids


def _debits(on: date, first_id: int, last_id: int) -> int:
    return post_debit_part(on=on, first_id=first_id, last_id=last_id)


def _plan_file(on: date) -> list[int]:
    """One chunk when the debit step left an open batch for ``on``: its file is still to write."""
    return (
        WHOLE if DebitBatch.objects.filter(collection_on=on, status=DebitBatch.Status.OPEN).exists() else []
    )


def _file(on: date, _first: int, _last: int) -> int:
    return write_day_file(on=on).count


def _whole(_on: date) -> list[int]:
    return WHOLE


def _alerts(on: date, _first: int, _last: int) -> int:
    return send_alerts(on=on).total


def _revolving_yearly(on: date, _first: int, _last: int) -> int:
    """The yearly duties of revolving lines falling on ``on``: the card annual fee (posted to the line
    before its statement, so it is on it) and the renewal letter three months before the anniversary
    (L312-65). Each is idempotent."""
    return charge_annual_fees(on=on) + deliver_renewal_notices(on=on)


def _collections(on: date, _first: int, _last: int) -> int:
    return send_arrears_reminders(on=on) + len(escalate_complaints(today=on))


STEPS: tuple[Step, ...] = (
    Step("installments", "Échéances exigibles", servicing.plan_installments, servicing.post_installments),
    Step("yearly", "Frais de carte annuels et reconductions", _whole, _revolving_yearly),
    Step(
        "statements",
        "Relevés des crédits renouvelables",
        servicing.plan_statements,
        servicing.post_statements,
    ),
    Step("arrears", "Impayés", servicing.plan_active, servicing.age_arrears),
    Step("notices", "Pré-notifications de prélèvement", _plan_notices, _notices),
    Step("debits", "Prélèvements", _plan_debits, _debits),
    Step("file", "Fichier de prélèvements", _plan_file, _file),
    Step("alerts", "Alertes (échéance, solde)", _whole, _alerts),
    Step("collections", "Relances d'impayés et réclamations", _whole, _collections),
    Step("closing", "Clôture des contrats remboursés", servicing.plan_closing, servicing.close_repaid),
)
BY_NAME = {s.name: s for s in STEPS}
