"""The daily direct-debit run, pre-notifications and the import of rejected debits (R-transactions).

* ``run_direct_debits(on=D)``: every amount the ledger shows as fallen due on D (the installment-due
  entry servicing posted, less what was already paid; ``collectable``) of an open contract with an
  active mandate is collected: one pain.008 (EUR, SEPA Core, validated against the XSD) or one
  local CSV (XPF), and a payment entry posted as *pending* (status of ``DirectDebit``) that settles
  those due accounts. An installment servicing has not made due is not collected. One
  ``DirectDebit`` per (contract, due date): a re-run collects nothing twice. Everything in one
  transaction: a file that fails its XSD leaves nothing posted.
* The business day does the same on several workers and still sends **one file per date**:
  ``open_day_batch(on=D)`` when its debit step is planned, ``post_debit_part`` per chunk of
  contracts (its own transaction; the part is validated against the XSD, not written), then
  ``write_day_file(on=D)``, its next step, writes the file of every debit the chunks posted.
* ``import_returns(data)``: each rejected debit is marked with its R-code, its payment entry is
  reversed (kind ``payment_return``) so the installment is owed again, i.e. in arrears, and the
  contract becomes delinquent. Replaying a file changes nothing.
* ``send_pre_notifications(on=D)``: the notice of amount and date of each debit due on D + 14
  days (EPC rulebook default; the contracts of the demo lenders agree no shorter delay), delivered
  into the documents inbox.
"""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.credit import Money
from guichet.documents.rendering import render_pdf
from guichet.documents.services import deliver_document
from guichet.lenders.formatting import format_day
from guichet.lenders.profile import LenderProfile, get_profile
from guichet.loans.invariants import check_balances
from guichet.loans.models import Contract, JournalEntry, Participant, Posting, ScheduleLine
from guichet.loans.services import EntrySpec, insert_rows, post_entries
from guichet.loans.services.ledger import contract_account, lender_account
from guichet.memory import cyclic_gc_paused

from ..errors import PaymentsError
from ..models import DebitBatch, DirectDebit, Mandate, PreNotification
from ..returns import R_CODES, ReturnFileInvalid, ReturnLine, parse_returns
from ..sepa import Collection, Creditor, build_local_csv, build_pain008
from .collectable import PARTS, Collectable, collectable

NOTICE_DAYS = 14
ACTIVE = (Contract.Status.OPEN, Contract.Status.DELINQUENT)


@dataclass(frozen=True)
class DebitRun:
    on: date
    batch: DebitBatch | None
    count: int
    total: Money | None
    path: Path | None


def _due_lines(
    on: date, first_id: int | None = None, last_id: int | None = None
) -> list[tuple[ScheduleLine, Mandate]]:
    """Installments the schedule will make due on ``on`` (pre-notifications announce them ahead)."""
    lines = ScheduleLine.objects.all()
    if first_id is not None and last_id is not None:
        lines = lines.filter(contract_id__gte=first_id, contract_id__lte=last_id)
    lines = (
        lines.filter(
            due_on=on,
            contract__current_schedule=F("version"),
            contract__status__in=ACTIVE,
            contract__payment_method__in=[
                Contract.PaymentMethod.DIRECT_DEBIT,
                Contract.PaymentMethod.LOCAL_DEBIT,
            ],
        )
        .exclude(contract__direct_debits__due_on=on)
        .select_related("contract")
        .order_by("contract__number")
    )
    lines = list(lines)
    mandates = {
        m.contract_id: m
        for m in Mandate.objects.filter(
            contract_id__in=[ln.contract_id for ln in lines], status=Mandate.Status.ACTIVE
        )
    }
    return [(ln, mandates[ln.contract_id]) for ln in lines if ln.contract_id in mandates]


def _payment_lines(due: Collectable) -> list[tuple[str, Money]]:
    c = due.contract
    cur = c.currency_obj  # once per debit, not once per line (a run builds 400 000 lines)
    return [
        (lender_account("clearing", c.currency), Money(due.total_minor, cur)),
        *((contract_account(c, part), Money(-amount, cur)) for part, amount in due.parts.items()),
    ]


