"""The lender's business day on PostgreSQL with real Celery workers, against a raw-SQL baseline (issue 14).

For each size N (``GUICHET_BENCH_DAY_SIZES``, default ``10000``, ``10000,100000`` with
``GUICHET_BENCH_SCALE=full``; ``1000000`` for the million) a generator writes N amortizable
contracts of the tariff's products with ``COPY`` (contract, schedule version, two schedule lines —
the installment due on the bench day and the next one — the four contract accounts, the drawdown
entry and its postings, an active SEPA mandate) into a template database. Every run starts from a
fresh copy of it (``CREATE DATABASE … TEMPLATE``):

* **baseline**: one SQL transaction doing the minimum writes of the day — an installment-due entry
  and its postings per contract, a payment entry and its postings, a direct-debit row — with
  ``INSERT … SELECT`` and an ``ANALYZE`` of the fresh entries (no pain.008, no status update, no
  chunking, no position update); each entry's postings in one statement, balance-checked by
  statement like the bulk writer's (``guichet.posting_check``, migration 0006; before 2 December
  2026 it fired the per-row trigger 7 million times at 1 000 000, 8 of its 21 minutes);
* **day, W workers** (``GUICHET_BENCH_DAY_WORKERS``, default ``1,2``): ``manage.py business_worker
  --pool solo`` × W and ``manage.py business_day``: every step, chunks claimed with SKIP LOCKED, each
  debit chunk's part XSD-validated and the day's one pain.008 written and validated by the ``file``
  step, timed from the start command to the day done; printed apart, the time from the debit step's
  start to its file written (the one-file pain.008 of N debits on W workers).

Every contract is due on the bench day (the heaviest day a book can have). Not generated: customers,
revolving lines (the statements step is per contract), payment history. Figures print; nothing fails
on time. Databases: ``$GUICHET_BENCH_DATABASE_URL`` (default ``…/guichet_business_day_bench``) and
``<name>_tpl``/``<name>_empty`` beside it; Redis from ``GUICHET_BROKER_URL`` (default db 14).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from datetime import date
from pathlib import Path

import psycopg

from tests.bench._common import host_speed

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/guichet_business_day_bench"
BROKER = os.environ.get("GUICHET_BROKER_URL", "redis://127.0.0.1:6379/14")
ON = date(2026, 6, 5)
NEXT = date(2026, 7, 5)


def _urls() -> tuple[str, str, str, str]:
    url = os.environ.get("GUICHET_BENCH_DATABASE_URL", DEFAULT_URL)
    server, name = url.rsplit("/", 1)
    return server, name, f"{name}_tpl", f"{name}_empty"


def _admin(server: str, *sql: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        for statement in sql:
            conn.execute(statement)


def _clone(server: str, target: str, template: str) -> None:
    _admin(
        server,
        f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)',
        f'CREATE DATABASE "{target}" TEMPLATE "{template}"',
    )


def _migrated_empty(server: str, empty: str) -> None:
    _admin(server, f'DROP DATABASE IF EXISTS "{empty}" WITH (FORCE)', f'CREATE DATABASE "{empty}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{server}/{empty}",
        "DJANGO_SETTINGS_MODULE": "guichet.settings.test",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def _products() -> list[tuple[str, str]]:
    data = tomllib.loads((ROOT / "data" / "tariffs" / "2022-01-01.toml").read_text(encoding="utf-8"))
    return [(p["code"], p["name"][:120]) for p in data["product"] if p.get("kind") == "amortizable"]


def generate(url: str, n: int) -> None:
    """N contracts due on ``ON`` with everything the day reads, written with COPY (ids 1…N)."""
    products = _products()
    now = "2026-01-05 10:00:00+00"
    with psycopg.connect(url) as conn, conn.cursor() as cur:

        def copy(table: str, columns: str, rows) -> None:
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)

        numbers = [f"{5_000_000_000 + i}" for i in range(1, n + 1)]
        copy(
            "loans_contract",
            "id, number, kind, product_code, product_name, currency, principal_minor, debit_rate, taeg,"
            " term_months, start_on, first_due_on, debit_day, status, signed_at, opened_at, payment_method,"
            " bank_account_masked, insurance_kind, insurance_monthly_minor, revolving_speed, created_at",
            (
                (
                    i,
                    numbers[i - 1],
                    "amortizable",
                    *products[i % len(products)],
                    "EUR",
                    1_000_000,
                    "0.048000",
                    "0.049100",
                    48,
                    "2026-01-05",
                    "2026-02-05",
                    5,
                    "open",
                    now,
                    now,
                    "direct_debit",
                    "",
                    "",
                    0,
                    "",
                    now,
                )
                for i in range(1, n + 1)
            ),
        )
        copy(
            "loans_scheduleversion",
            "id, number, reason, created_at, contract_id",
            ((i, 1, "bench", now, i) for i in range(1, n + 1)),
        )
        cur.execute("UPDATE loans_contract SET current_schedule_id = id")
        copy(
            "loans_scheduleline",
            "id, number, due_on, installment_minor, interest_minor, principal_minor, insurance_minor,"
            " balance_after_minor, contract_id, version_id",
            (
                row
                for i in range(1, n + 1)
                for row in (
                    (2 * i - 1, 5, ON, 22_939, 3_123, 19_816, 0, 900_000, i, i),
                    (2 * i, 6, NEXT, 22_939, 3_044, 19_895, 0, 880_105, i, i),
                )
            ),
        )
        parts = (
            ("principal", "principal"),
            ("due:principal", "principal_due"),
            ("due:interest", "interest_due"),
        )
        parts += (("due:insurance", "insurance_due"),)
        copy(
            "loans_account",
            "id, code, kind, currency, contract_id",
            (
                (4 * (i - 1) + k + 1, f"contract:{numbers[i - 1]}:{part}", kind, "EUR", i)
                for i in range(1, n + 1)
                for k, (part, kind) in enumerate(parts)
            ),
        )
        clearing = 4 * n + 1
        copy(
            "loans_account",
            "id, code, kind, currency",
            [
                (clearing, "clearing:EUR", "clearing", "EUR"),
                (clearing + 1, "income:interest:EUR", "interest_income", "EUR"),
                (clearing + 2, "payable:insurance:EUR", "insurance_payable", "EUR"),
            ],
        )
        copy(
            "loans_journalentry",
            "id, idempotency_key, kind, effective_on, created_at, memo, fingerprint, contract_id",
            (
                (i, f"drawdown:{numbers[i - 1]}", "drawdown", "2026-01-05", now, "bench", "bench", i)
                for i in range(1, n + 1)
            ),
        )
        copy(
            "loans_posting",
            "id, amount_minor, currency, account_id, entry_id",
            (
                row
                for i in range(1, n + 1)
                for row in (
                    (2 * i - 1, 1_000_000, "EUR", 4 * (i - 1) + 1, i),
                    (2 * i, -1_000_000, "EUR", clearing, i),
                )
            ),
        )
        copy(
            "payments_mandate",
            "id, reference, creditor_id, channel, holder_name, iban, bic, signed_on, status,"
            " first_collected_on, created_at, contract_id",
            (
                (
                    i,
                    f"GUI-{numbers[i - 1]}-01-BENCH",
                    "FR72ZZZ123456",
                    "sepa",
                    f"Camille Bench{i}",
                    "FR7630006000011234567890189",
                    "AGRIFRPP",
                    "2026-01-05",
                    "active",
                    "2026-02-05",
                    now,
                    i,
                )
                for i in range(1, n + 1)
            ),
        )
        # Each contract's stored position (guichet.loans.services.positions), as a real book has them:
        # the drawdown, nothing due yet, the bench day's line next.
        copy(
            "loans_contractposition",
            "contract_id, principal_minor, principal_due_minor, interest_due_minor, insurance_due_minor,"
            " fees_due_minor, suspense_minor, lent_minor, paid_minor, installments_covered_minor, unpaid,"
            " schedule_version_id, next_line_number, next_due_on, next_amount_minor, updated_at",
            (
                (i, 1_000_000, 0, 0, 0, 0, 0, 1_000_000, 0, 0, "[]", i, 5, ON, 22_939, now)
                for i in range(1, n + 1)
            ),
        )
        for table in (
            "loans_contract",
            "loans_scheduleversion",
            "loans_scheduleline",
            "loans_account",
            "loans_journalentry",
            "loans_posting",
            "payments_mandate",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


BASELINE = """
SELECT set_config('guichet.posting_check', 'statement', false);

