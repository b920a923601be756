"""Operations after signature keep a contract exact (issue 9): each test reproduces a defect found on
the demo, at a fixed date, with the figures computed by hand from the legal rule it cites.

Sources: Code de la consommation L312-34 (indemnity: at most 1 % of the amount repaid early when more
than a year remains, 0.5 % otherwise, never more than the interest that would have run after the
repayment) and D312-15 (no indemnity while the amounts repaid early over twelve months do not exceed
10 000 €).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from guichet.credit import EUR, XPF, Money
from guichet.credit.dates import add_months
from guichet.loans.invariants import check_balances
from guichet.loans.models import Contract, JournalEntry, ScheduleLine
from guichet.loans.selectors import balance_of
from guichet.loans.services import post_installment_due
from guichet.loans.services.ledger import reverse_entry
from guichet.payments.errors import PostingRefused
from guichet.payments.models import DirectDebit
from guichet.payments.services import (
    change_debit_date,
    create_instruction,
    create_mandate,
    post_received_payment,
    preview_debit_date_change,
    quote_early_repayment,
    request_debit_date_code,
    run_direct_debits,
)
from tests.factories import make_contract, make_customer, make_seed_lease, verify_identity

from .conftest import settle_past_installments

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)  # the lender's date when the defects were found
RATE = Decimal("0.048")


def _cents(x: Decimal) -> int:
    return int((x * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.fixture
def customer(db):
    return verify_identity(make_customer(phone="+33612345678"))


@pytest.fixture
def camille_loan(customer):
    """A 12 000 € Prêt Sur Mesure over 60 months debited on the 5th, paid up to TODAY."""
    contract = make_contract(customer, "12000.00", 60, start_on=date(2025, 11, 5), debit_rate=str(RATE))
    settle_past_installments(contract, TODAY)
    return contract


def _lines(contract) -> list[ScheduleLine]:
    contract.refresh_from_db()
    return list(contract.current_schedule.lines.order_by("number"))


def _code(sms_outbox, customer) -> str:
    text = sms_outbox.last_to(customer.phone)["text"]
    return next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) >= 4)


def test_moving_the_debit_day_moves_the_installments_instead_of_adding_one(
    camille_loan, customer, sms_outbox, mailbox, django_capture_on_commit_callbacks
) -> None:
    before = balance_of(camille_loan, TODAY).outstanding_principal
    preview = preview_debit_date_change(contract=camille_loan, new_day=15, today=TODAY)
    assert preview.new_first == date(2027, 1, 15)  # 05/12 is too close: the move starts in January
    request_debit_date_code(customer=customer, preview=preview)
    with django_capture_on_commit_callbacks(execute=True):
        change_debit_date(
            customer=customer,
            contract=camille_loan,
            new_day=15,
            code=_code(sms_outbox, customer),
            today=TODAY,
        )
    lines = _lines(camille_loan)
    assert len(lines) == 60
    assert sum(ln.principal_minor for ln in lines) == 1_200_000  # principal repaid = principal lent
    assert date(2027, 1, 5) not in {ln.due_on for ln in lines}
    assert len({(ln.due_on.year, ln.due_on.month) for ln in lines}) == 60  # one installment a month
    assert [ln.due_on.day for ln in lines if ln.due_on > date(2026, 12, 5)] == [15] * 47
    assert balance_of(camille_loan, TODAY).outstanding_principal == before
    # The stored rows are the ones the customer was shown.
    shown = [(r.due_on, r.installment.minor, r.principal.minor) for r in preview.schedule.rows]
    assert [(ln.due_on, ln.installment_minor, ln.principal_minor) for ln in lines[13:]] == shown


def test_a_payoff_dated_on_a_due_day_includes_that_installment_and_closes_the_contract(
    camille_loan, customer, mailbox, django_capture_on_commit_callbacks
) -> None:
    on = date(2026, 12, 5)  # quoted on 02/12 for the day of the December installment
    q = quote_early_repayment(contract=camille_loan, on=on, today=TODAY)
    december = camille_loan.current_schedule.lines.get(due_on=on)
    assert q.falling_due.minor == december.installment_minor + december.insurance_minor
    assert q.principal.minor == december.balance_after_minor and q.interest.is_zero()
    assert q.total == q.principal + q.falling_due  # 12 months ≤ 10 000 € would not apply: see below
    instr = create_instruction(customer=customer, quote=q)
    with django_capture_on_commit_callbacks(execute=True):
        post_received_payment(reference=instr.reference, amount=q.total)
    camille_loan.refresh_from_db()
    assert camille_loan.status == Contract.Status.CLOSED
    assert balance_of(camille_loan, on).outstanding_principal.is_zero()


def test_a_payoff_whose_installment_the_direct_debit_also_collected_is_honoured_to_the_minor_unit(
    camille_loan, customer, mailbox, django_capture_on_commit_callbacks
) -> None:
    # The payoff quoted on 02/12 for 05/12 includes the December installment; on 05/12 servicing
    # makes it due and the direct debit collects it, then the confirmed transfer arrives. Before,
    # the posting refused ("the contract changed since the quote") and the customer had to quote
    # again; a lender honours the quote and refunds the installment paid twice (docs/credit.md §4).
    on = date(2026, 12, 5)
    q = quote_early_repayment(contract=camille_loan, on=on, today=TODAY)
    december = camille_loan.current_schedule.lines.get(due_on=on)
    installment = december.installment_minor + december.insurance_minor
    assert q.falling_due.minor == installment
    instr = create_instruction(customer=customer, quote=q)

    create_mandate(contract=camille_loan, holder_name="Camille Martin", iban="FR7630006000011234567890189")
    post_installment_due(contract=camille_loan, line=december)
    assert run_direct_debits(on=on).count == 1
    assert DirectDebit.objects.get().amount_minor == installment
    assert balance_of(camille_loan, on).due_unpaid.is_zero()  # the debit paid December

    with django_capture_on_commit_callbacks(execute=True):
        post_received_payment(reference=instr.reference, amount=q.total, received_on=on)
    camille_loan.refresh_from_db()
    assert camille_loan.status == Contract.Status.CLOSED
    after = balance_of(camille_loan, on)
    assert after.outstanding_principal.is_zero() and after.due_unpaid.is_zero()
    assert after.suspense.minor == installment  # owed to the customer: December, paid twice
    entry = JournalEntry.objects.get(idempotency_key=f"early:{instr.reference}")
    lines = {p.account.code: p.amount_minor for p in entry.postings.select_related("account")}
    assert sum(lines.values()) == 0
    assert next(v for k, v in lines.items() if "clearing" in k) == q.total.minor  # the quote, to the cent
    assert next(v for k, v in lines.items() if "suspense" in k) == -installment
    assert "trop-perçu" in entry.memo
    check_balances([camille_loan.pk])  # nothing due below zero; the suspense is owed to the customer


def test_a_payoff_is_refused_with_its_reason_when_more_is_due_than_quoted(camille_loan, customer) -> None:
    # Quoted on 02/12 for 04/12 (nothing falls due by then), but the November payment is returned
    # (its entry reversed, as a returned debit is) before the transfer arrives: the quote no longer
    # covers what is owed, and the posting says why instead of closing the contract short.
    on = date(2026, 12, 4)
    q = quote_early_repayment(contract=camille_loan, on=on, today=TODAY)
    assert q.falling_due.is_zero() and q.arrears.is_zero()
    instr = create_instruction(customer=customer, quote=q)
    november = camille_loan.current_schedule.lines.get(due_on=date(2026, 11, 5))
    paid = JournalEntry.objects.get(idempotency_key=f"test-pay:{camille_loan.number}:{november.number}")
    reverse_entry(entry=paid, key="test:november-returned", reason="returned", on=date(2026, 12, 3))
    with pytest.raises(PostingRefused, match="amounts due by 2026-12-04"):
        post_received_payment(reference=instr.reference, amount=q.total, received_on=on)
    camille_loan.refresh_from_db()
    assert camille_loan.status != Contract.Status.CLOSED


@pytest.fixture
def big_loan(customer):
    """40 000 € over 60 months at 4.80 % debited on the 5th, paid up to TODAY."""
    contract = make_contract(customer, "40000.00", 60, start_on=date(2025, 11, 5), debit_rate=str(RATE))
    settle_past_installments(contract, TODAY)
    return contract


def _post_partial(contract, customer, amount: str, on: date, mode: str = "reduce_term"):
    q = quote_early_repayment(
        contract=contract, on=on, amount=Money.of(amount, contract.currency_obj), mode=mode, today=on
    )
    instr = create_instruction(customer=customer, quote=q)
    post_received_payment(reference=instr.reference, amount=q.total)
    return q


def test_twelve_month_rule_counts_earlier_early_repayments_from_the_ledger(big_loan, customer) -> None:
    settle_past_installments(big_loan, date(2026, 12, 5))
    first = _post_partial(big_loan, customer, "6000.00", date(2026, 12, 10))
    # 6 000 € alone stays under D312-15's 10 000 € over twelve months: no indemnity.
    assert first.indemnity.amount.is_zero() and first.indemnity.basis == "threshold"
    second = quote_early_repayment(
        contract=big_loan,
        on=date(2026, 12, 12),
        amount=Money.of("6000.00", EUR),
        mode="reduce_term",
        today=date(2026, 12, 12),
    )
    # Two days later the twelve months total 12 000 € > 10 000 €: more than a year remains, so 1 % of
    # the principal repaid early, by hand: 6 000 € carry 7 days of interest at 4.80 % since 05/12.
    principal = int(Decimal(600_000) / (1 + RATE * 7 / 365))
    assert second.principal.minor == principal
    assert second.indemnity.amount.minor == principal // 100 and second.indemnity.basis == "rate"
    assert second.total.minor == 600_000 + principal // 100
    # Posted, the second repayment starts from the balance left by the first (same period: the
    # stored line of 05/12 still shows the balance from before the first one).
    instr = create_instruction(customer=customer, quote=second)
    post_received_payment(reference=instr.reference, amount=second.total)
    lines = _lines(big_loan)
    assert sum(ln.principal_minor for ln in lines) + first.principal.minor + principal == 4_000_000


def test_indemnity_near_the_end_is_capped_by_the_interest_still_to_run_after_the_repayment(
    customer,
) -> None:
    # 12 000 € over 12 months from 05/01/2026; 10 000 € already repaid early on 06/01/2026, so
    # D312-15 no longer protects a payoff on 20/12/2026, fifteen days into the last period.
    contract = make_contract(customer, "12000.00", 12, start_on=date(2025, 12, 5), debit_rate=str(RATE))
    settle_past_installments(contract, date(2026, 1, 5))
    _post_partial(contract, customer, "10000.00", date(2026, 1, 6), mode="reduce_installment")
    settle_past_installments(contract, date(2026, 11, 30))
    on = date(2026, 12, 1)
    lines = _lines(contract)
    last_paid, last = lines[-2], lines[-1]
    assert last.due_on == date(2026, 12, 5) and last_paid.due_on == date(2026, 11, 5)
    q = quote_early_repayment(contract=contract, on=on, today=on)
    balance = last_paid.balance_after_minor
    accrued = _cents(Decimal(balance) / 100 * RATE * 26 / 365)  # 05/11 → 01/12
    still_to_run = last.interest_minor - accrued  # the last row's interest after 01/12
    by_rate = balance * 5 // 1000  # 0.5 %: a year or less remains
    assert q.interest.minor == accrued
    assert q.indemnity.amount.minor == min(by_rate, still_to_run) == still_to_run
    assert q.indemnity.basis == "interest" and still_to_run < last.interest_minor


@pytest.fixture
def teva_lease(db):
    """Seed 003's LOA: rents of 117 992 then 92 992 XPF on the 15th, purchase option 700 000 XPF."""
    teva = verify_identity(make_customer(phone="+687751234"))
    lease = make_seed_lease(teva, start_on=date(2026, 6, 4), first_due_on=date(2026, 6, 15))
    settle_past_installments(lease, TODAY)
    return lease