def _collection(due: Collectable, e2e: str) -> Collection:
    mandate = due.mandate
    return Collection(
        end_to_end_id=e2e,
        mandate_reference=mandate.reference,
        mandate_signed_on=mandate.signed_on,
        debtor_name=mandate.holder_name,
        iban=mandate.iban,
        bic=mandate.bic,
        amount_minor=due.total_minor,
        sequence_type="RCUR" if mandate.first_collected_on else "FRST",
        description=_description(due.number, due.contract.number),
    )


def _description(installment: int, contract_number: str) -> str:
    return f"Echeance {installment} contrat {contract_number}"


def _write(name: str, data: bytes) -> Path:
    folder = Path(settings.VAR_DIR) / "debits"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


@cyclic_gc_paused()  # a run of 100 000 keeps millions of objects alive: no full GC passes (guichet.memory)
def run_direct_debits(*, on: date) -> DebitRun:
    """Collect what the ledger shows due on ``on`` (see the module docstring) in one transaction and
    one file; idempotent. The business day does the same on several workers: ``open_day_batch``,
    ``post_debit_part`` per chunk, then ``write_day_file``."""
    profile = get_profile()
    due = collectable(on=on)
    if not due:
        return DebitRun(on, None, 0, None, None)
    total_minor = sum(d.total_minor for d in due)
    with transaction.atomic():
        batch = _new_batch(
            profile, on, status=DebitBatch.Status.SENT, count=len(due), total_minor=total_minor
        )
        data = _post(profile, batch, on, due)
        path = _write(batch.file_name, data)
    return DebitRun(on, batch, len(due), Money(total_minor, profile.currency), path)


def open_day_batch(*, on: date) -> DebitBatch:
    """The open batch of ``on`` (created if none): the business day's chunks post into it, its last step
    writes its one file. Called when the debit step is planned, under the day's lock, so chunks never
    race to create it (one open batch per date and channel, ``payments_one_open_batch_per_date``)."""
    profile = get_profile()
    channel = _channel(profile)
    open_ = DebitBatch.objects.filter(
        collection_on=on, channel=channel, status=DebitBatch.Status.OPEN
    ).first()
    return open_ or _new_batch(profile, on, status=DebitBatch.Status.OPEN, count=0, total_minor=0)


@cyclic_gc_paused()
def post_debit_part(*, on: date, first_id: int, last_id: int) -> int:
    """Post the debits of the contracts ``first_id``..``last_id`` due on ``on`` into the day's open batch
    (one chunk of the business day); returns how many. No file is written: the part is built and
    validated against its XSD so that a mandate the bank would refuse fails its chunk, not the day's
    file, and ``write_day_file`` writes the one file once every chunk is in."""
    profile = get_profile()
    due = collectable(on=on, first_id=first_id, last_id=last_id)
    if not due:
        return 0
    with transaction.atomic():
        batch = _open_batch_shared(on, _channel(profile))
        if batch is None:
            raise PaymentsError(
                f"Aucun lot de prélèvements ouvert pour le {on:%d/%m/%Y} : l'étape des prélèvements"
                " l'ouvre quand elle est planifiée (open_day_batch)."
            )
        _post(profile, batch, on, due)
    return len(due)


def write_day_file(*, on: date) -> DebitRun:
    """Write the one file of the day's open batch: every debit its chunks posted, in contract order,
    validated against the XSD; the batch is then *sent* with its count and total. Nothing to do when
    no batch is open (already written, or nothing was due); an open batch that collected nothing is
    deleted (no empty file goes to the bank). Safe to repeat: a killed write leaves the batch open."""
    profile = get_profile()
    with transaction.atomic():
        batch = (
            DebitBatch.objects.select_for_update()
            .filter(collection_on=on, channel=_channel(profile), status=DebitBatch.Status.OPEN)
            .first()
        )
        if batch is None:
            return DebitRun(on, None, 0, None, None)
        rows = batch.debits.order_by("contract__number").values_list(*_FILE_COLUMNS)
        collections = [
            Collection(e2e, ref, signed_on, holder, iban, bic, amount, sequence, _description(n, number))
            for e2e, ref, signed_on, holder, iban, bic, amount, sequence, n, number in rows.iterator(5000)
        ]
        if not collections:
            batch.delete()
            return DebitRun(on, None, 0, None, None)
        path = _write(batch.file_name, _collection_file(profile, on, collections))
        batch.count, batch.total_minor = len(collections), sum(c.amount_minor for c in collections)
        batch.status = DebitBatch.Status.SENT
        batch.save(update_fields=["count", "total_minor", "status"])
    return DebitRun(on, batch, batch.count, Money(batch.total_minor, profile.currency), path)


