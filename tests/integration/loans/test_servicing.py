"""Installments due, payment allocation and the daily servicing batch."""

from datetime import date

import pytest

from guichet.credit import EUR, Money
from guichet.loans.models import Contract, JournalEntry
from guichet.loans.selectors import balance_of, days_past_due, schedule_of
from guichet.loans.services import post_installment_due, post_payment, run_daily_servicing
from tests.factories import make_contract

pytestmark = pytest.mark.django_db


def _lines(contract):
    return list(contract.schedule_lines.filter(version=contract.current_schedule).order_by("number"))


def test_a_payment_pays_arrears_first_then_the_current_installment():
    contract = make_contract()
    first, second = _lines(contract)[:2]
    post_installment_due(contract=contract, line=first)
    post_installment_due(contract=contract, line=second)
    first_total = Money(first.total_due_minor, EUR)
    partial = Money(second.interest_minor + 100, EUR)
    entry = post_payment(contract=contract, amount=first_total + partial, on=second.due_on, key="pay")
    credits: dict[str, int] = {}
    for posting in entry.postings.select_related("account"):
        part = posting.account.code.rsplit(":", 1)[-1]
        credits[part] = credits.get(part, 0) - posting.amount_minor
    # The older installment is fully paid; of the current one, interest first, then principal.
    assert credits["interest"] == first.interest_minor + second.interest_minor
    assert credits["principal"] == first.principal_minor + 100
    views = schedule_of(contract, on=second.due_on)
    assert [v.status for v in views[:3]] == ["paid", "due", "upcoming"]
    assert balance_of(contract, on=date(2026, 3, 11)).arrears == Money(
        second.total_due_minor - partial.minor, EUR
    )


def test_an_overpayment_waits_in_suspense_and_pays_the_next_installment():
    contract = make_contract()
    first, second = _lines(contract)[:2]
    post_installment_due(contract=contract, line=first)
    post_payment(contract=contract, amount=Money(first.total_due_minor * 2, EUR), on=first.due_on, key="p")
    assert balance_of(contract).suspense == Money(first.total_due_minor, EUR)
    run_daily_servicing(on=second.due_on)
    assert balance_of(contract).suspense.is_zero()
    assert [v.status for v in schedule_of(contract, on=second.due_on)[:2]] == ["paid", "paid"]


def test_daily_servicing_posts_each_installment_once_when_re_run():
    contract = make_contract()
    first = _lines(contract)[0]
    report = run_daily_servicing(on=first.due_on)
    again = run_daily_servicing(on=first.due_on)
    assert report.installments_posted == 1 and again.installments_posted == 0
    assert JournalEntry.objects.filter(contract=contract, kind="installment_due").count() == 1


def test_an_unpaid_installment_makes_the_contract_delinquent_and_payment_cures_it():
    contract = make_contract()
    first = _lines(contract)[0]
    run_daily_servicing(on=first.due_on)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.OPEN  # the debit of the day may still come
    run_daily_servicing(on=date(2026, 2, 11))
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DELINQUENT
    assert days_past_due(contract, on=date(2026, 3, 5)) == 23
    post_payment(
        contract=contract, amount=Money(first.total_due_minor, EUR), on=date(2026, 2, 12), key="late"
    )
    report = run_daily_servicing(on=date(2026, 2, 12))
    contract.refresh_from_db()
    assert contract.status == Contract.Status.OPEN and report.cured == 1


def test_a_fully_repaid_contract_is_closed_by_the_servicing():
    contract = make_contract(amount="900.00", term_months=3, debit_rate="0.10")
    for line in _lines(contract):
        run_daily_servicing(on=line.due_on)
        post_payment(
            contract=contract, amount=Money(line.total_due_minor, EUR), on=line.due_on, key=f"p{line.pk}"
        )
    run_daily_servicing(on=date(2026, 5, 11))
    contract.refresh_from_db()
    assert contract.status == Contract.Status.CLOSED
    assert balance_of(contract).percent_repaid == 100


def test_an_early_repayment_reduces_the_principal_not_yet_due():
    contract = make_contract()
    post_payment(
        contract=contract,
        amount=Money.of("1000.00", EUR),
        on=date(2026, 1, 20),
        key="ra",
        kind="early_repayment",
    )
    assert balance_of(contract).outstanding_principal == Money.of("9000.00", EUR)
    assert balance_of(contract).percent_repaid == 10


def test_a_revolving_statement_falls_due_on_the_debit_day_once():
    from decimal import Decimal

    from guichet.loans.services import draw_revolving, open_revolving
    from tests.factories import make_customer

    contract = open_revolving(
        product_code="accessio-confort",
        limit=Money.of("5000.00", EUR),
        start_on=date(2026, 1, 2),
        customers=[make_customer()],
        debit_day=5,
        debit_rate=Decimal("0.0938"),
    )
    draw_revolving(contract=contract, amount=Money.of("3500.00", EUR), on=date(2026, 1, 3), key="d")
    run_daily_servicing(on=date(2026, 2, 5))
    run_daily_servicing(on=date(2026, 2, 5))
    statements = JournalEntry.objects.filter(contract=contract, kind="installment_due")
    assert statements.count() == 1
    assert balance_of(contract).due_unpaid.minor > 0


def test_revolving_installment_is_computed_on_the_balance_after_the_last_drawdown_d312_27():
    """D312-27 1° (constant installments): the annuity on K, the capital owed after the last drawdown,
    stays the installment until the next drawdown, so the capital share grows as interest falls and
    the used amount is repaid within 60 months (limit above 3 000 €)."""
    from decimal import Decimal

    from guichet.loans.models import Posting
    from guichet.loans.services import draw_revolving, open_revolving, post_payment
    from guichet.loans.services.products import capital_after_last_drawdown
    from tests.factories import make_customer

    contract = open_revolving(
        product_code="accessio-confort",
        limit=Money.of("5000.00", EUR),
        start_on=date(2026, 1, 2),
        customers=[make_customer()],
        debit_day=5,
        debit_rate=Decimal("0.0938"),
    )
    draw_revolving(contract=contract, amount=Money.of("3500.00", EUR), on=date(2026, 1, 3), key="d1")
    shares, installments = [], []
    for month in (2, 3, 4):
        run_daily_servicing(on=date(2026, month, 5))
        entry = JournalEntry.objects.filter(contract=contract, kind="installment_due").latest("pk")
        principal_due = Posting.objects.get(entry=entry, account__code__endswith=":due:principal")
        interest_due = Posting.objects.get(entry=entry, account__code__endswith=":due:interest")
        shares.append(principal_due.amount_minor)
        installments.append(principal_due.amount_minor + interest_due.amount_minor)
        post_payment(contract=contract, amount=balance_of(contract).due_unpaid, on=date(2026, month, 5),
                     key=f"p{month}")  # fmt: skip
    assert shares[1:] != shares[:-1] and len(set(installments[1:])) == 1, (shares, installments)
    assert capital_after_last_drawdown(contract) == Money.of("3500.00", EUR)
    draw_revolving(contract=contract, amount=Money.of("500.00", EUR), on=date(2026, 4, 20), key="d2")
    assert capital_after_last_drawdown(contract) == Money.of("3500.00", EUR) - Money(
        sum(shares), EUR
    ) + Money.of("500.00", EUR)
