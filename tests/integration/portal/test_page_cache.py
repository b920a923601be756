"""Fragment caching of the customer pages (issue 15): cached, yet never stale and never someone else's.

The test settings cache nothing (a test's transaction never commits); these tests turn on the
local-memory cache — and Redis, when it runs on 127.0.0.1:6379, under a prefix of their own — and
let every write commit for real (``transaction=True``), since a customer's version stamp is renewed
when the change commits.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
import redis
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.customers.page_cache import STAMP_KEY, stamp_for
from guichet.documents.services import deliver_document
from guichet.loans.models import ScheduleLine
from guichet.loans.services import post_installment_due, post_payment
from guichet.operations.servicing import age_arrears, post_installments
from tests.factories import make_contract, make_user

from .helpers import page_text

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: stamps are renewed on commit
TODAY = date(2026, 6, 20)  # contracts start 2026-01-10: five installments (Feb–Jun 10) have fallen due
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _redis_running() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The cache on (as in the demo, and as in production), emptied of this test's keys afterwards."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    if request.param == "redis":
        if not _redis_running():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        backend = {
            "BACKEND": "guichet.customers.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    settings.CACHES = {"default": {**backend, "KEY_PREFIX": prefix}}
    yield request.param
    if request.param == "redis":  # only this test's keys: the Redis database is shared
        client = redis.Redis(host="127.0.0.1", port=6379, db=1)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _unmasked(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|data-csrf=)"[^"]*"', r"\1", page)


def _queries(client, path: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_a_page_read_again_comes_from_the_cache(client, page_cache):
    user = make_user()
    contract = make_contract(user.customer)
    client.force_login(user)
    for path in (
        reverse("portal:dashboard"),
        reverse("portal:contract", args=[contract.number]),
        reverse("portal:payments"),
        reverse("portal:documents"),
    ):
        first, cold = _queries(client, path)
        again, warm = _queries(client, path)
        assert _unmasked(again) == _unmasked(first)  # the same page but for the per-request CSRF masks
        assert warm < cold, path  # the cards, calendar, history or list were not computed again
    # The dashboard read again: the session, then the user with their customer (CustomerBackend).
    assert _queries(client, reverse("portal:dashboard"))[1] == 2


def test_a_posting_shows_on_every_page_at_once(client, page_cache):
    user = make_user()
    contract = make_contract(user.customer)
    client.force_login(user)
    dashboard, page = reverse("portal:dashboard"), reverse("portal:contract", args=[contract.number])
    assert "Montant de mes impayés 0,00 €" in page_text(client.get(dashboard).content.decode())
    assert "arrears-ok" in client.get(page).content.decode()
    lines = list(ScheduleLine.objects.filter(version_id=contract.current_schedule_id, due_on__lt=TODAY))
    for line in lines:  # each posting commits
        post_installment_due(contract=contract, line=line)
    text = page_text(client.get(dashboard).content.decode())
    assert "Montant de mes impayés 0,00 €" not in text and "Montant de mes impayés" in text
    contract_page = client.get(page).content.decode()
    assert "arrears-bad" in contract_page and "arrears-ok" not in contract_page
    for line in lines:
        amount = contract.money(line.total_due_minor)
        post_payment(contract=contract, amount=amount, on=line.due_on, key=f"p{line.pk}")
    assert "Montant de mes impayés 0,00 €" in page_text(client.get(dashboard).content.decode())
    contract_page = client.get(page).content.decode()
    assert "arrears-ok" in contract_page and "arrears-bad" not in contract_page


def test_the_business_days_bulk_postings_show_at_once(client, page_cache):
    """The business day posts through the bulk writer (COPY and one UPDATE of the positions on
    PostgreSQL), which sends no ORM signal: it must renew the customers' stamps itself."""
    user = make_user()
    contract = make_contract(user.customer)
    client.force_login(user)
    dashboard = reverse("portal:dashboard")
    assert "Montant de mes impayés 0,00 €" in page_text(client.get(dashboard).content.decode())
    due_days = ScheduleLine.objects.filter(
        version_id=contract.current_schedule_id, due_on__lt=TODAY
    ).values_list("due_on", flat=True)
    for on in sorted(due_days):  # each day's chunk commits, as a worker's does
        assert post_installments(on, contract.pk, contract.pk) == 1
    text = page_text(client.get(dashboard).content.decode())
    assert "Montant de mes impayés 0,00 €" not in text and "Montant de mes impayés" in text


