"""The servicing steps of the business day, set-based: a chunk of contracts in a few queries.

Each function takes the business date and a range of contract ids (one chunk) and returns how many
things it wrote. Installments go to the ledger through the bulk writer (``loans.services.post_entries``,
COPY on PostgreSQL) with the keys and fingerprints ``post_installment_due`` uses, so entries from
either path are the same entries and a chunk run twice posts nothing twice. Each ``plan_*`` lists,
in id order, only the contracts that have something to do that day.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from guichet.customers.page_cache import touch_contracts
from guichet.documents.statements import deliver_statement
from guichet.loans.models import Account, Contract, JournalEntry, Posting, ScheduleLine
from guichet.loans.services import (
    EntrySpec,
    apply_suspense,
    contract_account,
    lender_account,
    post_entries,
)
from guichet.loans.services.revolving import close_revolving_statements

ACTIVE = (Contract.Status.OPEN, Contract.Status.DELINQUENT)
DUE = JournalEntry.Kind.INSTALLMENT_DUE
K = Account.Kind
DUE_KINDS = (K.INTEREST_DUE, K.INSURANCE_DUE, K.PRINCIPAL_DUE, K.FEES_DUE)


def _lines_due(on: date):
    """Current-schedule lines due on ``on`` of active contracts not yet posted for that date."""
    posted = JournalEntry.objects.filter(contract_id=OuterRef("contract_id"), kind=DUE, effective_on=on)
    return ScheduleLine.objects.filter(
        due_on=on, version_id=F("contract__current_schedule_id"), contract__status__in=ACTIVE
    ).exclude(Exists(posted))


def plan_installments(on: date) -> list[int]:
    return list(_lines_due(on).order_by("contract_id").values_list("contract_id", flat=True))


_ENTRY_FIELDS = ("id", "number", "currency")


def post_installments(on: date, first_id: int, last_id: int) -> int:
    """Make the chunk's installments due on ``on`` (bulk), then use any overpayment waiting in suspense."""
    # Contracts already posted are read apart, not anti-joined: the entries of this very step make the
    # planner's estimate of "installments due today" stale within minutes, and the anti-join then
    # became a nested loop over them all (134 s for the 48th chunk of 100 000 instead of ~5 s).
    posted = set(
        JournalEntry.objects.filter(
            contract_id__gte=first_id, contract_id__lte=last_id, kind=DUE, effective_on=on
        ).values_list("contract_id", flat=True)
    )
    rows = ScheduleLine.objects.filter(
        contract_id__gte=first_id,
        contract_id__lte=last_id,
        due_on=on,
        version_id=F("contract__current_schedule_id"),
        contract__status__in=ACTIVE,
    ).values_list(
        "contract_id",
        "contract__number",
        "contract__currency",
        "number",
        "version__number",
        "principal_minor",
        "interest_minor",
        "insurance_minor",
    )
    specs = []
    for cid, number, cur, line_no, version_no, principal, interest, insurance in rows:
        if cid in posted:
            continue
        # The three fields an entry reads, the others deferred: Contract(pk=…) ran the defaults of its
        # thirty fields, 0.2 s of Python per 2 000-contract chunk (issue 14).
        c = Contract.from_db(rows.db, _ENTRY_FIELDS, (cid, number, cur))
        m = c.money
        specs.append(
            EntrySpec(
                key=f"due:{number}:{line_no}:{version_no}",
                kind=DUE,
                effective_on=on,
                contract=c,
                memo=f"Échéance n° {line_no} du {on:%d/%m/%Y}",
                lines=[
                    (contract_account(c, "due:principal"), m(principal)),
                    (contract_account(c, "principal"), -m(principal)),
                    (contract_account(c, "due:interest"), m(interest)),
                    (lender_account("income:interest", cur), -m(interest)),
                    (contract_account(c, "due:insurance"), m(insurance)),
                    (lender_account("payable:insurance", cur), -m(insurance)),
                ],
            )
        )
    written = post_entries(specs)
    for contract in _with_suspense([s.contract.pk for s in specs]):
        apply_suspense(contract=contract, on=on, key=f"suspense:{contract.number}:{on.isoformat()}")
    return written


def _with_suspense(contract_ids: list[int]) -> list[Contract]:
    """Contracts among these holding an overpayment (a credit balance on their suspense account)."""
    if not contract_ids:
        return []
    holding = (
        Posting.objects.filter(account__contract_id__any=contract_ids, account__kind=K.SUSPENSE)
        .values("account__contract_id")
        .annotate(total=Sum("amount_minor"))
        .filter(total__lt=0)
        .values_list("account__contract_id", flat=True)
    )
    return list(Contract.objects.filter(pk__in=list(holding)))