def _open_batch_shared(on: date, channel: str) -> DebitBatch | None:
    """The open batch of ``on``, locked ``FOR KEY SHARE`` on PostgreSQL: chunks post into it side by
    side, and ``write_day_file`` (``FOR UPDATE``) waits until they commit, so no debit lands in a batch
    whose file is already written. Django's ``select_for_update`` has no shared mode."""
    table = DebitBatch._meta.db_table
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE collection_on = %s AND channel = %s AND status = %s{lock}",  # noqa: S608
            [on, channel, DebitBatch.Status.OPEN.value],
        )
        row = cursor.fetchone()
    return DebitBatch.objects.get(pk=row[0]) if row else None


_FILE_COLUMNS = (
    "end_to_end_id",
    "mandate__reference",
    "mandate__signed_on",
    "mandate__holder_name",
    "mandate__iban",
    "mandate__bic",
    "amount_minor",
    "sequence_type",
    "installment_number",
    "contract__number",
)


def _new_batch(profile: LenderProfile, on: date, *, status: str, count: int, total_minor: int) -> DebitBatch:
    stamp = f"{on:%Y%m%d}-{secrets.token_hex(4).upper()}"
    return DebitBatch.objects.create(
        status=status,
        channel=_channel(profile),
        collection_on=on,
        message_id=f"GUI-{stamp}",
        currency=profile.currency.code,
        count=count,
        total_minor=total_minor,
        file_name=f"pain008-{stamp}.xml" if profile.uses_sepa else f"local-debit-{stamp}.csv",
    )


def _post(profile: LenderProfile, batch: DebitBatch, on: date, due: list[Collectable]) -> bytes:
    """Post ``due`` into ``batch`` (debits, payment entries, mandates) and return their file, built and
    validated against its XSD; checks the balances and the foreign keys before returning. Raises,
    and the caller's transaction rolls back, if the file or a check fails."""
    day, iso = f"{on:%Y%m%d}", on.isoformat()  # formatted once, not twice per debit
    keys = {d.contract.pk: (f"GUI{day}{d.contract.number}", f"dd:{d.contract.number}:{iso}") for d in due}
    collections = [_collection(d, keys[d.contract.pk][0]) for d in due]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="collection-file") as pool:
        _record_debits(batch=batch, on=on, due=due, keys=keys, file_name=batch.file_name)
        # The file is written and validated in a second thread while the database checks what
        # was just posted, time this thread only waits (issue 14: 2 s of 100 000 debits hidden
        # behind 6 s of checks). Its inputs are frozen values and it touches no database;
        # anything it raises comes out of ``result()`` here, and the transaction rolls back.
        built = pool.submit(_collection_file, profile, on, collections)
        # A debit never takes more than what is due; it credits the due accounts and no other.
        check_balances((d.contract.pk for d in due), kinds=PARTS)
        _check_constraints_now()
        return built.result()


