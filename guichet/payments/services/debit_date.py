"""Change of the monthly debit day within the lender's limits, with the interest of the shifted period.

Limits (``get_profile().debit_date``): the new day is one of ``allowed_days``; at most
``max_changes_per_year`` changes over the last 365 days; the next debit must be more than
``min_days_before_next_debit`` days away (it may already be in the bank's file).

Interest adjustment: the first shifted installment covers a period longer or shorter than a
month by ``delta`` days; its interest changes by balance × debit rate × delta / 365 (the daily
convention of the tariff), rounded half-up; the installment stays the same and the last row
absorbs the difference, as at the start of a contract with a broken first period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.credit import Money
from guichet.credit.dates import add_months, monthly_dates
from guichet.credit.schedule import Schedule, ScheduleRow, amortize_minor, monthly_rate_fraction
from guichet.lenders.profile import get_profile
from guichet.loans.models import Contract
from guichet.loans.services import replace_schedule

from .. import selectors
from ..errors import DebitDateRefused
from ..models import DebitDateChange
from ..stepup import binding, issue_code, sms_operation, verify_code

PURPOSE = "debit_date"


@dataclass(frozen=True)
class DebitDatePreview:
    contract: Contract
    old_day: int
    new_day: int
    old_first: date
    new_first: date
    adjustment: Money
    schedule: Schedule


def _first_new_date(old_first: date, new_day: int, earliest: date) -> date:
    candidate = add_months(old_first, 0, day=new_day)
    return candidate if candidate > earliest else add_months(candidate, 1, day=new_day)


def _check_limits(contract: Contract, new_day: int, today: date) -> None:
    policy = get_profile().debit_date
    if contract.kind != Contract.Kind.AMORTIZABLE or not contract.is_active:
        raise DebitDateRefused(_("La date de prélèvement ne peut être changée que pour un prêt en cours."))
    if new_day not in policy.allowed_days:
        days = ", ".join(str(d) for d in policy.allowed_days)
        raise DebitDateRefused(_("Choisissez l'un de ces jours du mois : %(days)s.") % {"days": days})
    if new_day == (contract.debit_day or selectors.schedule_lines(contract)[0].due_on.day):
        raise DebitDateRefused(_("C'est déjà votre jour de prélèvement."))
    done = DebitDateChange.objects.filter(
        contract=contract, created_at__date__gt=today - timedelta(days=365)
    ).count()
    if done >= policy.max_changes_per_year:
        raise DebitDateRefused(
            _("Vous avez déjà changé de date %(n)d fois cette année : c'est le maximum.") % {"n": done}
        )


def preview_debit_date_change(
    *, contract: Contract, new_day: int, today: date | None = None
) -> DebitDatePreview:
    """The new schedule from the first shifted installment on, and the interest adjustment."""
    today = today or timezone.localdate()
    _check_limits(contract, new_day, today)
    policy = get_profile().debit_date
    nxt = selectors.next_line(contract, today)
    if nxt is None:
        raise DebitDateRefused(_("Il ne reste aucune échéance à déplacer."))
    if (nxt.due_on - today).days <= policy.min_days_before_next_debit:
        nxt = selectors.next_line(contract, nxt.due_on)
        if nxt is None:
            raise DebitDateRefused(_("Il ne reste aucune échéance à déplacer."))
    lines = [ln for ln in selectors.schedule_lines(contract) if ln.number >= nxt.number]
    earliest = max(today + timedelta(days=policy.min_days_before_next_debit), add_months(nxt.due_on, -1))
    new_first = _first_new_date(nxt.due_on, new_day, earliest)
    balance = sum(ln.principal_minor for ln in lines)  # stored balances predate any early repayment
    delta = (new_first - nxt.due_on).days
    rate = Fraction(contract.debit_rate)
    adjust = int(
        (2 * balance * rate.numerator * abs(delta) + rate.denominator * 365) // (2 * rate.denominator * 365)
    )
    adjust = adjust if delta >= 0 else -adjust
    schedule = _shifted(contract, lines, balance, new_first, adjust)
    return DebitDatePreview(
        contract, nxt.due_on.day, new_day, nxt.due_on, new_first, contract.money(adjust), schedule
    )


def _shifted(contract: Contract, lines, balance: int, new_first: date, adjust: int) -> Schedule:
    monthly = monthly_rate_fraction(contract.debit_rate)
    first_interest = (2 * balance * monthly.numerator + monthly.denominator) // (
        2 * monthly.denominator
    ) + adjust
    installment = lines[0].installment_minor if len(lines) == 1 else lines[1].installment_minor
    raw = amortize_minor(balance, monthly, len(lines), installment, max(first_interest, 0))
    m = contract.money
    rows = tuple(
        ScheduleRow(old.number, due, m(i), m(n), m(p), m(old.insurance_minor), m(b))
        for old, due, (i, n, p, b) in zip(lines, monthly_dates(new_first, len(lines)), raw, strict=True)
    )
    return Schedule(
        rows=rows, principal=m(balance), debit_rate=contract.debit_rate, installment=m(installment), fees=m(0)
    )


def _bound(p: DebitDatePreview) -> str:
    return binding(
        operation=PURPOSE,
        contract_number=p.contract.number,
        amount=p.adjustment,
        extra=f"{p.new_day}|{p.new_first}",
    )


def request_debit_date_code(*, customer, preview: DebitDatePreview):
    operation = sms_operation(
        gettext_lazy("prélever le %(day)s de chaque mois (contrat %(number)s)"),
        day=preview.new_day,
        number=preview.contract.number,
    )
    return issue_code(purpose=PURPOSE, bound_to=_bound(preview), customer=customer, operation=operation)


def change_debit_date(
    *, customer, contract: Contract, new_day: int, code: str, today: date | None = None
) -> DebitDateChange:
    """Confirm with the SMS code: the schedule is replaced and the new table delivered."""
    from .documents import deliver_schedule

    preview = preview_debit_date_change(contract=contract, new_day=new_day, today=today)
    verify_code(purpose=PURPOSE, bound_to=_bound(preview), code=code, customer=customer)
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        _check_limits(contract, new_day, today or timezone.localdate())
        replace_schedule(
            contract=contract,
            schedule=preview.schedule,
            reason=f"Changement de date de prélèvement au {new_day}",
        )
        contract.debit_day = new_day
        contract.save(update_fields=["debit_day"])
        change = DebitDateChange.objects.create(
            contract=contract,
            old_day=preview.old_day,
            new_day=new_day,
            first_new_due_on=preview.new_first,
            interest_adjustment_minor=preview.adjustment.minor,
            currency=contract.currency,
        )
        transaction.on_commit(lambda: deliver_schedule(contract=contract, customer=customer))
    return change
