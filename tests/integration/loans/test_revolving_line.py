"""The revolving line for the borrower: tiers by amount used, the next payment everywhere, the
contract sheet's amounts, and the statement the daily run posts equals the one projected."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings

from guichet.credit import EUR, Money
from guichet.credit.rates import round_taeg
from guichet.credit.revolving import daily_interest, revolving_taeg
from guichet.documents.sheets import contract_sheet
from guichet.loans.models import JournalEntry, Posting
from guichet.loans.revolving_line import line_state, projected_statements
from guichet.loans.selectors import dashboard_for, schedule_of
from guichet.loans.services import run_daily_servicing
from guichet.loans.services.revolving import draw_revolving, open_revolving
from tests.factories import make_customer

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731


@pytest.fixture
def tariff(db):
    from guichet.catalogue.services import load_tariff

    return load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml").tariff


def _line(limit="5000", used="1000", insured=False, customer=None):
    contract = open_revolving(
        product_code="accessio-confort",
        limit=E(limit),
        start_on=date(2026, 1, 2),
        customers=[customer or make_customer()],
        debit_day=5,
        insured=insured,
        insurance_adhesion_on=date(2026, 1, 2),
    )
    draw_revolving(contract=contract, amount=E(used), on=date(2026, 1, 5), key=f"d:{contract.number}")
    return contract


def test_a_5000_euro_line_with_1000_used_is_charged_the_19_34_percent_tier(tariff):
    contract = _line()
    run_daily_servicing(on=date(2026, 2, 5))
    entry = JournalEntry.objects.get(contract=contract, kind="installment_due")
    interest = Posting.objects.get(entry=entry, account__code__endswith=":due:interest").amount_minor
    assert interest == daily_interest(E("1000"), Decimal("0.1934"), 31).minor


def test_the_disclosed_taeg_is_computed_with_the_daily_convention_from_the_opening_day(tariff):
    contract = _line(limit="2000")
    expected = revolving_taeg(debit_rate=Decimal("0.1934"), credit_limit=E("2000"), interest="daily",
                              drawn_on=date(2026, 1, 2))  # fmt: skip
    assert contract.taeg == round_taeg(expected) != Decimal("0.2115")
    assert contract.debit_rate == Decimal("0.1934")


def test_usury_is_judged_on_the_tier_of_the_amount_used(tariff):
    # 3 740.84 € used is charged 9.38 % (TAEG ≈ 9.8 %), below the 3 000–6 000 € ceiling.
    contract = _line(used="3740.84")
    assert line_state(contract).used == E("3740.84")


def test_the_statement_the_run_posts_is_the_one_projected(tariff):
    contract = _line(used="3740.84", insured=True)
    projected = projected_statements(line_state(contract), date(2026, 1, 20))[0]
    run_daily_servicing(on=date(2026, 2, 5))
    posted = schedule_of(contract, "all", date(2026, 2, 6))[0]
    assert (posted.due_on, posted.interest.minor, posted.principal.minor, posted.insurance.minor) == (
        projected.due_on,
        projected.interest_minor,
        projected.principal_minor,
        projected.insurance_minor,
    )
    # Insurance: 0.65 % of the monthly amount owed (adhesion after 11/03/2019), rounded up to 0.10 €.
    assert posted.insurance.minor % 10 == 0 and posted.insurance.minor > 0


@time_machine.travel("2026-01-20 10:00 +0100", tick=False)
def test_the_next_payment_shows_on_the_dashboard_and_the_calendar_clears_the_used_amount(tariff):
    customer = make_customer()
    contract = _line(used="3740.84", customer=customer)
    summary = next(s for s in dashboard_for(customer, date(2026, 1, 20)) if s.number == contract.number)
    assert summary.next_installment is not None
    assert summary.next_installment.due_on == date(2026, 2, 5)
    assert summary.used == E("3740.84") and summary.available == E("1259.16")
    rows = schedule_of(contract, "all", date(2026, 1, 20))
    assert rows and rows[-1].balance_after.is_zero()
    assert len(rows) <= 60  # limit above 3 000 €: cleared within 60 months (D312-27)
    assert sum(r.principal.minor for r in rows) == E("3740.84").minor


def test_the_contract_sheet_shows_the_line_not_zero(tariff):
    contract = _line(used="3740.84", insured=True)
    sheet = contract_sheet(contract=contract, on=date(2026, 1, 20))
    assert sheet.credit_limit == E("5000") and sheet.used == E("3740.84")
    assert sheet.total_due.minor > E("3740.84").minor
    assert sheet.next_due is not None and sheet.next_due.amount.minor > 0
    assert sheet.insurance_rate == Decimal("0.0065")
    assert sheet.speed_label == "Confort"


def test_the_three_month_calendar_lists_the_lines_coming_statements(tariff):
    from guichet.payments.selectors import calendar_for

    contract = _line(used="3740.84")
    items = [
        i
        for i in calendar_for(contracts=[contract], today=date(2026, 1, 20))
        if i.contract_number == contract.number
    ]
    assert [i.on for i in items] == [date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 5)]
    assert all(i.amount.minor > 0 and i.what == "installment" for i in items)