INSERT INTO loans_journalentry
       (idempotency_key, kind, effective_on, created_at, memo, fingerprint, contract_id)
SELECT 'due:' || c.number || ':' || l.number || ':1', 'installment_due', l.due_on, now(), 'Échéance',
       md5(c.number || l.due_on), c.id
  FROM loans_scheduleline l JOIN loans_contract c ON c.current_schedule_id = l.version_id
 WHERE l.due_on = %(on)s AND c.status IN ('open', 'delinquent');

INSERT INTO loans_posting (amount_minor, currency, account_id, entry_id)
SELECT x.amount, 'EUR', x.account_id, je.id
  FROM loans_journalentry je
  JOIN loans_contract c ON c.id = je.contract_id
  JOIN loans_scheduleline l ON l.version_id = c.current_schedule_id AND l.due_on = je.effective_on
  JOIN loans_account ap ON ap.contract_id = c.id AND ap.kind = 'principal'
  JOIN loans_account adp ON adp.contract_id = c.id AND adp.kind = 'principal_due'
  JOIN loans_account adi ON adi.contract_id = c.id AND adi.kind = 'interest_due'
  CROSS JOIN LATERAL (VALUES (l.principal_minor, adp.id), (-l.principal_minor, ap.id),
       (l.interest_minor, adi.id), (-l.interest_minor, %(income)s)) x(amount, account_id)
 WHERE je.kind = 'installment_due' AND je.effective_on = %(on)s AND x.amount <> 0;

