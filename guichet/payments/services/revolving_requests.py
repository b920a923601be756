"""The holder's requests on a revolving line from the space, each confirmed by an SMS code bound to
exactly that request: repay early (one-off debit from the account on file, no indemnity), move the
debit day, change the speed, close the line. The rules live in ``loans.services.revolving_changes``;
this module checks them at preview, binds the code and applies the change once the code is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from guichet.credit import Money
from guichet.loans.errors import LoansError
from guichet.loans.models import Contract
from guichet.loans.services import revolving_changes as changes
from guichet.payments.errors import PaymentsError
from guichet.payments.identity import require_identity_verified
from guichet.payments.stepup import binding, issue_code, verify_code

OPERATIONS = ("repay", "debit_day", "speed", "close")


class LineRequestRefused(PaymentsError):
    """The request on the revolving line is not possible; the message says which rule stops it."""


@dataclass(frozen=True)
class LineRequest:
    contract: Contract
    op: str
    on: date
    amount: Money | None = None
    day: int | None = None
    speed: str = ""
    payoff: Money | None = None
    first_statement_on: date | None = None


def preview(*, contract: Contract, op: str, on: date, amount: Money | None = None, day: int | None = None,
            speed: str = "") -> LineRequest:  # fmt: skip
    """The request checked against the line's rules now (nothing is written)."""
    if op not in OPERATIONS:
        raise LineRequestRefused(_("Opération inconnue."))
    if contract.kind != Contract.Kind.REVOLVING or not contract.is_active:
        raise LineRequestRefused(_("Ce crédit renouvelable n'est pas en cours."))
    try:
        payoff = changes.payoff_amount(contract, on)
        if op == "repay":
            if amount is None or amount.minor <= 0:
                raise LineRequestRefused(_("Indiquez le montant à rembourser."))
            if amount > payoff:
                raise LineRequestRefused(
                    _("Pour tout rembourser aujourd'hui : %(payoff)s au plus.") % {"payoff": payoff}
                )
        first = changes.check_debit_day(contract, day or 0, on) if op == "debit_day" else None
        if op == "speed":
            changes.sibling_product(contract, speed, on)
    except LoansError as exc:
        raise LineRequestRefused(str(exc)) from exc
    return LineRequest(contract, op, on, amount, day, speed, payoff, first)


def _bound(req: LineRequest) -> str:
    extra = f"{req.on.isoformat()}|{req.day or ''}|{req.speed}"
    return binding(
        operation=f"revolving_{req.op}", contract_number=req.contract.number, amount=req.amount, extra=extra
    )


def request_code(*, customer, req: LineRequest):  # type: ignore[no-untyped-def]
    require_identity_verified(customer)
    return issue_code(purpose=f"revolving_{req.op}", bound_to=_bound(req), customer=customer)


def confirm(*, customer, req: LineRequest, code: str) -> None:  # type: ignore[no-untyped-def]
    """Check the code (outside any transaction), then apply the request."""
    require_identity_verified(customer)
    used = verify_code(purpose=f"revolving_{req.op}", bound_to=_bound(req), code=code, customer=customer)
    try:
        if req.op == "repay" and req.amount is not None:
            key = f"revolving-repay:{req.contract.number}:{used.pk}"
            changes.repay_revolving(contract=req.contract, amount=req.amount, on=req.on, key=key)
        elif req.op == "debit_day" and req.day is not None:
            changes.change_revolving_debit_day(contract=req.contract, new_day=req.day, today=req.on)
        elif req.op == "speed":
            changes.change_revolving_speed(contract=req.contract, speed=req.speed, on=req.on)
        elif req.op == "close":
            changes.stop_revolving(contract=req.contract, on=req.on)
    except LoansError as exc:
        raise LineRequestRefused(str(exc)) from exc
