"""Opening contracts: schedule stored, drawdown posted, usury refused with nothing written."""

import dataclasses
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from guichet.credit import EUR, Money, amortization_schedule
from guichet.loans.errors import ContractNotRepaid, CreditLimitExceeded, InvariantBroken, UsuryExceeded
from guichet.loans.models import Contract, JournalEntry, Participant, Posting, ScheduleLine
from guichet.loans.selectors import balance_of, schedule_of
from guichet.loans.services import (
    close_contract,
    draw_revolving,
    open_revolving,
    replace_schedule,
)
from tests.factories import make_contract, make_customer, make_seed_lease

pytestmark = pytest.mark.django_db


def test_open_contract_stores_the_schedule_and_posts_the_drawdown():
    borrower, co_borrower = make_customer(), make_customer()
    contract = make_contract(borrower, "12000.00", 60, co_borrower=co_borrower)
    lines = list(contract.schedule_lines.order_by("number"))
    assert len(contract.number) == 10 and contract.number.isdigit()
    assert contract.status == Contract.Status.OPEN
    assert len(lines) == 60
    assert sum(line.principal_minor for line in lines) == 1_200_000  # principal repaid == principal lent
    assert lines[0].due_on == date(2026, 2, 10)
    drawdown = JournalEntry.objects.get(contract=contract, kind="drawdown")
    assert sorted(p.amount_minor for p in drawdown.postings.all()) == [-1_200_000, 1_200_000]
    roles = dict(Participant.objects.filter(contract=contract).values_list("customer_id", "role"))
    assert roles == {borrower.pk: "borrower", co_borrower.pk: "co_borrower"}
    assert balance_of(contract).outstanding_principal == Money.of("12000.00", EUR)


def test_a_usurious_taeg_is_refused_and_nothing_is_written():
    # 20 % on 10 000 € in January 2026: above the 8.67 % ceiling for loans over 6 000 € (data/usury).
    with pytest.raises(UsuryExceeded, match="usure"):
        make_contract(debit_rate="0.20")
    assert Contract.objects.count() == 0
    assert JournalEntry.objects.count() == Posting.objects.count() == ScheduleLine.objects.count() == 0
    assert Participant.objects.count() == 0


def _rebuilt_from(contract, number: int, first_due_on: date):
    """Rows ``number``..n rebuilt on other dates from the balance before ``number`` (same total principal)."""
    before = contract.schedule_lines.get(number=number - 1).balance_after_minor
    rebuilt = amortization_schedule(
        principal=Money(before, EUR),
        debit_rate=Decimal("0.0938"),
        term_months=contract.schedule_lines.filter(number__gte=number).count(),
        first_due_on=first_due_on,
    )
    return [dataclasses.replace(r, number=r.number + number - 1) for r in rebuilt.rows]


def test_replacing_the_schedule_keeps_past_lines_and_the_old_version():
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    old_version = contract.current_schedule
    rows = _rebuilt_from(contract, 5, date(2026, 6, 20))
    version = replace_schedule(
        contract=contract, schedule=SimpleNamespace(rows=rows), reason="Changement de date"
    )
    contract.refresh_from_db()
    assert contract.current_schedule == version and version.number == 2
    lines = list(version.lines.order_by("number"))
    assert [ln.number for ln in lines] == list(range(1, 13))  # 4 kept (Feb–May) + 8 rebuilt
    assert [ln.due_on.day for ln in lines] == [10] * 4 + [20] * 8
    assert sum(ln.principal_minor for ln in lines) == 600_000
    assert old_version.lines.count() == 12


def test_lines_are_carried_by_number_so_a_moved_installment_is_not_kept_twice():
    # Issue 9: moving the debit day from the 10th to the 20th kept the old 10/06 line beside 20/06.
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    rows = _rebuilt_from(contract, 5, date(2026, 6, 20))
    replace_schedule(contract=contract, schedule=SimpleNamespace(rows=rows), reason="Changement de date")
    contract.refresh_from_db()
    dates = [ln.due_on for ln in contract.current_schedule.lines.order_by("number")]
    assert date(2026, 6, 10) not in dates and len(dates) == 12


def test_a_replacement_that_loses_principal_is_refused_and_writes_nothing():
    contract = make_contract(amount="6000.00", term_months=12, debit_rate="0.0938")
    wrong = amortization_schedule(
        principal=Money.of("4000.00", EUR),
        debit_rate=Decimal("0.0938"),
        term_months=6,
        first_due_on=date(2026, 6, 10),
    )
    rows = [dataclasses.replace(r, number=r.number + 4) for r in wrong.rows]
    with pytest.raises(InvariantBroken, match="capital prêté"):
        replace_schedule(contract=contract, schedule=SimpleNamespace(rows=rows), reason="Erreur")
    contract.refresh_from_db()
    assert contract.current_schedule.number == 1 and contract.schedule_versions.count() == 1


def test_a_contract_with_money_owed_cannot_be_closed():
    contract = make_contract()
    with pytest.raises(ContractNotRepaid):
        close_contract(contract=contract)


def test_lease_keeps_the_seed_rents_first_117992_then_92992_xpf():
    # Seed 003: LOA starting 04/06/2027, rents on the 15th: 117 992 XPF then 92 992 XPF.
    contract = make_seed_lease(make_customer(), start_on=date(2027, 6, 4), first_due_on=date(2027, 6, 15))
    rents = [v.total_due.minor for v in schedule_of(contract, on=date(2027, 6, 4))]
    assert rents[:3] == [117_992, 92_992, 92_992] and len(rents) == 37
    assert balance_of(contract, on=date(2027, 6, 4)).percent_repaid == Decimal("0.00")


def test_revolving_drawdowns_stay_within_the_limit():
    contract = open_revolving(
        product_code="accessio",
        limit=Money.of("5000.00", EUR),
        start_on=date(2026, 1, 5),
        customers=[make_customer()],
        debit_rate=Decimal("0.0938"),
    )
    draw_revolving(contract=contract, amount=Money.of("3500.00", EUR), on=date(2026, 1, 6), key="draw-1")
    with pytest.raises(CreditLimitExceeded):
        draw_revolving(contract=contract, amount=Money.of("1500.01", EUR), on=date(2026, 1, 7), key="draw-2")
    assert balance_of(contract).outstanding_principal == Money.of("3500.00", EUR)
