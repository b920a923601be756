"""The daily direct-debit run: what the ledger shows due, collected in one file per date.

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
Pre-notifications are in ``notices``, the import of rejected debits in ``return_import``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum

from guichet.credit import Money
from guichet.lenders.profile import LenderProfile, get_profile
from guichet.loans.invariants import check_balances
from guichet.loans.models import JournalEntry
from guichet.loans.services import EntrySpec, insert_rows, post_entries
from guichet.loans.services.ledger import contract_account, lender_account
from guichet.memory import cyclic_gc_paused

from ..errors import PaymentsError
from ..models import DebitBatch, DebitFilePart, DirectDebit, Mandate
from ..sepa import (
    Collection,
    Creditor,
    build_local_csv,
    build_pain008,
    local_csv_file,
    local_csv_lines,
    pain008_file,
    pain008_part,
)
from .collectable import PARTS, Collectable, collectable

T = TypeVar("T")


@dataclass(frozen=True)
class DebitRun:
    on: date
    batch: DebitBatch | None
    count: int
    total: Money | None
    path: Path | None


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
        description=f"Echeance {due.number} contrat {due.contract.number}",
    )


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
        data = _post(profile, batch, on, due, _collection_file)
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
    (one chunk of the business day); returns how many. No file is written: the chunk's share of it is
    built, validated against the XSD (so a mandate the bank would refuse fails its chunk, not the
    day's file) and kept beside the debits (``DebitFilePart``); ``write_day_file`` joins the shares
    once every chunk is in."""
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
        parts = _post(profile, batch, on, due, _file_part)
        DebitFilePart.objects.bulk_create(
            DebitFilePart(batch=batch, first_contract_id=first_id, key=k, count=n, total_minor=t, text=text)
            for k, text, n, t in parts
        )
    return len(due)


def write_day_file(*, on: date) -> DebitRun:
    """Write the one file of the day's open batch from the shares its chunks kept (in chunk order, so in
    contract-id order), validated against the XSD; the batch is then *sent* with its count and total
    and the shares are dropped. Before writing, the shares must cover exactly the batch's debits
    (count and total), or nothing is written. Nothing to do when no batch is open (already written,
    or nothing was due); an open batch that collected nothing is deleted (no empty file goes to the
    bank). Safe to repeat: a killed write leaves the batch open and its shares in place."""
    profile = get_profile()
    with transaction.atomic():
        batch = (
            DebitBatch.objects.select_for_update()
            .filter(collection_on=on, channel=_channel(profile), status=DebitBatch.Status.OPEN)
            .first()
        )
        if batch is None:
            return DebitRun(on, None, 0, None, None)
        posted = batch.debits.aggregate(n=Count("pk"), total=Sum("amount_minor"))
        groups: dict[str, tuple[list[str], list[int]]] = {}
        for key, text, n, total in batch.parts.order_by("first_contract_id", "pk").values_list(
            "key", "text", "count", "total_minor"
        ):
            texts, sums = groups.setdefault(key, ([], [0, 0]))
            texts.append(text)
            sums[0] += n
            sums[1] += total
        count = sum(n for _, (n, _t) in groups.values())
        total_minor = sum(t for _, (_n, t) in groups.values())
        if (count, total_minor) != (posted["n"], posted["total"] or 0):
            raise PaymentsError(
                f"Le fichier de prélèvements du {on:%d/%m/%Y} n'est pas écrit : ses parts comptent"
                f" {count} débits pour {total_minor}, le lot en porte {posted['n']} pour {posted['total']}."
            )
        if not count:
            batch.delete()
            return DebitRun(on, None, 0, None, None)
        if profile.uses_sepa:
            data = pain008_file(
                creditor=_creditor(profile),
                groups=[(key, "".join(texts), n, t) for key, (texts, (n, t)) in groups.items()],
            )
        else:
            data = local_csv_file(text for texts, _sums in groups.values() for text in texts)
        path = _write(batch.file_name, data)
        batch.parts.all().delete()
        batch.count, batch.total_minor, batch.status = count, total_minor, DebitBatch.Status.SENT
        batch.save(update_fields=["count", "total_minor", "status"])
    return DebitRun(on, batch, count, Money(total_minor, profile.currency), path)


def _open_batch_shared(on: date, channel: str) -> DebitBatch | None:
    """The open batch of ``on``, locked ``FOR KEY SHARE`` on PostgreSQL: chunks post into it side by
    side, and ``write_day_file`` (``FOR UPDATE``) waits until they commit, so no debit lands in a batch
    whose file is already written. Django's ``select_for_update`` has no shared mode."""
    table = DebitBatch._meta.db_table
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    sql = f"SELECT * FROM {table} WHERE collection_on = %s AND channel = %s AND status = %s{lock}"  # noqa: S608
    return next(iter(DebitBatch.objects.raw(sql, [on, channel, DebitBatch.Status.OPEN.value])), None)


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


def _post(
    profile: LenderProfile,
    batch: DebitBatch,
    on: date,
    due: list[Collectable],
    build: Callable[[LenderProfile, date, list[Collection]], T],
) -> T:
    """Post ``due`` into ``batch`` (debits, payment entries, mandates) and return ``build`` of their
    collections (the file, or a chunk's share of it), validated against the XSD; checks the balances
    and the foreign keys before returning. Raises, and the caller's transaction rolls back, if the
    build or a check fails."""
    day, iso = f"{on:%Y%m%d}", on.isoformat()  # formatted once, not twice per debit
    keys = {d.contract.pk: (f"GUI{day}{d.contract.number}", f"dd:{d.contract.number}:{iso}") for d in due}
    collections = [_collection(d, keys[d.contract.pk][0]) for d in due]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="collection-file") as pool:
        _record_debits(batch=batch, on=on, due=due, keys=keys, file_name=batch.file_name)
        # The file is written and validated in a second thread while the database checks what
        # was just posted, time this thread only waits (issue 14: 2 s of 100 000 debits hidden
        # behind 6 s of checks). Its inputs are frozen values and it touches no database;
        # anything it raises comes out of ``result()`` here, and the transaction rolls back.
        built = pool.submit(build, profile, on, collections)
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
        return build_pain008(creditor=_creditor(profile), collection_on=on, collections=collections)
    return build_local_csv(collection_on=on, collections=collections)


def _file_part(
    profile: LenderProfile, on: date, collections: list[Collection]
) -> list[tuple[str, str, int, int]]:
    """A chunk's share of the date's file: (key, text, count, total) per pain.008 PmtInf key, validated
    against the XSD, or one ("local", CSV lines, count, total) for the local channel."""
    if profile.uses_sepa:
        return pain008_part(creditor=_creditor(profile), collection_on=on, collections=collections)
    lines = local_csv_lines(collection_on=on, collections=collections)
    return [("local", lines, len(collections), sum(c.amount_minor for c in collections))]


def _creditor(profile: LenderProfile) -> Creditor:
    return Creditor(
        profile.legal_name[:70],
        profile.sepa_creditor_iban,
        profile.sepa_creditor_bic,
        profile.sepa_creditor_id,
    )


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
