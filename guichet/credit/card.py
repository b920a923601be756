"""Rules of a credit card on a revolving line (seed 004, "Carte Bancaire COFIDIS"), pure.

- Caps over ROLLING windows: ATM withdrawals ≤ 500 € "sur 7 jours glissants"; payments ≤ the amount
  available within 1 500 € "sur 30 jours glissants". A window of N days ending on day D holds the
  operations of days D − N + 1 … D: a 500 € withdrawal on the 1st still counts on the 7th, no
  longer on the 8th; a payment of the 1st counts on the 30th, not on the 31st.
- Withdrawal fees: card requested up to 09/09/2013: 2 € a withdrawal, the first 2 of each calendar
  month free; requested later: 1 € each. Fees are carried to the line and bear interest.
- Foreign currency (EEA currencies other than the euro): converted at the ECB reference rate
  increased by the network's margin from the sheet's table (amount / rate × (1 + margin)), half-up
  to the cent. The notice is due once per card, currency and calendar month, never for a
  professional card or a holder who opted out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from .integer_core import half_up
from .money import EUR, Currency, Money

Kind = Literal["atm", "payment"]
ATM_CAP = Money.of("500", EUR)
ATM_DAYS = 7
PAYMENT_CAP = Money.of("1500", EUR)
PAYMENT_DAYS = 30
FEE_REGIME_CHANGE = date(2013, 9, 9)  # requests up to this day keep the older fees
# ISO 4217 minor units of the currencies of the sheet's FX table (EEA currencies other than the euro).
FOREIGN_EXPONENTS = {"BGN": 2, "CHF": 2, "CZK": 2, "DKK": 2, "HRK": 2, "HUF": 2, "ISK": 0, "NOK": 2, "PLN": 2,
                     "RON": 2, "SEK": 2}  # fmt: skip


def foreign_exponent(code: str) -> int:
    """Decimals of a foreign currency the card converts; ``ValueError`` for any other code."""
    try:
        return FOREIGN_EXPONENTS[code.upper()]
    except KeyError:
        raise ValueError(f"Devise {code} : pas une devise de l'EEE prise en charge par la carte.") from None


@dataclass(frozen=True, slots=True)
class CardUse:
    on: date
    amount: Money
    kind: Kind


@dataclass(frozen=True, slots=True)
class Authorization:
    ok: bool
    reason: str = ""  # French, for the holder, when refused
    window_used: Money | None = None
    window_left: Money | None = None


def window_total(
    uses: Iterable[CardUse], *, kind: Kind, on: date, days: int, currency: Currency = EUR
) -> Money:
    """What ``kind`` operations add up to over the ``days`` rolling days ending on ``on`` (included)."""
    first = on - timedelta(days=days - 1)
    total = Money(0, currency)
    for use in uses:
        if use.kind == kind and first <= use.on <= on:
            total += use.amount
    return total


def authorize(
    uses: Sequence[CardUse],
    *,
    kind: Kind,
    amount: Money,
    on: date,
    available: Money,
    atm_cap: Money = ATM_CAP,
    payment_cap: Money = PAYMENT_CAP,
) -> Authorization:
    """Accept or refuse an operation against the rolling caps and the line's available amount."""
    if amount.minor <= 0:
        return Authorization(False, "Le montant d'une opération doit être positif.")
    cap, days = (atm_cap, ATM_DAYS) if kind == "atm" else (payment_cap, PAYMENT_DAYS)
    used = window_total(uses, kind=kind, on=on, days=days, currency=amount.currency)
    left = cap - used if cap > used else Money(0, amount.currency)
    if amount > left:
        what = "retraits" if kind == "atm" else "paiements"
        return Authorization(
            False,
            f"Plafond de {what} atteint : {used} sur les {days} derniers jours, plafond {cap}, "
            f"il reste {left}.",
            used,
            left,
        )
    if amount > available:
        return Authorization(False, f"Montant disponible insuffisant : {available} disponibles.", used, left)
    return Authorization(True, "", used, left)


def withdrawal_fee(*, card_requested_on: date, earlier_this_month: int) -> Money:
    """The fee of an ATM withdrawal given how many came before it in the same calendar month."""
    if card_requested_on <= FEE_REGIME_CHANGE:
        return Money(0, EUR) if earlier_this_month < 2 else Money.of("2", EUR)
    return Money.of("1", EUR)


def withdrawal_fees(dates: Sequence[date], *, card_requested_on: date) -> list[Money]:
    """The fee of each withdrawal in ``dates`` (in order), counting the free ones per calendar month."""
    counts: dict[tuple[int, int], int] = {}
    fees = []
    for on in dates:
        month = (on.year, on.month)
        fees.append(
            withdrawal_fee(card_requested_on=card_requested_on, earlier_this_month=counts.get(month, 0))
        )
        counts[month] = counts.get(month, 0) + 1
    return fees


def annual_fee(*, card_requested_on: date) -> Money:
    """24 € a year for cards requested up to 09/09/2013, free after (seed 004)."""
    return Money.of("24", EUR) if card_requested_on <= FEE_REGIME_CHANGE else Money(0, EUR)


def convert_to_euros(
    amount_minor: int, *, exponent: int, ecb_rate: Decimal, margin_percent: Decimal
) -> Money:
    """``amount_minor`` of a currency with ``exponent`` decimals at the ECB rate (units per euro),
    increased by the network margin (a percentage, the sheet's "marge = 0,34055 %")."""
    if ecb_rate <= 0:
        raise ValueError("Un taux de change doit être positif.")
    exact = (
        Fraction(amount_minor, 10**exponent) / Fraction(ecb_rate) * (1 + Fraction(margin_percent) / 100) * 100
    )
    return Money(half_up(exact.numerator, exact.denominator), EUR)


def notice_due(
    *, sent: Iterable[tuple[int, str, int, int]], card_id: int, currency: str, on: date,
    professional: bool = False, opted_out: bool = False,
) -> bool:  # fmt: skip
    """The currency notice: once per card, currency and calendar month; never for a professional
    card or a holder who opted out. ``sent``: (card, currency, year, month) already notified."""
    if professional or opted_out:
        return False
    return (card_id, currency, on.year, on.month) not in set(sent)
