"""Guichet's pure finance core: money, rates, schedules, TAEG, revolving, early repayment, usury.

No Django import and no float anywhere in this package (enforced by import-linter and tests).
"""

from .money import EUR, XPF, Currency, CurrencyMismatch, Money, currency, total

__all__ = ["EUR", "XPF", "Currency", "CurrencyMismatch", "Money", "currency", "total"]