INSERT INTO payments_debitbatch
       (status, channel, collection_on, message_id, currency, count, total_minor, file_name, created_at)
VALUES ('sent', 'sepa', %(on)s, 'GUI-BASELINE', 'EUR', 0, 0, 'baseline', now());

INSERT INTO loans_journalentry
       (idempotency_key, kind, effective_on, created_at, memo, fingerprint, contract_id)
SELECT 'dd:' || c.number || ':' || je.effective_on, 'payment', je.effective_on, now(), 'Prélèvement',
       md5('dd' || c.number), c.id
  FROM loans_journalentry je JOIN loans_contract c ON c.id = je.contract_id
 WHERE je.kind = 'installment_due' AND je.effective_on = %(on)s;

ANALYZE loans_journalentry;

INSERT INTO loans_posting (amount_minor, currency, account_id, entry_id)
SELECT -p.amount_minor, 'EUR', p.account_id, pay.id
  FROM loans_journalentry pay
  JOIN loans_journalentry due ON due.contract_id = pay.contract_id AND due.kind = 'installment_due'
       AND due.effective_on = pay.effective_on
  JOIN loans_posting p ON p.entry_id = due.id AND p.amount_minor > 0
 WHERE pay.kind = 'payment' AND pay.effective_on = %(on)s
UNION ALL
SELECT SUM(p.amount_minor), 'EUR', %(clearing)s, pay.id
  FROM loans_journalentry pay
  JOIN loans_journalentry due ON due.contract_id = pay.contract_id AND due.kind = 'installment_due'
       AND due.effective_on = pay.effective_on
  JOIN loans_posting p ON p.entry_id = due.id AND p.amount_minor > 0
 WHERE pay.kind = 'payment' AND pay.effective_on = %(on)s
 GROUP BY pay.id;

