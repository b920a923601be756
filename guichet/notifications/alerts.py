"""The alerts a customer chooses in "Mon profil" (seed 000: "rappels d'échéances, alertes de solde,
notifications de mise à jour contractuelle"), sent by email and/or SMS as the preferences say.

- **Due-date reminder**: N days (0–30) before the next unpaid installment of an active contract.
- **Balance alert** ("alerte de solde"): for a borrower the balance that matters is what is still
  owed, so the alert fires when a contract's outstanding principal (capital restant dû — the
  "solde restant dû" of the dashboard, the used amount of a revolving line) goes under the
  customer's threshold, once per contract and threshold value. A borrower uses it to know when the
  rest can be repaid early cheaply (no indemnity up to 10 000 € a year, Code de la consommation
  L312-34 / D312-15) or when a revolving line is nearly cleared.
- **Contract update**: the contract's schedule was replaced (early repayment, debit-date change) or
  a document arrived in the inbox. The documents app already emails every new document, so a
  document only adds the SMS channel here.

Every message goes through ``deliver``, which records a ``SentAlert`` per channel under a unique
key before sending: re-running ``send_alerts`` for a day, or a repeated commit hook, sends nothing
twice; a failed send removes its row so the next run retries it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.customers.models import Customer
from guichet.lenders.formatting import format_day, format_money
from guichet.lenders.profile import get_profile
from guichet.loans.models import Contract
from guichet.loans.selectors import ContractSummary, dashboard_for

from .email import send_email
from .models import AlertPreference, SentAlert
from .sms import send_sms

log = logging.getLogger(__name__)
ACTIVE = (Contract.Status.OPEN, Contract.Status.DELINQUENT)


@dataclass
class AlertReport:
    """What one run sent, counted per message (an alert by email and SMS counts two)."""

    on: date
    sent: dict[str, int] = field(default_factory=dict)
    failed: int = 0

    def add(self, kind: str, count: int) -> None:
        self.sent[kind] = self.sent.get(kind, 0) + count

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def preference_of(customer: Customer) -> AlertPreference:
    """The stored preferences, or the defaults the profile page shows (not saved) when none are stored."""
    try:
        return customer.alert_preference
    except AlertPreference.DoesNotExist:
        return AlertPreference(customer=customer)


def language_of(customer: Customer) -> str:
    return (customer.user.language if customer.user_id else customer.language) or "fr"


def _money(amount: Any, language: str) -> str:
    return format_money(amount, language, iso_code=get_profile().money_pattern_iso)


def channels_for(customer: Customer, pref: AlertPreference) -> list[str]:
    channels = [SentAlert.Channel.EMAIL] if pref.by_email and customer.email else []
    if pref.by_sms and customer.phone:
        channels.append(SentAlert.Channel.SMS)
    return channels


def _claim(
    *, customer: Customer, kind: str, channel: str, key: str, contract_number: str
) -> SentAlert | None:
    """Record the alert before sending it; ``None`` when it was already sent (or is being sent)."""
    try:
        with transaction.atomic():
            return SentAlert.objects.create(
                customer=customer, kind=kind, channel=channel, key=key[:200], contract_number=contract_number
            )
    except IntegrityError:
        return None


class AlertNotSent(Exception):
    """Some channel of an alert failed (logged); ``sent`` messages did leave and are recorded."""

    def __init__(self, key: str, *, sent: int, failed: int) -> None:
        super().__init__(f"Alert {key}: {failed} channel(s) failed; the next run retries them.")
        self.sent, self.failed = sent, failed


def deliver(
    *,
    customer: Customer,
    channels: list[str],
    kind: str,
    key: str,
    contract_number: str,
    subject: Any,
    template: str,
    context: dict[str, Any],
    sms_text: str,
) -> int:
    """Send on each channel not yet used for ``key``; returns how many messages left.

    Raises ``AlertNotSent`` after trying every channel when one failed (its record is removed).
    """
    sent = failed = 0
    for channel in channels:
        claim = _claim(
            customer=customer,
            kind=kind,
            channel=channel,
            key=f"{key}:{channel}",
            contract_number=contract_number,
        )
        if claim is None:
            continue
        try:
            if channel == SentAlert.Channel.EMAIL:
                send_email(
                    to=customer.email,
                    subject=subject,
                    template=template,
                    context={"customer": customer, **context},
                    language=language_of(customer),
                )
            else:
                send_sms(to=customer.phone, text=sms_text)
        except Exception:  # a provider failure must not stop the batch; the next run retries
            log.exception("Alert %s by %s to customer %s failed", key, channel, customer.pk)
            claim.delete()
            failed += 1
        else:
            sent += 1
    if failed:
        raise AlertNotSent(key, sent=sent, failed=failed)
    return sent


def _customers_with_contracts() -> Any:
    """Customers with a customer-space account and at least one active contract (one query)."""
    return (
        Customer.objects.filter(
            user__isnull=False,
            user__is_active=True,
            participations__contract__status__in=ACTIVE,
        )
        .select_related("user", "alert_preference")
        .distinct()
        .order_by("pk")
    )


def remind_due(*, customer: Customer, pref: AlertPreference, summary: ContractSummary, on: date) -> int:
    """The reminder of the next installment when it falls exactly ``due_reminder_days`` after ``on``."""
    upcoming = summary.next_installment
    if pref.due_reminder_days is None or upcoming is None:
        return 0
    if upcoming.due_on != on + timedelta(days=pref.due_reminder_days):
        return 0
    language = language_of(customer)
    profile = get_profile()
    with translation.override(language):
        amount, day = _money(upcoming.amount, language), format_day(upcoming.due_on, language)
        sms = _("%(lender)s : votre échéance de %(amount)s pour le contrat %(number)s tombe le %(day)s.") % {
            "lender": profile.name,
            "amount": amount,
            "number": summary.number,
            "day": day,
        }
        # A reminder that named the next installment but not the unpaid ones would mislead (issue 16).
        arrears = _money(summary.arrears, language) if summary.arrears.minor > 0 else ""
        if arrears:
            sms += " " + _("Impayés à régulariser : %(arrears)s (service recouvrement : %(phone)s).") % {
                "arrears": arrears,
                "phone": profile.support.recovery_phone,
            }
    return deliver(
        customer=customer,
        channels=channels_for(customer, pref),
        kind=SentAlert.Kind.DUE_REMINDER,
        key=f"due:{summary.number}:{upcoming.due_on.isoformat()}:{customer.pk}",
        contract_number=summary.number,
        subject=gettext_lazy("Rappel : votre prochaine échéance"),
        template="alert_due",
        context={"summary": summary, "amount": amount, "day": day, "arrears": arrears},
        sms_text=sms,
    )


def alert_balance(*, customer: Customer, pref: AlertPreference, summary: ContractSummary) -> int:
    """The balance alert once the outstanding principal is under the threshold (once per threshold)."""
    threshold = pref.balance_threshold_minor
    outstanding = summary.outstanding_principal
    if threshold is None or not 0 < outstanding.minor < threshold:
        return 0
    language = language_of(customer)
    with translation.override(language):
        amount = _money(outstanding, language)
        limit = _money(summary.contract.money(threshold), language)
        sms = _(
            "%(lender)s : le capital restant dû de votre contrat %(number)s "
            "est passé sous %(limit)s : %(amount)s."
        ) % {
            "lender": get_profile().name,
            "number": summary.number,
            "limit": limit,
            "amount": amount,
        }
    return deliver(
        customer=customer,
        channels=channels_for(customer, pref),
        kind=SentAlert.Kind.BALANCE,
        key=f"balance:{summary.number}:{threshold}:{customer.pk}",
        contract_number=summary.number,
        subject=gettext_lazy("Alerte de solde : votre capital restant dû"),
        template="alert_balance",
        context={"summary": summary, "amount": amount, "limit": limit},
        sms_text=sms,
    )


def send_alerts(*, on: date) -> AlertReport:
    """Send the day's due-date reminders and balance alerts; safe to run again the same day."""
    report = AlertReport(on=on)
    for customer in _customers_with_contracts().iterator(chunk_size=500):
        pref = preference_of(customer)
        if not channels_for(customer, pref):
            continue
        if pref.due_reminder_days is None and pref.balance_threshold_minor is None:
            continue
        for summary in dashboard_for(customer, on=on):
            if summary.status not in ACTIVE:
                continue
            _run(report, SentAlert.Kind.DUE_REMINDER, remind_due, customer, pref, summary, on=on)
            _run(report, SentAlert.Kind.BALANCE, alert_balance, customer, pref, summary)
    return report


def _run(
    report: AlertReport, kind: str, sender: Any, customer: Customer, pref: Any, summary: Any, **kw: Any
) -> None:
    """One alert of one contract; a failure (logged in ``deliver``) does not stop the others."""
    try:
        report.add(kind, sender(customer=customer, pref=pref, summary=summary, **kw))
    except AlertNotSent as exc:  # logged in deliver(); the other alerts still go
        report.add(kind, exc.sent)
        report.failed += exc.failed
