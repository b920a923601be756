"""Stateful property test (issue 9): random sequences of the operations that change a signed contract,
on EUR and XPF loans and on the lease, checked after every step against a model written here.

The machine drives the public services: time passing (installments made due and, or not, paid), a
partial early repayment in either mode, a total payoff, a debit-day change, a scheduled transfer,
and refusals (which must leave nothing written). The model computes on its own, in Decimal, what
each operation must do: the principal a partial repayment pays off (amount / (1 + rate × days/365)),
the new installment of "réduire la mensualité" (the annuity towards the residual value), the number
of rents left after "réduire la durée", and the cash received. After every step the model and the
ledger must agree, and ``guichet.loans.invariants.check_contract`` must hold.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from guichet.credit import Money
from guichet.loans.invariants import check_contract
from guichet.loans.models import Contract, JournalEntry, Posting, ScheduleLine
from guichet.loans.selectors import balance_of
from guichet.loans.services import make_due_through, post_payment
from guichet.payments.errors import DebitDateRefused, EarlyRepaymentRefused, PaymentsError, TransferRefused
from guichet.payments.services import (
    change_debit_date,
    create_instruction,
    post_received_payment,
    post_received_transfer,
    preview_debit_date_change,
    quote_early_repayment,
    request_debit_date_code,
    schedule_transfer,
)
from tests.factories import make_contract, make_customer, make_seed_lease, verify_identity

START = date(2026, 1, 20)


def _half_up(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def model_principal_repaid(amount: int, rate: Decimal, days: int) -> int:
    """The principal an early payment of ``amount`` repays when it also carries ``days`` of interest."""
    with localcontext() as ctx:
        ctx.prec = 50
        return int((Decimal(amount) / (1 + rate * days / 365)).to_integral_value(rounding=ROUND_FLOOR))


def model_annuity(balance: int, rate: Decimal, months: int, residual: int) -> int:
    """pmt with a future value: the installment that brings ``balance`` to ``residual`` in ``months``."""
    with localcontext() as ctx:
        ctx.prec = 60
        i = rate / 12
        if not i:
            return _half_up(Decimal(balance - residual) / months)
        grown = (1 + i) ** months
        return _half_up((balance * grown - residual) * i / (grown - 1))


def model_months_left(balance: int, rate: Decimal, installment: int, residual: int, limit: int) -> int:
    months = 0
    while balance > residual and months < limit:
        balance -= installment - _half_up(Decimal(balance) * rate / 12)
        months += 1
    return months


@dataclass
class Model:
    """What the test believes about one contract, kept without reading the code under test."""

    contract: Contract
    lent: int
    residual: int
    rate: Decimal
    early_principal: int = 0
    cash_in: int = 0
    made_due: dict[date, int] = field(default_factory=dict)  # due date → principal made due
    closed: bool = False

    @property
    def outstanding(self) -> int:
        return self.lent - self.early_principal - sum(self.made_due.values())


def _ledger_cash(contract: Contract) -> int:
    total = Posting.objects.filter(
        entry__contract=contract,
        account__kind="clearing",
        entry__kind__in=(JournalEntry.Kind.PAYMENT, JournalEntry.Kind.EARLY_REPAYMENT),
    ).values_list("amount_minor", flat=True)
    return sum(total)


def _snapshot(contract: Contract) -> tuple[int | None, int, int]:
    contract.refresh_from_db()
    return contract.current_schedule_id, JournalEntry.objects.count(), ScheduleLine.objects.count()


class ContractMachine(RuleBasedStateMachine):
    outbox = None  # the SMS outbox fixture, set by the test

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.today = START
        self.customer = verify_identity(make_customer(phone="+33612345678"))
        self.model: Model | None = None
        self.serial = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- opening -----------------------------------------------------------------------------------
    @initialize(
        kind=st.sampled_from(["eur", "xpf", "lease"]),
        units=st.integers(min_value=20, max_value=400),
        term=st.integers(min_value=12, max_value=60),
    )
    def open(self, kind: str, units: int, term: int) -> None:
        start = START - timedelta(days=15)
        if kind == "lease":
            first_due = start.replace(day=15) if start.day < 15 else date(2026, 2, 15)
            contract = make_seed_lease(self.customer, start_on=start, first_due_on=first_due)
        elif kind == "xpf":
            contract = make_contract(
                self.customer, units * 10_000, term, currency_code="XPF", start_on=start, debit_rate="0.0480"
            )
        else:
            contract = make_contract(
                self.customer, f"{units * 100}.00", term, start_on=start, debit_rate="0.0480"
            )
        self.model = Model(
            contract=contract,
            lent=contract.principal_minor,
            residual=contract.residual_value_minor or 0,
            rate=contract.debit_rate,
        )

    @property
    def contract(self) -> Contract:
        assert self.model is not None
        return self.model.contract

    def _key(self, what: str) -> str:
        self.serial += 1
        return f"sm:{what}:{self.serial}"

    # -- time passes -------------------------------------------------------------------------------
    @rule(days=st.integers(min_value=1, max_value=45), pay=st.booleans())
    def time_passes(self, days: int, pay: bool) -> None:
        assert self.model is not None
        self.today += timedelta(days=days)
        if self.model.closed:
            return
        for entry in make_due_through(contract=self.contract, on=self.today):
            if entry.effective_on not in self.model.made_due:
                line = ScheduleLine.objects.get(
                    version_id=self.contract.current_schedule_id, due_on=entry.effective_on
                )
                self.model.made_due[entry.effective_on] = line.principal_minor
        due = balance_of(self.contract, self.today).due_unpaid
        if pay and due.minor > 0:
            post_payment(contract=self.contract, amount=due, on=self.today, key=self._key("pay"))
            self.model.cash_in += due.minor

    # -- early repayment ---------------------------------------------------------------------------
    @rule(
        percent=st.integers(min_value=1, max_value=70),
        mode=st.sampled_from(["reduce_term", "reduce_installment"]),
    )
    def partial_repayment(self, percent: int, mode: str) -> None:
        m = self.model
        assert m is not None
        if m.closed:
            return
        amount = Money(max(1, (m.outstanding - m.residual) * percent // 100), self.contract.currency_obj)
        before = _snapshot(self.contract)
        try:
            q = quote_early_repayment(
                contract=self.contract, on=self.today, amount=amount, mode=mode, today=self.today
            )
        except EarlyRepaymentRefused:
            assert _snapshot(self.contract) == before  # a refusal writes nothing
            event("partial repayment refused")
            return
        lines = list(
            ScheduleLine.objects.filter(version_id=self.contract.current_schedule_id).order_by("number")
        )
        last_due = max([ln.due_on for ln in lines if ln.due_on <= self.today], default=self.contract.start_on)
        principal = model_principal_repaid(amount.minor, m.rate, (self.today - last_due).days)
        assert q.principal.minor == principal
        remaining = [ln for ln in lines if ln.due_on > self.today]
        # Installments due by today but not yet made due are part of the schedule's past, not of the balance.
        passed = sum(
            ln.principal_minor for ln in lines if ln.due_on <= self.today and ln.due_on not in m.made_due
        )
        new_balance = m.outstanding - passed - principal
        outcome = q.outcomes[mode]
        if mode == "reduce_installment":
            assert outcome.new_installment.minor == model_annuity(
                new_balance, m.rate, len(remaining), m.residual
            )
            assert len(outcome.schedule.rows) == len(remaining)
        else:
            installment = (
                remaining[1].installment_minor if len(remaining) > 1 else remaining[0].installment_minor
            )
            assert len(outcome.schedule.rows) == model_months_left(
                new_balance, m.rate, installment, m.residual, len(remaining)
            )
        instr = create_instruction(customer=self.customer, quote=q)
        post_received_payment(reference=instr.reference, amount=q.total)
        m.early_principal += principal
        m.cash_in += q.total.minor
        event(f"partial repayment posted ({self.contract.kind}, {mode})")

    @rule()
    def total_payoff(self) -> None:
        m = self.model
        assert m is not None
        if m.closed:
            return
        q = quote_early_repayment(contract=self.contract, on=self.today, today=self.today)
        assert q.principal.minor == m.outstanding - sum(
            ln.principal_minor
            for ln in ScheduleLine.objects.filter(
                version_id=self.contract.current_schedule_id, due_on__lte=self.today
            )
            if ln.due_on not in m.made_due
        )
        instr = create_instruction(customer=self.customer, quote=q)
        post_received_payment(reference=instr.reference, amount=q.total)
        self.contract.refresh_from_db()
        assert self.contract.status == Contract.Status.CLOSED
        m.cash_in += q.total.minor
        m.closed = True
        event(f"payoff posted ({self.contract.kind})")

    # -- debit day ---------------------------------------------------------------------------------
    @rule(new_day=st.sampled_from([1, 5, 10, 15, 20, 25]))
    def move_debit_day(self, new_day: int) -> None:
        m = self.model
        assert m is not None
        if m.closed or self.contract.kind != Contract.Kind.AMORTIZABLE:
            return
        before = _snapshot(self.contract)
        try:
            preview = preview_debit_date_change(contract=self.contract, new_day=new_day, today=self.today)
        except DebitDateRefused:
            assert _snapshot(self.contract) == before
            event("debit-day change refused")
            return
        request_debit_date_code(customer=self.customer, preview=preview)
        text = self.outbox.last_to(self.customer.phone)["text"]
        code = next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) >= 4)
        count = ScheduleLine.objects.filter(version_id=self.contract.current_schedule_id).count()
        change_debit_date(
            customer=self.customer, contract=self.contract, new_day=new_day, code=code, today=self.today
        )
        lines = list(
            ScheduleLine.objects.filter(version_id=self.contract.current_schedule_id).order_by("number")
        )
        assert len(lines) == count
        assert all(ln.due_on.day == new_day for ln in lines if ln.due_on >= preview.new_first)
        event("debit day moved")

    # -- money received ------------------------------------------------------------------------------
    @rule(units=st.integers(min_value=1, max_value=500))
    def scheduled_transfer_received(self, units: int) -> None:
        m = self.model
        assert m is not None
        if m.closed:
            return
        amount = Money(units * (100 if self.contract.currency == "EUR" else 1), self.contract.currency_obj)
        on = self.today + timedelta(days=1)
        if self.contract.kind == Contract.Kind.LEASE:  # rents are collected, not paid by transfer
            before = _snapshot(self.contract)
            with pytest.raises(TransferRefused):
                schedule_transfer(
                    customer=self.customer,
                    contract=self.contract,
                    amount=amount,
                    first_on=on,
                    today=self.today,
                )
            assert _snapshot(self.contract) == before
            return
        t = schedule_transfer(
            customer=self.customer, contract=self.contract, amount=amount, first_on=on, today=self.today
        )
        post_received_transfer(
            reference=t.reference, amount=amount, received_on=self.today + timedelta(days=1)
        )
        m.cash_in += amount.minor

    @rule()
    def a_refused_payment_writes_nothing(self) -> None:
        if self.model is None or self.model.closed:
            return
        before = _snapshot(self.contract)
        with pytest.raises(PaymentsError):
            quote_early_repayment(contract=self.contract, on=self.today - timedelta(days=1), today=self.today)
        assert _snapshot(self.contract) == before

    # -- what must always hold -------------------------------------------------------------------------
    @invariant()
    def ledger_agrees_with_the_model(self) -> None:
        m = self.model
        if m is None:
            return
        self.contract.refresh_from_db()
        assert _ledger_cash(self.contract) == m.cash_in
        balances = balance_of(self.contract, self.today)
        if m.closed:
            assert balances.outstanding_principal.is_zero() and balances.due_unpaid.is_zero()
            return
        check_contract(self.contract)
        lines = ScheduleLine.objects.filter(version_id=self.contract.current_schedule_id)
        assert sum(ln.principal_minor for ln in lines) + m.early_principal + m.residual == m.lent
        not_due = sum(ln.principal_minor for ln in lines if ln.due_on not in m.made_due)
        assert not_due + m.residual == m.outstanding
        assert _account(self.contract, "principal") == m.outstanding
        assert balances.outstanding_principal.minor == m.outstanding + _account(
            self.contract, "principal_due"
        )
        assert all(
            _account(self.contract, k) >= 0 for k in ("interest_due", "insurance_due", "principal_due")
        )


def _account(contract: Contract, kind: str) -> int:
    """The balance of one of the contract's ledger accounts."""
    return sum(
        Posting.objects.filter(account__contract=contract, account__kind=kind).values_list(
            "amount_minor", flat=True
        )
    )


@pytest.mark.django_db
def test_random_operations_keep_every_contract_exact(sms_outbox, mailbox) -> None:
    ContractMachine.outbox = sms_outbox
    run_state_machine_as_test(
        ContractMachine,
        settings=settings(
            max_examples=int(os.environ.get("GUICHET_SM_EXAMPLES", "25")),
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            derandomize=not os.environ.get("GUICHET_SM_RANDOM"),  # explore: GUICHET_SM_RANDOM=1
            report_multiple_bugs=False,
            # GUICHET_SM_NO_SHRINK=1 while debugging: a failing case is reported as found, at once.
            phases=[Phase.explicit, Phase.generate]
            if os.environ.get("GUICHET_SM_NO_SHRINK")
            else list(Phase),
        ),
    )
