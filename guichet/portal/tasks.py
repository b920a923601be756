"""Registry of "a task awaits you" items shown on the dashboard ("⚠ Une tâche vous attend").

Other apps register a provider at start-up (in their ``AppConfig.ready``)::

    from guichet.portal.tasks import PendingTask, register_task_provider
    register_task_provider(lambda customer: [PendingTask(title=..., url=..., kind="signature")])

A provider takes a ``Customer`` and returns a list of ``PendingTask``; it must run a fixed
number of queries whatever the customer holds, since the dashboard's query count is tested.

A **task source** (``register_task_source``) is cheaper: it gives a query of ``(ref, detail)``
text rows and a function turning its rows into tasks, and ``pending_tasks_for`` reads every
source in **one** query (a UNION ALL), which is how the KYC and signature tasks are found
(issue 15: the tasks box took four queries and two transactions).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingTask:
    """Something the customer must do: shown with a "Continuer" link to ``url``."""

    title: str
    url: str
    kind: str = "task"
    detail: str = ""


TaskProvider = Callable[[object], list[PendingTask]]
_providers: list[TaskProvider] = []


def register_task_provider(fn: TaskProvider) -> TaskProvider:
    """Add ``fn`` to the providers (idempotent, so a double ``ready()`` does not list tasks twice)."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister_task_provider(fn: TaskProvider) -> None:
    if fn in _providers:
        _providers.remove(fn)


@dataclass(frozen=True)
class TaskSource:
    """``rows(customer)``: a query of two text columns named ``ref`` and ``detail`` (and an
    optional ``sort`` text column); ``build(rows)`` turns its rows into tasks."""

    kind: str
    rows: Callable[[object], QuerySet]
    build: Callable[[list[tuple[str, str]]], list[PendingTask]]


_sources: dict[str, TaskSource] = {}


def register_task_source(source: TaskSource) -> TaskSource:
    """Add (or replace, by kind) a source read in the dashboard's single tasks query."""
    _sources[source.kind] = source
    return source


def _source_query(source: TaskSource, customer) -> QuerySet:
    rows = source.rows(customer).order_by()
    fields = {"t_kind": Value(source.kind, output_field=CharField())}
    fields["t_ref"] = Cast("ref", CharField())
    fields["t_detail"] = Cast("detail", CharField())
    fields["t_sort"] = Cast("sort", CharField()) if "sort" in rows.query.annotations else Value("")
    return rows.annotate(**fields).values_list("t_kind", "t_sort", "t_ref", "t_detail")


def _guarded(run: Callable[[], list], what: object, customer) -> list | None:
    """``run()``, or None when it fails (logged): one broken app must not take the dashboard down."""
    try:
        if connection.in_atomic_block:  # a failed query would abort the enclosing transaction
            with transaction.atomic():
                return run()
        return run()
    except Exception:
        logger.exception("Task provider %r failed for customer %s", what, getattr(customer, "pk", None))
        return None


def _from_sources(customer) -> list[PendingTask]:
    sources = list(_sources.values())
    if not sources:
        return []
    queries = [_source_query(s, customer) for s in sources]

    def together() -> list:
        union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
        return list(union)

    rows = _guarded(together, "task sources", customer)
    if rows is None:  # one source's query failed: each alone, so that one hides only its own tasks
        rows = []
        for q in queries:
            rows.extend(_guarded(lambda q=q: list(q), "task source", customer) or [])
    by_kind: dict[str, list[tuple[str, str, str]]] = {}
    for kind, sort, ref, detail in rows:
        by_kind.setdefault(kind, []).append((sort, ref, detail))
    tasks: list[PendingTask] = []
    for source in sources:
        found = sorted(by_kind.get(source.kind, []))
        tasks.extend(source.build([(ref, detail) for _sort, ref, detail in found]))
    return tasks


def pending_tasks_for(customer) -> list[PendingTask]:
    """Every source's tasks (one query), then every provider's; a failure hides its tasks, not the page."""
    tasks = _from_sources(customer)
    for provider in list(_providers):
        tasks.extend(_guarded(lambda provider=provider: provider(customer), provider, customer) or [])
    return tasks
