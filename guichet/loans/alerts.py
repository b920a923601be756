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

Every message goes through ``notifications.delivery.deliver`` (one ``SentAlert`` per channel and key:
re-running ``send_alerts`` for a day sends nothing twice). The contract-update notices are sent as the
event happens: a replaced schedule here (``on_schedule_replaced``, listening to
``loans.signals.schedule_replaced``), a new document in ``guichet.documents.updates``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.customers.models import Customer
from guichet.lenders.formatting import format_day, format_money
from guichet.lenders.profile import get_profile
from guichet.notifications.delivery import AlertNotSent, channels_for, deliver, language_of, preference_of
from guichet.notifications.models import AlertPreference, SentAlert

from .models import Contract
from .selectors import ContractSummary, dashboard_for
from .signals import schedule_replaced

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


def _money(amount: Any, language: str) -> str:
    return format_money(amount, language, iso_code=get_profile().money_pattern_iso)


def _customers_with_contracts(on: date | None = None) -> Any:
    """Customers with a customer-space account and at least one active contract (one query).

    With ``on``, only those an alert may concern that day, read from the stored positions (issue 14:
    the business day used to build every customer's dashboard): a contract whose next installment
    falls on the customer's reminder day (3 days without stored preferences), or is past or on
    another schedule (the dashboard then reads the schedule), a revolving line, or an outstanding
    principal under the customer's threshold. A superset: ``send_alerts`` decides as before.
    """
    customers = Customer.objects.filter(user__isnull=False, user__is_active=True)
    if on is None:
        return (
            customers.filter(participations__contract__status__in=ACTIVE)
            .select_related("user", "alert_preference")
            .distinct()
            .order_by("pk")
        )
    c = "participations__contract__"
    reminder = Q(alert_preference__isnull=True, **{f"{c}position__next_due_on": on + timedelta(days=3)})
    for days in range(31):
        reminder |= Q(
            alert_preference__due_reminder_days=days,
            **{f"{c}position__next_due_on": on + timedelta(days=days)},
        )
    outstanding = F(f"{c}position__principal_minor") + F(f"{c}position__principal_due_minor")
    concerned = (
        reminder
        | Q(**{f"{c}position__next_due_on__lt": on})
        | Q(**{f"{c}position__isnull": True})
        | ~Q(**{f"{c}position__schedule_version_id": F(f"{c}current_schedule_id")})
        | Q(**{f"{c}kind": Contract.Kind.REVOLVING})
        | Q(alert_preference__balance_threshold_minor__gt=outstanding)
    )
    return (
        customers.filter(Q(**{f"{c}status__in": ACTIVE}) & concerned)
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
    for customer in _customers_with_contracts(on).iterator(chunk_size=500):
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


def _participants(contract: Any) -> list[Customer]:
    return list(
        Customer.objects.filter(participations__contract=contract, user__isnull=False)
        .select_related("user", "alert_preference")
        .order_by("pk")
    )


def notify_schedule_replaced(*, contract: Any, version: Any, reason: str) -> int:
    """Tell each participant who asked for contract updates that the schedule changed."""
    sent = 0
    for customer in _participants(contract):
        pref = preference_of(customer)
        if not pref.contract_updates:
            continue
        with translation.override(language_of(customer)):
            sms = _(
                "%(lender)s : l'échéancier de votre contrat %(number)s a été mis à jour. "
                "Détail dans votre espace client."
            ) % {
                "lender": get_profile().name,
                "number": contract.number,
            }
        sent += deliver(
            customer=customer,
            channels=channels_for(customer, pref),
            kind=SentAlert.Kind.CONTRACT_UPDATE,
            key=f"update:schedule:{version.pk}:{customer.pk}",
            contract_number=contract.number,
            subject=gettext_lazy("Votre échéancier a été mis à jour"),
            template="alert_contract_update",
            context={"contract": contract, "reason": reason},
            sms_text=sms,
        )
    return sent


@receiver(schedule_replaced, dispatch_uid="loans.alerts.schedule_replaced")
def on_schedule_replaced(sender: Any, *, contract: Any, version: Any, reason: str, **kwargs: Any) -> None:
    try:
        notify_schedule_replaced(contract=contract, version=version, reason=reason)
    except Exception:  # the schedule change stands; the failure is logged for a retry by hand
        log.exception("Contract-update notice for schedule version %s failed", version.pk)