def test_the_business_days_status_changes_renew_the_stamp(page_cache):
    """Ageing arrears changes a contract's status by UPDATE (no ORM signal): the customer's pages change."""
    user = make_user()
    contract = make_contract(user.customer)
    for line in ScheduleLine.objects.filter(version_id=contract.current_schedule_id, due_on__lt=TODAY):
        post_installment_due(contract=contract, line=line)
    before = stamp_for(user.customer.pk)
    assert age_arrears(TODAY, contract.pk, contract.pk) == 1  # open → delinquent
    assert stamp_for(user.customer.pk) != before


def test_a_new_document_and_reading_it_show_at_once(client, page_cache):
    user = make_user()
    client.force_login(user)
    inbox, dashboard = reverse("portal:documents"), reverse("portal:dashboard")
    assert "Aucun document pour le moment" in client.get(inbox).content.decode()
    assert "badge-count" not in client.get(dashboard).content.decode()  # the navigation's unread count
    doc = deliver_document(
        customer=user.customer, kind="funding_confirmation", title="Avis du 20 juin", pdf=PDF, notify=False
    )
    page = client.get(inbox).content.decode()
    assert "Avis du 20 juin" in page and "Nouveau" in page
    assert "badge-count" in client.get(dashboard).content.decode()
    assert client.get(reverse("portal:document", args=[doc.pk])).status_code == 200  # opened: read
    page = client.get(inbox).content.decode()
    assert "Avis du 20 juin" in page and "Nouveau" not in page
    assert "badge-count" not in client.get(dashboard).content.decode()


def test_a_language_switch_shows_the_page_in_the_new_language(client, page_cache):
    user = make_user(language="fr")
    contract = make_contract(user.customer)
    client.force_login(user)
    page = reverse("portal:contract", args=[contract.number])
    assert "Calendrier de remboursement" in client.get(page).content.decode()
    assert "Prêts actifs" in client.get(reverse("portal:dashboard")).content.decode()
    client.cookies["django_language"] = "en"  # the cookie only: the customer's stamp does not change
    english = client.get(page).content.decode()
    assert "Calendrier de remboursement" not in english and "Repayment calendar" in english
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert "Prêts actifs" not in dashboard and "Active loans" in dashboard


def test_a_customer_never_sees_another_customers_fragment(client, page_cache):
    alice, bob = make_user(), make_user()
    alices, bobs = make_contract(alice.customer), make_contract(bob.customer)
    for user, mine, theirs in ((alice, alices, bobs), (bob, bobs, alices)):
        client.force_login(user)
        for path in (reverse("portal:dashboard"), reverse("portal:payments")):
            page = client.get(path).content.decode()
            assert mine.number in page and theirs.number not in page
        assert client.get(reverse("portal:contract", args=[theirs.number])).status_code == 404
        page = client.get(reverse("portal:contract", args=[mine.number])).content.decode()
        assert mine.number in page and theirs.number not in page
        client.logout()


def test_the_stamp_is_renewed_only_when_the_change_commits(page_cache):
    from django.core.cache import cache

    user = make_user()
    contract = make_contract(user.customer)
    key = STAMP_KEY.format(user.customer.pk)
    cache.set(key, "before", timeout=None)
    line = ScheduleLine.objects.filter(version_id=contract.current_schedule_id).order_by("number").first()
    with transaction.atomic():
        post_installment_due(contract=contract, line=line)
        assert cache.get(key) == "before"  # a page rendered now reads the old data under the old stamp
    assert cache.get(key) not in (None, "before")
    cache.set(key, "again", timeout=None)
    with pytest.raises(RuntimeError), transaction.atomic():  # rolled back: nothing changed
        post_payment(contract=contract, amount=contract.money(100), on=TODAY, key="rolled-back")
        raise RuntimeError
    assert cache.get(key) == "again"


def test_pages_are_served_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "guichet.customers.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/1",
        }
    }
    user = make_user()
    contract = make_contract(user.customer)
    client.force_login(user)
    assert client.get(reverse("portal:dashboard")).status_code == 200
    page = client.get(reverse("portal:contract", args=[contract.number])).content.decode()
    assert contract.number in page and "Calendrier de remboursement" in page


def test_a_cached_header_carries_each_browsers_own_csrf_token(page_cache):
    from django.test import Client

    user = make_user()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    second.force_login(user)  # the same customer in another browser: another CSRF cookie
    dashboard = reverse("portal:dashboard")
    first.get(dashboard)  # the header is now cached
    page = second.get(dashboard).content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1 and "guichet-csrf" not in page
    # The language form of the cached header posts with this browser's token (a stored token: 403).
    response = second.post(
        reverse("set_language"), {"language": "en", "next": dashboard, "csrfmiddlewaretoken": tokens.pop()}
    )
    assert response.status_code == 302
