"""Load and expose the lender profile: currency, locale, time zone, support hours and security policy.

One deployment serves one lender (DESIGN.md "Lenders"). The profile is read once from
``data/lenders/<GUICHET_LENDER>.toml``; defaults are the stricter of the two demo lenders.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from guichet.credit import Currency, currency


@dataclass(frozen=True)
class SecurityPolicy:
    password_min_length: int = 12
    password_classes: tuple[str, ...] = ("lower", "upper", "digit", "special")
    password_history: int = 5
    password_max_age_days: int = 365
    activation_link_hours: int = 48
    reset_link_minutes: int = 5
    lockout_failures: int = 3
    lockout_minutes: int = 30
    inactivity_minutes: int = 15
    sensitive_inactivity_minutes: int = 5
    otp_minutes: int = 10
    otp_max_attempts: int = 5
    otp_resend_cooldown_seconds: int = 60
    signature_code_length: int = 4
    invitation_code_length: int = 8


@dataclass(frozen=True)
class DebitDatePolicy:
    allowed_days: tuple[int, ...] = (5, 15, 25)
    max_changes_per_year: int = 1
    min_days_before_next_debit: int = 10


@dataclass(frozen=True)
class Support:
    phone: str
    phone_note: str
    recovery_phone: str
    recovery_email: str
    hours: dict[int, tuple[tuple[time, time], ...]]
    # The advisors' own mailbox, when the lender has one besides the customer service (seed 003).
    advisors_email: str = ""

    def is_open(self, at: datetime, tz: ZoneInfo) -> bool:
        """Whether the support line is open at the aware instant ``at`` in the lender's time zone."""
        local = at.astimezone(tz)
        return any(start <= local.time() < end for start, end in self.hours.get(local.weekday(), ()))


@dataclass(frozen=True)
class LenderProfile:
    code: str
    name: str
    legal_name: str
    address: str
    email: str
    currency: Currency
    locales: tuple[str, ...]
    country: str
    time_zone: ZoneInfo
    website: str
    tariff: str
    sepa_creditor_id: str
    sepa_creditor_iban: str
    sepa_creditor_bic: str
    self_registration: bool
    mediator: str
    complaints_address: str
    support: Support
    security: SecurityPolicy = field(default_factory=SecurityPolicy)
    debit_date: DebitDatePolicy = field(default_factory=DebitDatePolicy)
    money_pattern_iso: bool = False
    # The address emails come from, shown with the lender's name; empty: settings.DEFAULT_FROM_EMAIL.
    sender_email: str = ""
    # What the lender's own documents call a customer's credit applications (seed 000's offer says
    # « Mes demandes », seed 003's space « Applications actuelles »): menus and headings use it.
    applications_label: str = "Mes demandes"
    # The account a borrower sends a transfer to (scheduled transfers); empty: the SEPA creditor account.
    transfer_iban: str = ""
    transfer_bic: str = ""
    # The free debt-advice service the L312-35-1 referral names (forbearance offers, the pre-contractual
    # form, the space's "difficulties" page); empty: the default of ``support.forbearance`` (France:
    # Points conseil budget). ``debt_advice_confirmed = false`` marks a demo value the lender must
    # confirm; ``compliance_report`` says so (issue 13).
    debt_advice: str = ""
    debt_advice_confirmed: bool = True

    @property
    def transfer_account(self) -> tuple[str, str]:
        """(IBAN, BIC) a customer's transfer is sent to."""
        return (self.transfer_iban or self.sepa_creditor_iban, self.transfer_bic or self.sepa_creditor_bic)

    @property
    def uses_sepa(self) -> bool:
        return self.currency.code == "EUR" and bool(self.sepa_creditor_id)


def _parse_hours(raw: dict[str, list[list[str]]]) -> dict[int, tuple[tuple[time, time], ...]]:
    return {
        int(day): tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in spans)
        for day, spans in raw.items()
    }


def load_profile(path: Path) -> LenderProfile:
    """Read one lender file; unknown keys are an error so that a typo cannot silently weaken a policy."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    sup = raw.pop("support")
    sec = raw.pop("security", {})
    dd = raw.pop("debit_date", {})
    for key in ("password_classes",):
        if key in sec:
            sec[key] = tuple(sec[key])
    if "allowed_days" in dd:
        dd["allowed_days"] = tuple(dd["allowed_days"])
    return LenderProfile(
        currency=currency(raw.pop("currency")),
        locales=tuple(raw.pop("locales")),
        time_zone=ZoneInfo(raw.pop("time_zone")),
        support=Support(
            phone=sup["phone"],
            phone_note=sup.get("phone_note", ""),
            recovery_phone=sup["recovery_phone"],
            recovery_email=sup["recovery_email"],
            hours=_parse_hours(sup["hours"]),
            advisors_email=sup.get("advisors_email", ""),
        ),
        security=SecurityPolicy(**sec),
        debit_date=DebitDatePolicy(**dd),
        **raw,
    )


@lru_cache(maxsize=8)
def _profile_for(code: str) -> LenderProfile:
    path = Path(settings.DATA_DIR) / "lenders" / f"{code}.toml"
    if not path.exists():
        raise LookupError(f"Unknown lender profile {code!r}: no file {path}.")
    return load_profile(path)


def get_profile() -> LenderProfile:
    """The profile of the lender this deployment serves (settings.GUICHET_LENDER)."""
    return _profile_for(settings.GUICHET_LENDER)


def lender_day(at: datetime | None = None) -> date:
    """The calendar day of the aware instant ``at`` (default: now) in the lender's time zone.

    Deadlines, queues and withdrawal periods count in the lender's days, whatever the server's zone.
    """
    from django.utils import timezone

    return (at or timezone.now()).astimezone(get_profile().time_zone).date()
