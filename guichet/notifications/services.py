"""State changes of the notifications app: alert preferences (sending lives in email.py and sms.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.credit import Money
from guichet.errors import GuichetError
from guichet.lenders.profile import get_profile

from .models import AlertPreference


class AlertPreferenceError(GuichetError, ValueError):
    """The preferences asked for cannot be saved; the message says why (issue 10: one of the family)."""

    code = "alert_refused"


def alert_preferences_for(customer) -> AlertPreference:
    """The customer's preferences, created with the defaults on first read."""
    pref, _created = AlertPreference.objects.get_or_create(customer=customer)
    return pref


def update_alert_preferences(
    *,
    customer,
    due_reminder_days: int | None,
    balance_threshold: Money | None,
    contract_updates: bool,
    by_email: bool,
    by_sms: bool,
) -> AlertPreference:
    """Save the preferences; SMS alerts need a mobile number, and some channel is needed for any alert."""
    if due_reminder_days is not None and not 0 <= due_reminder_days <= 30:
        raise AlertPreferenceError(_("Le rappel d'échéance se règle entre 0 et 30 jours avant."))
    if balance_threshold is not None and balance_threshold.currency != get_profile().currency:
        raise AlertPreferenceError(_("Le seuil d'alerte s'exprime dans la devise de vos contrats."))
    if balance_threshold is not None and balance_threshold.minor < 0:
        raise AlertPreferenceError(_("Le seuil d'alerte ne peut pas être négatif."))
    if by_sms and not customer.phone:
        raise AlertPreferenceError(_("Ajoutez un numéro de mobile pour recevoir les alertes par SMS."))
    wants_alerts = due_reminder_days is not None or balance_threshold is not None or contract_updates
    if wants_alerts and not (by_email or by_sms):
        raise AlertPreferenceError(
            _("Choisissez au moins un canal (email ou SMS) pour recevoir vos alertes.")
        )
    with transaction.atomic():
        pref = alert_preferences_for(customer)
        pref.due_reminder_days = due_reminder_days
        pref.balance_threshold_minor = None if balance_threshold is None else balance_threshold.minor
        pref.contract_updates = contract_updates
        pref.by_email = by_email
        pref.by_sms = by_sms
        pref.save()
    return pref