@pytest.mark.parametrize("mode", ["reduce_term", "reduce_installment"])
def test_early_repayment_on_a_lease_lowers_the_rent_or_the_term_down_to_the_purchase_option(
    teva_lease, mode
) -> None:
    on = date(2026, 12, 20)
    q = quote_early_repayment(
        contract=teva_lease, on=on, amount=Money.of(500_000, XPF), mode=mode, today=TODAY
    )
    outcome = q.outcomes[mode]
    rows = outcome.schedule.rows
    assert rows[-1].balance_after == Money.of(700_000, XPF)  # ends on the residual value
    old_end = _lines(teva_lease)[-1].due_on
    if mode == "reduce_installment":
        assert outcome.new_installment < Money.of(92_992, XPF) and outcome.new_end_on == old_end
    else:
        assert outcome.new_installment == Money.of(92_992, XPF) and outcome.new_end_on < old_end
    assert outcome.interest_saved.minor > 0
    repaid = outcome.principal_repaid.minor
    assert (
        sum(r.principal.minor for r in rows)
        == rows[0].balance_after.minor + rows[0].principal.minor - 700_000
    )
    assert repaid + outcome.accrued_interest.minor == 500_000


def test_a_lease_repayment_is_posted_and_keeps_the_ledger_equal_to_the_schedule(teva_lease) -> None:
    teva = teva_lease.participants.get().customer
    on = date(2026, 12, 20)
    q = _post_partial(teva_lease, teva, "500000", on, mode="reduce_installment")
    lines = _lines(teva_lease)
    assert lines[-1].balance_after_minor == 700_000 and len(lines) == 37
    not_yet_due = sum(ln.principal_minor for ln in lines[6:]) + 700_000  # 15/12 onwards + the option
    assert balance_of(teva_lease, on).outstanding_principal.minor == not_yet_due
    assert add_months(date(2026, 6, 15), 36) == lines[-1].due_on
    assert q.outcomes["reduce_installment"].new_installment.minor == lines[-2].installment_minor
