"""The SMS step-up used by payment operations: codes bound to the exact operation (PSD2 dynamic linking).

The ``bound_to`` string names the contract, the amount in minor units and the currency, so a code
sent for one amount cannot confirm another (Regulation 2018/389 art. 5).
"""

from __future__ import annotations

from guichet.credit import Money
from guichet.customers.services import issue_code, verify_code

__all__ = ["binding", "issue_code", "verify_code"]


def binding(*, operation: str, contract_number: str, amount: Money | None = None, extra: str = "") -> str:
    """The operation digest source: ``operation|contract|amount minor|currency|extra``."""
    money = f"{amount.minor}|{amount.currency.code}" if amount is not None else "-|-"
    return f"{operation}|{contract_number}|{money}|{extra}"