def _check_constraints_now() -> None:
    """Run the transaction's deferred foreign-key checks now rather than at its commit, then defer
    again what follows.

    Django declares foreign keys ``DEFERRABLE INITIALLY DEFERRED``: PostgreSQL checks each new row's
    references when the transaction commits, about 5 µs a row, 5.4 s for the 1.1 million references
    of 100 000 debits (entries, postings, debits). Checking them here lets them run while the
    collection file is built. Every deferrable constraint of the schema is initially deferred
    (``tests/integration/payments/test_debit_run_pg.py`` checks it), so ``ALL DEFERRED`` gives a
    caller's transaction back the deferral it had.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _channel(profile: LenderProfile) -> str:
    """A SEPA lender's file is a pain.008, any other's the local CSV."""
    return "sepa" if profile.uses_sepa else "local"


def _collection_file(profile: LenderProfile, on: date, collections: list[Collection]) -> bytes:
    """The file's bytes: a pain.008 validated against its XSD for a SEPA lender, else the local CSV."""
    if profile.uses_sepa:
        creditor = Creditor(
            profile.legal_name[:70],
            profile.sepa_creditor_iban,
            profile.sepa_creditor_bic,
            profile.sepa_creditor_id,
        )
        return build_pain008(creditor=creditor, collection_on=on, collections=collections)
    return build_local_csv(collection_on=on, collections=collections)


def _record_debits(
    *,
    batch: DebitBatch,
    on: date,
    due: list[Collectable],
    keys: dict[int, tuple[str, str]],
    file_name: str,
) -> None:
    """One DirectDebit and one pending payment entry per debit; mandates marked first-collected."""
    rows = [
        (
            d.contract.pk,
            d.mandate.pk,
            batch.pk,
            on,
            d.number,
            d.total_minor,
            d.contract.currency,
            keys[d.contract.pk][0],
            "RCUR" if d.mandate.first_collected_on else "FRST",
            DirectDebit.Status.PENDING.value,
            keys[d.contract.pk][1],
            "",
        )
        for d in due
    ]
    insert_rows(DirectDebit, _DEBIT_FIELDS, rows)  # COPY: instances were 0.3 s of a chunk (issue 14)
    Mandate.objects.filter(pk__any={d.mandate.pk for d in due}, first_collected_on__isnull=True).update(
        first_collected_on=on
    )
    post_entries(
        [
            EntrySpec(
                keys[d.contract.pk][1],
                JournalEntry.Kind.PAYMENT,
                on,
                d.contract,
                _payment_lines(d),
                memo=f"Prélèvement échéance {d.number} ({file_name})",
            )
            for d in due
        ]
    )


_DEBIT_FIELDS = (
    "contract",
    "mandate",
    "batch",
    "due_on",
    "installment_number",
    "amount_minor",
    "currency",
    "end_to_end_id",
    "sequence_type",
    "status",
    "entry_key",
    "return_code",
)


@dataclass(frozen=True)
class ReturnImport:
    rejected: int
    already: int


@cyclic_gc_paused()
def import_returns(*, data: bytes, default_on: date | None = None) -> ReturnImport:
    """Mark the debits listed in a return file as rejected and reverse their payments (idempotent).

    The whole file is refused (nothing written) when it names a debit Guichet never sent.
    """
    lines = parse_returns(data, default_on=default_on or timezone.localdate())
    by_e2e = {ln.end_to_end_id: ln for ln in lines}
    with transaction.atomic():
        debits = {
            d.end_to_end_id: d
            for d in DirectDebit.objects.select_for_update(of=("self",))
            .filter(end_to_end_id__in=list(by_e2e))
            .select_related("contract")
        }
        unknown = sorted(set(by_e2e) - set(debits))
        if unknown:
            raise ReturnFileInvalid(
                f"Unknown debits in the return file (nothing imported): {', '.join(unknown[:10])}."
            )
        todo = [d for d in debits.values() if d.status != DirectDebit.Status.REJECTED]
        postings = _payment_postings([d.entry_key for d in todo])
        specs = []
        for d in todo:
            ret = by_e2e[d.end_to_end_id]
            entry_id, lines = postings[d.entry_key]
            specs.append(
                EntrySpec(
                    f"return:{d.end_to_end_id}",
                    JournalEntry.Kind.PAYMENT_RETURN,
                    ret.returned_on,
                    d.contract,
                    [(code, d.contract.money(-amount)) for code, amount in lines],
                    memo=f"Rejet {ret.reason_code} {R_CODES[ret.reason_code]}",
                    reverses_id=entry_id,
                )
            )
        post_entries(specs)
        check_balances({d.contract_id for d in todo})
        _mark_rejected(todo, by_e2e)
        Contract.objects.filter(pk__in={d.contract_id for d in todo}, status=Contract.Status.OPEN).update(
            status=Contract.Status.DELINQUENT
        )
    return ReturnImport(len(todo), len(debits) - len(todo))


