"""Direct-debit run on PostgreSQL: time to build the pain.008 (validated against the XSD) and post the
debits of N contracts due on one day, then to import a return file rejecting all of them.

N = 5 000 by default (about two minutes with setup on two shared cores); ``GUICHET_BENCH_SCALE=full``
runs the issue's 100 000; a number scales the default. The database is
``$GUICHET_BENCH_DATABASE_URL`` or ``postgres://postgres@127.0.0.1:5432/guichet_payments_bench``
(created and migrated here, flushed at each run). The portfolio is bulk-inserted in chunks, with
each contract's due accounts, as a real portfolio has them once an installment has fallen due
(``GUICHET_BENCH_NO_ACCOUNTS=1`` leaves them out, so the run also creates 3 accounts per debit:
the setup of the figures measured before 2026-11-23).
"""

from __future__ import annotations

import os
import time
from datetime import date
from decimal import Decimal

from tests.bench._common import host_speed

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/guichet_payments_bench"
ON = date(2026, 6, 5)
CHUNK = 5000


def _size() -> int:
    raw = os.environ.get("GUICHET_BENCH_SCALE", "1")
    return 100_000 if raw == "full" else max(100, int(5000 * float(raw)))


def _setup_django() -> None:
    url = os.environ.get("GUICHET_BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings.test")
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def _portfolio(n: int) -> None:
    """N open contracts, each with one installment due on ``ON`` (posted) and an active SEPA mandate."""
    from guichet.customers.models import Customer
    from guichet.loans.models import Contract, Participant, ScheduleLine, ScheduleVersion
    from guichet.payments.models import Mandate

    for start in range(0, n, CHUNK):
        ids = range(start, min(n, start + CHUNK))
        customers = Customer.objects.bulk_create(
            Customer(
                reference=f"B{i:09d}",
                first_name="Camille",
                last_name=f"Bench{i}",
                birth_date=date(1980, 1, 1),
                email=f"bench{i}@example.test",
            )
            for i in ids
        )
        contracts = Contract.objects.bulk_create(
            Contract(
                number=f"{5_000_000_000 + i}",
                kind="amortizable",
                product_code="pret-sur-mesure",
                product_name="Prêt Sur Mesure",
                currency="EUR",
                principal_minor=1_000_000,
                debit_rate=Decimal("0.048"),
                taeg=Decimal("0.0491"),
                term_months=48,
                start_on=date(2026, 1, 5),
                first_due_on=date(2026, 2, 5),
                debit_day=5,
                status="open",
            )
            for i in ids
        )
        versions = ScheduleVersion.objects.bulk_create(
            ScheduleVersion(contract=c, number=1, reason="bench") for c in contracts
        )
        for c, v in zip(contracts, versions, strict=True):
            c.current_schedule = v
        Contract.objects.bulk_update(contracts, ["current_schedule"])
        ScheduleLine.objects.bulk_create(
            ScheduleLine(
                contract=c,
                version=v,
                number=5,
                due_on=ON,
                installment_minor=22_939,
                interest_minor=3_123,
                principal_minor=19_816,
                insurance_minor=0,
                balance_after_minor=800_000,
            )
            for c, v in zip(contracts, versions, strict=True)
        )
        if not os.environ.get("GUICHET_BENCH_NO_ACCOUNTS"):
            _accounts(contracts)
        _fall_due(contracts)
        Participant.objects.bulk_create(
            Participant(contract=c, customer=p, role="borrower")
            for c, p in zip(contracts, customers, strict=True)
        )
        Mandate.objects.bulk_create(
            Mandate(
                contract=c,
                reference=f"GUI-{c.number}-01-BENCH",
                creditor_id="FR72ZZZ123456",
                holder_name=f"Camille Bench{k}",
                iban="FR7630006000011234567890189",
                bic="AGRIFRPP",
                signed_on=date(2026, 1, 5),
                first_collected_on=date(2026, 2, 5),
            )
            for k, c in zip(ids, contracts, strict=True)
        )


