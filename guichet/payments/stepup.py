"""The SMS step-up used by payment operations: codes bound to the exact operation (PSD2 dynamic linking).

The ``bound_to`` string names the contract, the amount in minor units and the currency, so a code
sent for one amount cannot confirm another (Regulation 2018/389 art. 5).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import get_language

from guichet.credit import Money
from guichet.customers.services import issue_code, verify_code
from guichet.lenders.formatting import format_money
from guichet.lenders.profile import get_profile

__all__ = ["binding", "issue_code", "sms_operation", "verify_code"]


def binding(*, operation: str, contract_number: str, amount: Money | None = None, extra: str = "") -> str:
    """The operation digest source: ``operation|contract|amount minor|currency|extra``."""
    money = f"{amount.minor}|{amount.currency.code}" if amount is not None else "-|-"
    return f"{operation}|{contract_number}|{money}|{extra}"


def sms_operation(message, **params: object) -> Callable[[], str]:
    """What the SMS says the code confirms, worded in the recipient's language when it is sent:
    ``message`` is a ``gettext_lazy`` msgid, Money params are written the local way. PSD2 dynamic
    linking (Regulation 2018/389 art. 5) asks that the payer be told the amount and the payee."""

    def worded() -> str:
        iso = get_profile().money_pattern_iso
        shown = {
            k: format_money(v, get_language(), iso_code=iso) if isinstance(v, Money) else v
            for k, v in params.items()
        }
        return str(message) % shown

    return worded