def plan_statements(on: date) -> list[int]:
    return list(
        Contract.objects.filter(kind=Contract.Kind.REVOLVING, status__in=ACTIVE, debit_day=on.day)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def post_statements(on: date, first_id: int, last_id: int) -> int:
    """Accrue interest and insurance and close the statements of the chunk's revolving lines whose debit
    day is ``on`` (``loans.services.revolving.close_revolving_statements``: the lines' ledgers in two
    queries, one entry per line), then each statement goes as a PDF into its holders' documents
    (``documents.statements``, once each)."""
    in_range = Contract.objects.filter(
        pk__range=(first_id, last_id), kind=Contract.Kind.REVOLVING, status__in=ACTIVE, debit_day=on.day
    )
    written = close_revolving_statements(contracts=list(in_range), on=on)
    for entry in JournalEntry.objects.filter(contract__in=in_range, kind=DUE, effective_on=on).select_related(
        "contract"
    ):
        deliver_statement(entry=entry)
    return written


_DUE_SQL = """
SELECT a.contract_id,
       SUM(p.amount_minor),
       SUM(CASE WHEN p.amount_minor > 0 AND je.effective_on >= %s THEN p.amount_minor ELSE 0 END)
  FROM {account} a
  JOIN {posting} p ON p.account_id = a.id
  JOIN {entry} je ON je.id = p.entry_id
 WHERE a.contract_id BETWEEN %s AND %s AND a.kind IN ({kinds})
 GROUP BY a.contract_id
"""


def _late(on: date, first_id: int, last_id: int) -> set[int]:
    """Contracts of the range with an amount fallen due strictly before ``on`` and still unpaid.

    Payments settle the oldest dues first (``loans.positions``), so what is unpaid is the newest part
    of what fell due: the arrears are the unpaid total less what fell due on or after ``on``.
    """
    sql = _DUE_SQL.format(
        account=Account._meta.db_table,
        posting=Posting._meta.db_table,
        entry=JournalEntry._meta.db_table,
        kinds=", ".join(["%s"] * len(DUE_KINDS)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, first_id, last_id, *DUE_KINDS])
        return {cid for cid, unpaid, recent in cursor.fetchall() if unpaid - recent > 0}


def plan_active(on: date) -> list[int]:
    """Contracts whose arrears status may change on ``on``: open ones whose stored position has an
    amount unpaid from before ``on``, delinquent ones whose position has none (the chunk then reads
    the ledger itself, ``_late``). Stored positions equal the ledger (``check_positions``); a book
    where nobody is late plans no chunk instead of one per 2 000 active contracts (issue 14)."""
    late = Q(position__oldest_unpaid_on__lt=on)
    candidates = Contract.objects.filter(
        (Q(status=Contract.Status.OPEN) & late) | (Q(status=Contract.Status.DELINQUENT) & ~late)
    )
    return list(candidates.order_by("pk").values_list("pk", flat=True))


def age_arrears(on: date, first_id: int, last_id: int) -> int:
    """Open contracts with arrears become delinquent; delinquent ones with none are cured (2 UPDATEs).

    An installment due today counts as late from tomorrow (README, "Arrears"). The bucket (1-29,
    30-59, 60-89, 90+ days) is read from the oldest unpaid due date by the reminders step.
    """
    late = _late(on, first_id, last_id)
    in_range = Contract.objects.filter(pk__range=(first_id, last_id))
    to_flag = list(in_range.filter(pk__in=late, status=Contract.Status.OPEN).values_list("pk", flat=True))
    to_cure = list(
        in_range.filter(status=Contract.Status.DELINQUENT).exclude(pk__in=late).values_list("pk", flat=True)
    )
    flagged = Contract.objects.filter(pk__in=to_flag).update(status=Contract.Status.DELINQUENT)
    cured = Contract.objects.filter(pk__in=to_cure).update(status=Contract.Status.OPEN)
    touch_contracts([*to_flag, *to_cure])  # an UPDATE sends no signal: their cached pages change
    return flagged + cured


def _closable(on: date):
    """Active instalment contracts whose current schedule has no line after ``on``."""
    later = ScheduleLine.objects.filter(version_id=OuterRef("current_schedule_id"), due_on__gt=on)
    return (
        Contract.objects.filter(status__in=ACTIVE, current_schedule__isnull=False)
        .exclude(kind=Contract.Kind.REVOLVING)
        .exclude(Exists(later))
    )


def plan_closing(on: date) -> list[int]:
    return list(_closable(on).order_by("pk").values_list("pk", flat=True))


_OWED_SQL = """
SELECT a.contract_id, SUM(p.amount_minor)
  FROM {account} a JOIN {posting} p ON p.account_id = a.id
 WHERE a.contract_id BETWEEN %s AND %s AND a.kind IN ({kinds})
 GROUP BY a.contract_id
"""


def close_repaid(on: date, first_id: int, last_id: int) -> int:
    """Close the chunk's contracts that owe nothing more: no principal left, nothing due unpaid."""
    candidates = set(_closable(on).filter(pk__range=(first_id, last_id)).values_list("pk", flat=True))
    if not candidates:
        return 0
    kinds = (K.PRINCIPAL, *DUE_KINDS)
    sql = _OWED_SQL.format(
        account=Account._meta.db_table,
        posting=Posting._meta.db_table,
        kinds=", ".join(["%s"] * len(kinds)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first_id, last_id, *kinds])
        owing = {cid for cid, total in cursor.fetchall() if total}
    lent = set(
        Posting.objects.filter(
            account__contract_id__in=candidates,
            account__kind=K.PRINCIPAL,
            entry__kind=JournalEntry.Kind.DRAWDOWN,
        ).values_list("account__contract_id", flat=True)
    )
    repaid = (candidates & lent) - owing
    touch_contracts(repaid)  # an UPDATE sends no signal: their cached pages change
    return Contract.objects.filter(pk__in=repaid, status__in=ACTIVE).update(
        status=Contract.Status.CLOSED, closed_at=timezone.now()
    )