INSERT INTO payments_directdebit
       (due_on, installment_number, amount_minor, currency, end_to_end_id, sequence_type, status,
        entry_key, return_code, batch_id, contract_id, mandate_id)
SELECT %(on)s, l.number, l.installment_minor + l.insurance_minor, 'EUR', 'GUI' || c.number, 'RCUR', 'pending',
       'dd:' || c.number, '', (SELECT max(id) FROM payments_debitbatch), c.id, m.id
  FROM loans_scheduleline l JOIN loans_contract c ON c.current_schedule_id = l.version_id
  JOIN payments_mandate m ON m.contract_id = c.id AND m.status = 'active'
 WHERE l.due_on = %(on)s;
"""


def baseline(url: str, n: int) -> float:
    with psycopg.connect(url) as conn:
        clearing, income = conn.execute(
            "SELECT (SELECT id FROM loans_account WHERE code = 'clearing:EUR'),"
            " (SELECT id FROM loans_account WHERE code = 'income:interest:EUR')"
        ).fetchone()
        started = time.perf_counter()
        with conn.cursor() as cur:
            for statement in BASELINE.split(";\n"):
                if statement.strip():
                    cur.execute(statement, {"on": ON, "clearing": clearing, "income": income})
        conn.commit()
        took = time.perf_counter() - started
        debits = conn.execute("SELECT count(*) FROM payments_directdebit").fetchone()[0]
    assert debits == n, f"baseline wrote {debits} debits for {n} contracts"
    return took


def day(url: str, n: int, workers: int) -> tuple[float, list[tuple[str, int, float]]]:
    """Start W workers, start the day, wait for it; (seconds, [(step, chunks, seconds)] and last
    ("one file", 1, seconds from the debit step's start to its one pain.008 written))."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guichet.settings.test",
        "DATABASE_URL": url,
        "GUICHET_BROKER_URL": BROKER,
        "GUICHET_TASK_QUEUE": f"guichet-bench-{os.getpid()}",
        "GUICHET_TASKS_EAGER": "0",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "business_worker", "--pool", "solo", "--loglevel", "WARNING"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    try:
        time.sleep(8)  # the workers connect to Redis
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "business_day", "--date", ON.isoformat()],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with psycopg.connect(url, autocommit=True) as conn:
            while True:
                row = conn.execute("SELECT status, error FROM operations_businessday").fetchone()
                if row and row[0] in ("done", "failed"):
                    break
                # Workers that died (a broken checkout, say) would leave the day running for ever.
                assert any(p.poll() is None for p in procs), "every worker exited before the day was done"
                time.sleep(0.5)
            took = time.perf_counter() - started
            assert row[0] == "done", f"the day failed: {row[1]}"
            steps = conn.execute(
                "SELECT name, chunks_total, EXTRACT(EPOCH FROM finished_at - started_at)"
                " FROM operations_steprun ORDER BY position"
            ).fetchall()
            # The day's one pain.008: from the debit step's first chunk to its file written.
            one_file = conn.execute(
                "SELECT EXTRACT(EPOCH FROM f.finished_at - d.started_at) FROM operations_steprun d"
                " JOIN operations_steprun f ON f.day_id = d.day_id AND f.name = 'file'"
                " WHERE d.name = 'debits'"
            ).fetchone()[0]
            sent = "SELECT count(*) FROM payments_debitbatch WHERE status = 'sent'"
            files = conn.execute(sent).fetchone()[0]
            debits = conn.execute("SELECT count(*) FROM payments_directdebit").fetchone()[0]
            dues = conn.execute(
                "SELECT count(*) FROM loans_journalentry WHERE kind = 'installment_due'"
            ).fetchone()[0]
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
    assert debits == n and dues == n, f"{dues} installments and {debits} debits for {n} contracts"
    assert files == 1, f"{files} collection files for one day"
    return took, [(name, chunks, float(s or 0)) for name, chunks, s in steps] + [
        ("one file", 1, float(one_file))
    ]


def main() -> None:
    os.chdir(ROOT)
    server, name, tpl, empty = _urls()
    full = os.environ.get("GUICHET_BENCH_SCALE") == "full"
    default = "10000,100000" if full else "10000"
    sizes = [int(x) for x in os.environ.get("GUICHET_BENCH_DAY_SIZES", default).split(",")]
    workers = [int(x) for x in os.environ.get("GUICHET_BENCH_DAY_WORKERS", "1,2").split(",")]
    print(
        f"business day on PostgreSQL, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f};"
        f" every contract due {ON}"
    )
    # GUICHET_BENCH_DAY_GENERATE_ONLY=1: generate the (single) size into <name>_tpl and keep it;
    # GUICHET_BENCH_DAY_TEMPLATE=<db>: run from that generated template instead of generating (the
    # million takes a quarter of an hour to generate on a loaded machine; it can be made beforehand).
    generate_only = os.environ.get("GUICHET_BENCH_DAY_GENERATE_ONLY") == "1"
    # GUICHET_BENCH_DAY_BASELINE=0: skip the raw-SQL baseline (at a million it takes longer than the
    # day on two workers; the ratio is then left out and the baseline quoted from another run).
    skip_baseline = os.environ.get("GUICHET_BENCH_DAY_BASELINE", "1") == "0"
    given = os.environ.get("GUICHET_BENCH_DAY_TEMPLATE", "")
    t0 = time.perf_counter()
    if not given:
        _migrated_empty(server, empty)
        print(f"  migrated empty database: {time.perf_counter() - t0:.1f} s")
    results = []
    for n in sizes:
        if given:
            tpl = given
            print(f"N = {n:,}: from the template {given}")
        else:
            _clone(server, tpl, empty)
            t0 = time.perf_counter()
            generate(f"{server}/{tpl}", n)
            print(f"N = {n:,}: generated with COPY in {time.perf_counter() - t0:.1f} s", flush=True)
        if generate_only:
            return
        if skip_baseline:  # GUICHET_BENCH_DAY_BASELINE=0: its figure comes from an earlier run
            base = float("nan")
        else:
            _clone(server, name, tpl)
            load = os.getloadavg()[0]
            base = baseline(f"{server}/{name}", n)
            print(
                f"  raw-SQL baseline (minimum writes, one transaction): {base:7.1f} s"
                f"  {n / base:9,.0f} contracts/s  (load {load:.1f} → {os.getloadavg()[0]:.1f})",
                flush=True,
            )
        for w in workers:
            _clone(server, name, tpl)
            load = os.getloadavg()[0]
            took, steps = day(f"{server}/{name}", n, w)
            (*steps, (_, _, one_file)) = steps
            detail = ", ".join(f"{s} {sec:.1f}s/{c}" for s, c, sec in steps if c)
            print(
                f"  business day, {w} worker(s): {took:7.1f} s  {n / took:9,.0f} contracts/s"
                f"  ({took / base:.1f}× baseline, load {load:.1f} → {os.getloadavg()[0]:.1f})  [{detail}]",
                f"\n    its one pain.008 of {n:,} debits, posted and XSD-validated: {one_file:.1f} s"
                f" (debit step on {w} worker(s), then the file step; host speed {host_speed():.2f} s)",
                flush=True,
            )
            results.append((n, w, took, base))
    print("summary (contracts/s; scaling = 2 workers / 1 worker):")
    for n in sizes:
        rates = {w: n / took for m, w, took, _ in results if m == n}
        scaling = f"{rates[2] / rates[1]:.2f}" if 1 in rates and 2 in rates else "-"
        print(
            f"  N = {n:>9,}: "
            + ", ".join(f"{w} worker(s) {r:,.0f}/s" for w, r in rates.items())
            + f", scaling {scaling}"
        )
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not given:
        _admin(server, f'DROP DATABASE IF EXISTS "{tpl}" WITH (FORCE)')


if __name__ == "__main__":
    main()
