"""Registry of "a task awaits you" items shown on the dashboard ("⚠ Une tâche vous attend").

Other apps register a provider at start-up (in their ``AppConfig.ready``)::

    from guichet.portal.tasks import PendingTask, register_task_provider
    register_task_provider(lambda customer: [PendingTask(title=..., url=..., kind="signature")])

A provider takes a ``Customer`` and returns a list of ``PendingTask``; it must run a fixed
number of queries whatever the customer holds, since the dashboard's query count is tested.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

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


def pending_tasks_for(customer) -> list[PendingTask]:
    """Every provider's tasks for ``customer``; a failing provider hides its tasks, never the page."""
    tasks: list[PendingTask] = []
    for provider in list(_providers):
        try:
            # A savepoint: on PostgreSQL a failed query would otherwise abort the whole request's transaction.
            with transaction.atomic():
                tasks.extend(provider(customer))
        except Exception:  # one broken app must not take the whole dashboard down.
            logger.exception(
                "Task provider %r failed for customer %s", provider, getattr(customer, "pk", None)
            )
    return tasks