def _fall_due(contracts: list) -> None:
    """Servicing's part: the installment due on ``ON`` posted to the ledger (the run collects only that),
    after the principal still owed before it (a drawdown entry), so every balance is one a real
    contract can have: the debit run checks the balances it touches before it commits."""
    from guichet.credit import Money, currency
    from guichet.loans.services import EntrySpec, contract_account, lender_account, post_entries

    eur = currency("EUR")
    owed = 800_000 + 19_816  # balance before installment 5
    post_entries(
        [
            EntrySpec(
                f"drawdown:{c.number}",
                "drawdown",
                date(2026, 1, 5),
                c,
                [
                    (contract_account(c, "principal"), Money(owed, eur)),
                    (lender_account("clearing", "EUR"), Money(-owed, eur)),
                ],
            )
            for c in contracts
        ]
        + [
            EntrySpec(
                f"due:{c.number}:5:1",
                "installment_due",
                ON,
                c,
                [
                    (contract_account(c, "due:principal"), Money(19_816, eur)),
                    (contract_account(c, "principal"), Money(-19_816, eur)),
                    (contract_account(c, "due:interest"), Money(3_123, eur)),
                    (lender_account("income:interest", "EUR"), Money(-3_123, eur)),
                ],
            )
            for c in contracts
        ]
    )


def _accounts(contracts: list) -> None:
    """The accounts an installment falling due opens (due principal, interest, insurance)."""
    from guichet.loans.models import Account
    from guichet.loans.services.ledger import _kind_of, contract_account

    Account.objects.bulk_create(
        Account(code=code, kind=_kind_of(code)[0], contract=c, currency="EUR")
        for c in contracts
        for code in (contract_account(c, f"due:{part}") for part in ("principal", "interest", "insurance"))
    )


def _settle() -> None:
    """Leave the freshly loaded book as a real one is when its debit run starts: vacuumed, analysed and
    written out.

    A real book was loaded long before and autovacuum keeps it; this machine's PostgreSQL runs with
    ``autovacuum = off``, so without the VACUUM ANALYZE the run read 100 000 contracts and 500 000
    position rows left dead by the loader, with no statistics (34.9 s instead of 30.5 s on the same
    book vacuumed, 2 December 2026). The CHECKPOINT writes out the pages the load and the vacuum
    dirtied (the whole book, about 2 GB), which the server would otherwise write during the run.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def main() -> None:
    n = _size()
    _setup_django()
    from guichet.loans.models import JournalEntry, Posting
    from guichet.payments.models import DirectDebit
    from guichet.payments.services import import_returns, run_direct_debits

    t0 = time.perf_counter()
    _portfolio(n)
    _settle()
    print(
        f"direct-debit run on PostgreSQL — N = {n} contracts due on {ON}"
        f" (setup {time.perf_counter() - t0:.1f} s; host speed: {host_speed():.2f} s for a fixed"
        " Python loop, lower is faster)"
    )
    t0 = time.perf_counter()
    run = run_direct_debits(on=ON)
    built = time.perf_counter() - t0
    size_mb = run.path.stat().st_size / 1e6
    print(
        f"  pain.008 built + XSD-validated + {run.count} debits posted: {built:7.1f} s"
        f"  ({run.count / built:,.0f} debits/s, file {size_mb:.1f} MB, total {run.total})"
    )
    t0 = time.perf_counter()
    again = run_direct_debits(on=ON)
    print(f"  re-run of the same day (idempotent, {again.count} new):  {time.perf_counter() - t0:7.1f} s")
    e2e = DirectDebit.objects.values_list("end_to_end_id", flat=True)
    data = (
        "end_to_end_id;reason_code;returned_on\n" + "".join(f"{x};AM04;2026-06-08\n" for x in e2e)
    ).encode()
    t0 = time.perf_counter()
    result = import_returns(data=data)
    took = time.perf_counter() - t0
    print(
        f"  return file, {result.rejected} rejects reversed:          {took:7.1f} s"
        f"  ({result.rejected / took:,.0f} returns/s)"
    )
    t0 = time.perf_counter()
    replay = import_returns(data=data)
    print(f"  replay of the return file ({replay.rejected} new):         {time.perf_counter() - t0:7.1f} s")
    print(f"  ledger: {JournalEntry.objects.count()} entries, {Posting.objects.count()} postings")


if __name__ == "__main__":
    main()
