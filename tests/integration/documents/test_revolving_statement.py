"""The revolving line's monthly statement: every figure is the ledger's, and it reaches "Mes documents"
once per statement and holder."""

from datetime import date

import pytest
from django.conf import settings
from django.db.models import Sum

from guichet.credit import EUR, Money
from guichet.documents.models import Document
from guichet.documents.statements import deliver_statements, statement_sheet
from guichet.lenders.formatting import format_money
from guichet.loans.models import JournalEntry, Posting
from guichet.loans.services import post_payment, run_daily_servicing
from guichet.loans.services.revolving import draw_revolving, open_revolving
from tests.factories import make_customer
from tests.integration.portal.helpers import norm, pdf_text

pytestmark = pytest.mark.django_db
E = lambda s: Money.of(s, EUR)  # noqa: E731


@pytest.fixture
def line(db):
    from guichet.catalogue.services import load_tariff

    load_tariff(path=settings.DATA_DIR / "tariffs" / "2022-01-01.toml")
    contract = open_revolving(product_code="accessio-confort", limit=E("5000"), start_on=date(2026, 1, 2),
                              customers=[make_customer()], debit_day=5, insured=True)  # fmt: skip
    draw_revolving(contract=contract, amount=E("2000"), on=date(2026, 1, 3), key="d1")
    run_daily_servicing(on=date(2026, 2, 5))
    post_payment(contract=contract, amount=E("100"), on=date(2026, 2, 10), key="p1")
    draw_revolving(contract=contract, amount=E("1740.84"), on=date(2026, 2, 20), key="d2")
    run_daily_servicing(on=date(2026, 3, 5))
    return contract


def _ledger_principal(contract, on):
    return Posting.objects.filter(entry__contract=contract, account__code__endswith=":principal",
                                  entry__effective_on__lte=on).exclude(account__code__contains=":due:").aggregate(
        t=Sum("amount_minor"))["t"]  # fmt: skip


def test_the_statement_equals_the_ledger(line):
    entry = JournalEntry.objects.filter(contract=line, kind="installment_due").latest("effective_on")
    st = statement_sheet(entry=entry)
    assert st.period_start == date(2026, 2, 5) and st.period_end == date(2026, 3, 5)
    assert [mv.amount for mv in st.movements] == [E("1740.84")]
    assert st.opening_used.minor == _ledger_principal(line, date(2026, 2, 5))
    assert st.closing_used.minor == _ledger_principal(line, date(2026, 3, 5))
    assert st.opening_used + sum((mv.amount for mv in st.movements), E("0")) - st.capital == st.closing_used
    postings = entry.postings.select_related("account")
    due = sum(p.amount_minor for p in postings if p.amount_minor > 0 and ":due:" in p.account.code)
    assert st.minimum_due.minor == due == (st.interest + st.insurance + st.capital).minor
    assert st.payments == E("100")
    assert st.insurance.minor % 10 == 0 and st.insurance_rate is not None


def test_statements_reach_mes_documents_once_with_the_ledgers_amounts(line):
    assert deliver_statements(on=date(2026, 3, 5), notify=False) == 1
    assert deliver_statements(on=date(2026, 3, 5), notify=False) == 1  # found, not sent again
    docs = Document.objects.filter(contract=line, kind=Document.Kind.STATEMENT)
    assert docs.count() == 1 and docs.get().title == "Relevé de compte du 05/03/2026"
    entry = JournalEntry.objects.filter(contract=line, kind="installment_due").latest("effective_on")
    st = statement_sheet(entry=entry)
    text = norm(pdf_text(docs.get().file.read()))
    for amount in (st.minimum_due, st.closing_used, st.interest, st.insurance, E("1740.84")):
        assert norm(format_money(amount)) in text


def test_the_renewal_letter_arrives_three_months_before_the_anniversary_once(line):
    from guichet.documents.renewal import deliver_renewal_notices

    assert deliver_renewal_notices(on=date(2026, 10, 1), notify=False) == 0
    assert deliver_renewal_notices(on=date(2026, 10, 2), notify=False) == 1  # opened 02/01/2026
    assert deliver_renewal_notices(on=date(2026, 10, 2), notify=False) == 0
    doc = Document.objects.get(contract=line, kind=Document.Kind.NOTICE)
    text = norm(pdf_text(doc.file.read()))
    assert "02/01/2027" in text and "13/12/2026" in text and "19,34" in text