def _payment_postings(keys: list[str]) -> dict[str, tuple[int, list[tuple[str, int]]]]:
    """entry key → (entry id, [(account code, amount)]) in one query, without model instances."""
    found: dict[str, tuple[int, list[tuple[str, int]]]] = {}
    rows = Posting.objects.filter(entry__idempotency_key__in=keys).values_list(
        "entry__idempotency_key", "entry_id", "account__code", "amount_minor"
    )
    for key, entry_id, code, amount in rows.order_by("pk"):
        found.setdefault(key, (entry_id, []))[1].append((code, amount))
    return found


def _mark_rejected(debits: list[DirectDebit], by_e2e: dict[str, ReturnLine]) -> None:
    """One UPDATE per (reason, date) and chunk: a return file carries few distinct ones, and
    ``bulk_update``'s CASE per row was half of the import's time (tests/bench/bench_direct_debit.py)."""
    groups: dict[tuple[str, date], list[int]] = {}
    for d in debits:
        ret = by_e2e[d.end_to_end_id]
        groups.setdefault((ret.reason_code, ret.returned_on), []).append(d.pk)
    for (code, on), ids in groups.items():
        for start in range(0, len(ids), 10_000):
            DirectDebit.objects.filter(pk__in=ids[start : start + 10_000]).update(
                status=DirectDebit.Status.REJECTED, return_code=code, returned_on=on
            )


def send_pre_notifications(
    *, on: date, days: int = NOTICE_DAYS, first_id: int | None = None, last_id: int | None = None
) -> int:
    """Deliver the notice of each debit due on ``on + days`` (once per debit); returns how many.

    ``first_id``/``last_id`` restrict it to a range of contract ids (a chunk of the business day).
    """
    due_on = on + timedelta(days=days)
    sent = 0
    due = _due_lines(due_on, first_id, last_id)
    # Who was already noticed and each contract's first borrower: two queries for the chunk, not two
    # per debit (issue 14).
    ids = [ln.contract_id for ln, _m in due]
    noticed = set(
        PreNotification.objects.filter(contract_id__any=ids, due_on=due_on).values_list(
            "contract_id", flat=True
        )
    )
    borrowers: dict[int, Any] = {}
    for p in (
        Participant.objects.filter(contract_id__any=ids, role="borrower")
        .select_related("customer")
        .order_by("contract_id", "pk")
    ):
        borrowers.setdefault(p.contract_id, p)
    for ln, mandate in due:
        c = ln.contract
        if c.pk in noticed:
            continue
        borrower = borrowers.get(c.pk)
        if borrower is None:
            continue
        customer = borrower.customer
        pdf = render_pdf(
            template="payments/pdf/pre_notification.html",
            context={
                "contract": c,
                "line": ln,
                "mandate": mandate,
                "amount": c.money(ln.total_due_minor),
                "customer": customer,
                "issued_on": on,  # base.html prints it ("Document établi le …"); it failed without it
            },
            language=customer.language or "fr",
        )
        with transaction.atomic():
            doc = deliver_document(
                customer=customer,
                kind="notice",
                title=_notice_title(due_on, customer.language or "fr"),
                pdf=pdf,
                contract=c,
            )
            PreNotification.objects.create(
                contract=c,
                due_on=due_on,
                amount_minor=ln.total_due_minor,
                currency=c.currency,
                document_id=doc.pk,
            )
        sent += 1
    return sent


def _notice_title(due_on: date, language: str) -> str:
    """The inbox title, in the customer's language like the notice itself."""
    with translation.override(language):
        return _("Avis de prélèvement du %(date)s") % {"date": format_day(due_on, language)}
