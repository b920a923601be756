"""The holder's changes to a revolving line: early repayment without indemnity (L312-34), debit day,
speed (sibling product, D312-27 period restarted) and closure, free (L312-65)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings

from guichet.credit import EUR, Money
from guichet.loans.errors import ContractRefused
from guichet.loans.models import Contract, JournalEntry
from guichet.loans.positions import position_of
from guichet.loans.revolving_line import line_state
from guichet.loans.services import run_daily_servicing
from guichet.loans.services.revolving import draw_revolving, open_revolving
from guichet.loans.services.revolving_changes import (
    accrued_interest,
    change_revolving_debit_day,
    change_revolving_speed,
    payoff_amount,
    repay_revolving,
    stop_revolving,
)
from tests.factories import make_customer

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731


@pytest.fixture
def line(db):
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    contract = open_revolving(product_code="accessio-confort", limit=E("3000"), start_on=date(2026, 1, 2),
                              customers=[make_customer()], debit_day=5)  # fmt: skip
    draw_revolving(contract=contract, amount=E("2000"), on=date(2026, 1, 3), key="d1")
    run_daily_servicing(on=date(2026, 2, 5))
    return contract


def test_a_partial_repayment_pays_what_fell_due_then_the_amount_used_without_indemnity(line):
    due = position_of(line.pk).due_unpaid_minor
    repay_revolving(contract=line, amount=E("500"), on=date(2026, 2, 10), key="r1")
    assert position_of(line.pk).due_unpaid_minor == 0
    assert line_state(line).used.minor == E("2000").minor - (E("500").minor - due) - _capital(line)


def _capital(contract):
    entry = JournalEntry.objects.get(contract=contract, kind="installment_due")
    return sum(p.amount_minor for p in entry.postings.filter(account__code__endswith=":due:principal"))


def test_the_full_repayment_settles_the_accrued_interest_and_leaves_nothing_owed(line):
    on = date(2026, 2, 20)
    accrued = accrued_interest(line, on)
    assert accrued.minor > 0  # 15 days at the tier of the amount used
    payoff = payoff_amount(line, on)
    with pytest.raises(ContractRefused, match="tout rembourser"):
        repay_revolving(contract=line, amount=payoff + E("0.01"), on=on, key="too-much")
    repay_revolving(contract=line, amount=payoff, on=on, key="all")
    position = position_of(line.pk)
    assert position.outstanding_principal_minor == 0 and position.due_unpaid_minor == 0
    assert position.balance("suspense") == 0


def test_the_debit_day_moves_to_an_allowed_day_only(line):
    from guichet.lenders.profile import get_profile

    policy = get_profile().debit_date
    with pytest.raises(ContractRefused, match="jours de prélèvement"):
        change_revolving_debit_day(contract=line, new_day=12, today=date(2026, 2, 10))
    too_close = date(2026, 3, 5) - timedelta(days=policy.min_days_before_next_debit - 1)
    with pytest.raises(ContractRefused, match=f"moins de {policy.min_days_before_next_debit} jours"):
        change_revolving_debit_day(contract=line, new_day=15, today=too_close)
    first = change_revolving_debit_day(contract=line, new_day=15, today=date(2026, 2, 10))
    assert first == date(2026, 2, 15) and Contract.objects.get(pk=line.pk).debit_day == 15


def test_a_speed_change_takes_the_sibling_products_rate_and_restarts_the_period(line):
    change_revolving_speed(contract=line, speed="express", on=date(2026, 2, 10))
    line.refresh_from_db()
    assert line.product_code == "accessio-express" and line.debit_rate == Decimal("0.1219")
    state = line_state(line)
    assert state.statements_since_drawdown == 0 and state.k == state.used
    with pytest.raises(ContractRefused):
        change_revolving_speed(contract=line, speed="turbo", on=date(2026, 2, 10))


def test_closing_stops_drawdowns_and_closes_the_line_once_nothing_is_owed(line):
    stop_revolving(contract=line, on=date(2026, 2, 10))
    line.refresh_from_db()
    assert line.status == Contract.Status.OPEN and line.use_stopped_on == date(2026, 2, 10)
    with pytest.raises(ContractRefused, match="clôture"):
        draw_revolving(contract=line, amount=E("10"), on=date(2026, 2, 11), key="after")
    repay_revolving(
        contract=line, amount=payoff_amount(line, date(2026, 2, 12)), on=date(2026, 2, 12), key="all"
    )
    stop_revolving(contract=line, on=date(2026, 2, 12))
    line.refresh_from_db()
    assert line.status == Contract.Status.CLOSED
