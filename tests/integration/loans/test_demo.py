"""The demo data: both lenders get the promised mix of contracts, with balances from the ledger."""

import io

import pytest
from django.db.models import Sum

from guichet.customers.models import Customer
from guichet.loans import demo
from guichet.loans.invariants import check_contract
from guichet.loans.models import Contract, Posting
from guichet.loans.selectors import balance_of, schedule_of

pytestmark = pytest.mark.django_db


def _statuses():
    return sorted(Contract.objects.values_list("kind", "status"))


def test_french_demo_has_the_promised_mix_and_balanced_entries():
    from django.conf import settings

    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")  # demo_setup loads it first
    demo.seed(profile="fr", stdout=io.StringIO())
    line = Contract.objects.get(kind="revolving")
    # Camille's Accessio: statements drawn up, and a coming one that is not zero.
    assert [v for v in schedule_of(line) if v.status == "paid"]
    assert any(v.status in ("due", "upcoming") and v.total_due.minor > 0 for v in schedule_of(line))
    assert ("amortizable", "closed") in _statuses()
    assert ("amortizable", "delinquent") in _statuses()
    assert ("revolving", "open") in _statuses()
    late = Contract.objects.get(status="delinquent")
    unpaid = [v for v in schedule_of(late) if v.status == "unpaid"]
    assert len(unpaid) == 2 and balance_of(late).arrears.minor == sum(v.total_due.minor for v in unpaid)
    assert Customer.objects.get(reference=demo.FR_SELF_REGISTRATION_REFERENCE).user is None
    assert not Posting.objects.values("entry_id").annotate(t=Sum("amount_minor")).exclude(t=0).exists()
    assert any("Guichet-Demo-2026!" in line for line in demo.summary(profile="fr"))
    for contract in Contract.objects.all():  # issue 9: the demo's contracts keep every invariant
        check_contract(contract)


def test_caledonian_demo_has_the_seed_lease_rents_in_xpf():
    demo.seed(profile="nc", stdout=io.StringIO())
    lease = Contract.objects.get(kind="lease")
    rents = [v.total_due.minor for v in schedule_of(lease)]
    assert lease.currency == "XPF" and rents[:2] == [117_992, 92_992]  # seed 003
    assert Contract.objects.filter(status="delinquent", currency="XPF").count() == 1
    assert Customer.objects.get(reference=demo.NC_INVITED_REFERENCE).user is None
    for contract in Contract.objects.all():  # issue 9: the lease included
        check_contract(contract)
