"""The yearly letter of a revolving line (L312-65, L312-75 ff.): three months before the anniversary,
the conditions of renewal — limit, amount used, the rate of each tier — and the holder's right to
refuse them until 20 days before they apply (``credit.renewal.renewal_calendar``). Delivered once
per line and year into "Mes documents"; refusing is closing the line, free, from the space.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import override

from guichet.credit.renewal import renewal_calendar
from guichet.credit.revolving import repayment_months
from guichet.loans.models import Contract
from guichet.loans.revolving_line import line_state

from .models import Document
from .rendering import render_pdf
from .services import deliver_document


def _due(contract: Contract, on: date):  # type: ignore[no-untyped-def]
    years = on.year - contract.start_on.year
    for year in (contract.start_on.year + years, contract.start_on.year + years + 1):
        if year <= contract.start_on.year:
            continue
        cal = renewal_calendar(contract.start_on, year)
        if cal.notice_by == on:
            return cal
    return None


def deliver_renewal_notices(*, on: date, notify: bool = True) -> int:
    """Send the renewal letter of every active revolving line whose notice day is ``on``."""
    sent = 0
    lines = Contract.objects.filter(kind=Contract.Kind.REVOLVING, status__in=("open", "delinquent"))
    for contract in lines.filter(use_stopped_on__isnull=True):
        cal = _due(contract, on)
        if cal is None:
            continue
        state = line_state(contract)
        context = {"contract": contract, "state": state, "cal": cal, "issued_on": on,
                   "months": repayment_months(state.limit, contract.revolving_speed or "")}  # fmt: skip
        for p in contract.participants.select_related("customer"):
            customer = p.customer
            with override(customer.language or "fr"):
                title = _("Reconduction de votre crédit au %(day)s") % {"day": f"{cal.anniversary:%d/%m/%Y}"}
            if Document.objects.filter(
                customer=customer, contract=contract, kind=Document.Kind.NOTICE, title=title
            ).exists():
                continue
            pdf = render_pdf(
                template="documents/pdf/renewal_notice.html",
                context=context,
                language=customer.language or "fr",
            )
            deliver_document(
                customer=customer,
                kind=Document.Kind.NOTICE,
                title=title,
                pdf=pdf,
                contract=contract,
                notify=notify,
            )
            sent += 1
    return sent
