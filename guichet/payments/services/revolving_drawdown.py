"""A drawdown on a revolving line requested in the customer space, paid by transfer to her account.

Quote → SMS code bound to the contract AND the amount (``stepup.binding``: a code sent for 500 €
cannot confirm 5 000 €, Regulation 2018/389 art. 5) → the drawdown is posted (``draw_revolving``:
within the available amount, usury judged on the amount used) and the transfer goes to the bank
account on file. The verified code's id is the drawdown's idempotency key, so a replayed form
posts nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.credit import Money
from guichet.lenders.formatting import format_money
from guichet.loans.errors import LoansError
from guichet.loans.models import Contract, JournalEntry
from guichet.loans.revolving_line import line_state, projected_statements, with_drawdown
from guichet.loans.services.revolving import draw_revolving
from guichet.payments.errors import PaymentsError
from guichet.payments.identity import require_identity_verified
from guichet.payments.stepup import binding, issue_code, verify_code

PURPOSE = "revolving_drawdown"


class DrawdownRefused(PaymentsError):
    """The drawdown asked for is not possible (not a revolving line, over the available amount...)."""


@dataclass(frozen=True)
class DrawdownQuote:
    contract: Contract
    amount: Money
    on: date
    available: Money
    used_after: Money
    next_due_on: date | None
    next_estimate: Money | None  # the next statement if nothing else is drawn


def quote_drawdown(*, contract: Contract, amount: Money, on: date) -> DrawdownQuote:
    """What the line looks like after drawing ``amount`` on ``on``; refuses with the reason."""
    if contract.kind != Contract.Kind.REVOLVING:
        raise DrawdownRefused(_("Ce contrat n'est pas un crédit renouvelable."))
    if not contract.is_active:
        raise DrawdownRefused(_("Ce crédit n'est pas en cours : aucune utilisation n'est possible."))
    if amount.currency != contract.currency_obj or amount.minor <= 0:
        raise DrawdownRefused(_("Indiquez un montant positif, en %(cur)s.") % {"cur": contract.currency})
    state = line_state(contract)
    if amount > state.available:
        raise DrawdownRefused(
            _("Montant disponible insuffisant : %(available)s disponibles.")
            % {"available": format_money(state.available, get_language())}
        )
    coming = projected_statements(with_drawdown(state, amount, on), on)
    return DrawdownQuote(
        contract=contract,
        amount=amount,
        on=on,
        available=state.available,
        used_after=state.used + amount,
        next_due_on=coming[0].due_on if coming else None,
        next_estimate=contract.money(coming[0].total_due_minor) if coming else None,
    )


def _bound(quote: DrawdownQuote) -> str:
    return binding(operation=PURPOSE, contract_number=quote.contract.number, amount=quote.amount)


def request_drawdown_code(*, customer, quote: DrawdownQuote):  # type: ignore[no-untyped-def]
    """Send the SMS code that confirms exactly this amount on this line."""
    require_identity_verified(customer)
    return issue_code(purpose=PURPOSE, bound_to=_bound(quote), customer=customer)


def confirm_drawdown(*, customer, quote: DrawdownQuote, code: str) -> JournalEntry:  # type: ignore[no-untyped-def]
    """Check the code (outside any transaction, so a wrong try counts), then post the drawdown."""
    require_identity_verified(customer)
    used = verify_code(purpose=PURPOSE, bound_to=_bound(quote), code=code, customer=customer)
    try:
        return draw_revolving(
            contract=quote.contract,
            amount=quote.amount,
            on=quote.on,
            key=f"drawdown:{quote.contract.number}:{used.pk}",
        )
    except LoansError as exc:
        raise DrawdownRefused(str(exc)) from exc
