"""Fragment caching of the customer pages (issue 15): a per-customer version stamp in the cache.

A customer page's costly part (contract cards, calendar, payment history, documents list) is kept
in the cache under a key made of the customer, **their version stamp**, the language, the lender's
date and what the page varies on (``portal/templatetags/page_cache.py`` renders it). Whatever
changes what a customer's pages show gives the customer a new stamp, so the next page is rendered
afresh and the old fragments are never read again (they expire after ``GUICHET_FRAGMENT_SECONDS``):

- money posted: the position refresh that every ledger writer runs in its transaction
  (``loans.services.positions``) calls ``touch_contracts``;
- any row saved or deleted through the ORM that belongs to a customer or a contract (a document
  delivered, a task's KYC or signature record, a mandate, a scheduled transfer, the customer's own
  record…): a ``post_save``/``post_delete`` receiver (``connect_signals``) touches its customer(s);
- a write that bypasses the ORM signals (``QuerySet.update``, ``bulk_create``) must call
  ``touch_customers``/``touch_contracts`` itself (``documents.services.mark_read`` does).

The stamp is written **once the transaction commits** (``transaction.on_commit``): a page rendered
while the change is not yet visible is stored under the old stamp, which is never read again after
the commit, so no one is served a page older than the last commit they could see. The stamp is a
random token, not a counter: a cache that lost it (restart, eviction) simply makes a new one.

The cache is Redis in production (``GUICHET_CACHE_URL``) and local memory in the embedded demo.
With local memory each process has its own stamps: a write made by another process (a Celery
worker, a management command) shows after ``GUICHET_FRAGMENT_SECONDS`` at most (README, Known limits).
If the cache fails, pages are rendered without it (logged), never refused.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

STAMP_KEY = "guichet:pages:{}"
# A stamp outlives every fragment kept under it; one that expired is simply made again (the
# customer's next pages are rendered afresh), so stamps do not pile up for customers long gone.
STAMP_SECONDS = 24 * 3600


def fragment_seconds() -> int:
    return int(getattr(settings, "GUICHET_FRAGMENT_SECONDS", 300))


def _new_token() -> str:
    return uuid.uuid4().hex[:16]


def stamp_for(customer_id: int) -> str | None:
    """The customer's current version stamp (made if the cache has none), or None if the cache fails."""
    key = STAMP_KEY.format(customer_id)
    try:
        stamp = cache.get(key)
        if stamp is None:
            cache.add(key, _new_token(), timeout=max(STAMP_SECONDS, fragment_seconds()))
            stamp = cache.get(key)
    except Exception:
        logger.exception("Page cache unavailable: customer pages rendered without it")
        return None
    return stamp


def _write_stamps(customer_ids: set[int]) -> None:
    if not customer_ids:
        return
    token = _new_token()
    try:
        stamps = {STAMP_KEY.format(cid): f"{token}{cid}" for cid in customer_ids}
        cache.set_many(stamps, timeout=max(STAMP_SECONDS, fragment_seconds()))
    except Exception:  # the fragments then expire by themselves (GUICHET_FRAGMENT_SECONDS)
        logger.exception("Page cache unavailable: %d customers' stamps not renewed", len(customer_ids))


class _Pending(threading.local):
    def __init__(self) -> None:
        self.customers: set[int] = set()
        self.contracts: set[int] = set()
        self.armed: Callable[[], None] | None = None  # the callback waiting for this transaction


_pending = _Pending()


def _flush() -> None:
    customers, contracts = _pending.customers, _pending.contracts
    _pending.customers, _pending.contracts, _pending.armed = set(), set(), None
    if contracts:
        customers |= _customers_of_contracts(contracts)
    _write_stamps(customers)


def _arm() -> None:
    """Register one flush per transaction (again if a rolled-back savepoint dropped it).

    What a rolled-back transaction touched stays pending and is renewed at the next commit: a
    needless new stamp, never a missed one.
    """
    conn = transaction.get_connection()
    armed = _pending.armed
    if armed is not None and conn.in_atomic_block and any(entry[1] is armed for entry in conn.run_on_commit):
        return

    def flush() -> None:
        _flush()

    _pending.armed = flush
    transaction.on_commit(flush)


def touch_customers(customer_ids: Iterable[int | None]) -> None:
    """These customers' pages change when the current transaction commits (now outside one)."""
    ids = {int(i) for i in customer_ids if i is not None}
    if ids:
        _pending.customers |= ids
        _arm()


def _customers_of_contracts(contract_ids: set[int]) -> set[int]:
    participant = apps.get_model("loans", "Participant")
    found: set[int] = set()
    ids = sorted(contract_ids)
    for start in range(0, len(ids), 5000):
        chunk = set(ids[start : start + 5000])  # a set: Django walks a list value by value
        found.update(participant.objects.filter(contract_id__any=chunk).values_list("customer_id", flat=True))
    return found


def touch_contracts(contract_ids: Iterable[int | None]) -> None:
    """The pages of every participant of these contracts change when the transaction commits.

    The participants are looked up once, after the commit (one query per 5 000 contracts), so a
    writer touching thousands of contracts, or saving rows one by one, pays nothing per row.
    """
    ids = {int(i) for i in contract_ids if i is not None}
    if ids:
        _pending.contracts |= ids
        _arm()


# --- Safety net: any ORM save or delete of a row that belongs to a customer or a contract ---

_owner_fields: dict[type, tuple[str | None, str | None]] = {}


def _owners(model: type[models.Model]) -> tuple[str | None, str | None]:
    """(attname of its FK to a customer, attname of its FK to a contract) of ``model``, cached."""
    found = _owner_fields.get(model)
    if found is None:
        customer_field = contract_field = None
        for field in model._meta.concrete_fields:
            if not field.many_to_one or field.related_model is None:
                continue
            label = field.related_model._meta.label
            if label == "customers.Customer" and customer_field is None:
                customer_field = field.attname
            elif label == "loans.Contract" and contract_field is None:
                contract_field = field.attname
        found = _owner_fields[model] = (customer_field, contract_field)
    return found


def _changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures: nothing cached yet to renew
        return
    label = sender._meta.label
    if label == "customers.Customer":
        touch_customers([instance.pk])
        return
    if label == "customers.User":
        touch_customers([getattr(getattr(instance, "customer", None), "pk", None)])
        return
    if label == "loans.Contract":
        touch_contracts([instance.pk])
        return
    customer_field, contract_field = _owners(sender)
    if customer_field:
        touch_customers([getattr(instance, customer_field)])
    if contract_field:
        touch_contracts([getattr(instance, contract_field)])


def connect_signals() -> None:
    """Connect the safety net for every model of a Guichet app (called once, in ``CustomersConfig.ready``)."""
    for model in apps.get_models():
        if not model.__module__.startswith("guichet."):
            continue
        if model._meta.label not in ("customers.Customer", "customers.User", "loans.Contract"):
            customer_field, contract_field = _owners(model)
            if not (customer_field or contract_field):
                continue
        post_save.connect(_changed, sender=model, dispatch_uid=f"page_cache_save_{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"page_cache_delete_{model._meta.label}")
