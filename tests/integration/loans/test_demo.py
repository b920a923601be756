"""The demo data: both lenders get the promised mix of contracts, with balances from the ledger."""

import io
from decimal import Decimal

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


@pytest.mark.parametrize(("profile", "sheet"), [("fr", "2022-01-01"), ("nc", "nc-2022-01-01")])
def test_every_demo_contract_carries_the_rate_of_its_lenders_tariff(profile, sheet):
    """Issue 9 / issue 16: a demo viewer sees contracts priced at the lender's own sheet — the rate its
    tariff gives for the product, amount and term on the opening date (the NC loans were at 6,50 % on
    1 500 000 XPF where the NC sheet gives 4,80 %). The lease's rate is the one its rents imply: next
    test."""
    from django.conf import settings

    from guichet.catalogue.selectors import product_terms, revolving_tiers
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / f"{sheet}.toml")  # demo_setup loads it first
    demo.seed(profile=profile, stdout=io.StringIO())
    checked = 0
    for contract in Contract.objects.exclude(kind="lease"):
        amount = contract.money(contract.principal_minor)
        if contract.kind == "revolving":
            rates = {t.debit_rate for t in revolving_tiers(contract.product_code, on=contract.start_on)}
            assert contract.debit_rate in rates, (contract.product_code, contract.debit_rate, rates)
        else:
            terms = product_terms(
                product_code=contract.product_code,
                amount=amount,
                term_months=contract.term_months,
                on=contract.start_on,
            )
            assert contract.debit_rate == terms.debit_rate, (contract.number, amount, contract.debit_rate)
        checked += 1
    assert checked >= 3


def test_the_demo_lease_rents_imply_the_nc_sheets_loa_rate():
    """Seed 003's rents are kept; the financed amount (ours) makes them the sheet's LOA rate and TAEG
    to the tariff's two decimals (with 3 500 000 XPF financed they implied 10,15 %, TAEG 10,63 %)."""
    from django.conf import settings

    from guichet.catalogue.selectors import product_terms
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "nc-2022-01-01.toml")
    demo.seed(profile="nc", stdout=io.StringIO())
    lease = Contract.objects.get(kind="lease")
    assert [v.total_due.minor for v in schedule_of(lease)][:2] == [117_992, 92_992]  # seed 003
    terms = product_terms(
        product_code=lease.product_code,
        amount=lease.money(lease.principal_minor),
        term_months=lease.term_months,
        on=lease.start_on,
    )
    assert lease.debit_rate.quantize(Decimal("0.0001")) == terms.debit_rate
    assert lease.taeg <= terms.max_taeg
