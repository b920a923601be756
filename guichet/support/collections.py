"""Collections: the queue of delinquent contracts for advisors and the arrears reminders to customers.

Days past due count from the oldest unpaid due date (``loans.positions``); buckets 1–29, 30–59,
60–89, 90+. Reminders follow the customer's alert preferences (email and/or SMS) and are sent once
per contract, delinquency episode and bucket, so the command can run every day. Each reminder
carries the renegotiation measures and the free debt-advice referral of L312-35-1 (``forbearance``):
the offer is made with the first reminder of an episode, before any enforcement step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.audit import trail
from guichet.credit import Money
from guichet.customers.models import Customer, User
from guichet.lenders.formatting import format_money
from guichet.lenders.profile import get_profile
from guichet.loans.models import Contract
from guichet.loans.positions import positions_for
from guichet.loans.selectors import arrears_bucket
from guichet.notifications import send_email, send_sms

from .forbearance import offer_forbearance, offers_for
from .models import ArrearsReminder, ForbearanceOffer


def bucket_of(days_past_due: int) -> str:
    """ "" when not late, else "1-29", "30-59", "60-89" or "90+" (the loans app's buckets)."""
    return arrears_bucket(days_past_due) or ""


@dataclass(frozen=True)
class QueueRow:
    contract: Contract
    customer: Customer | None
    days_past_due: int
    bucket: str
    arrears: Money
    episode_started_on: date
    forbearance: ForbearanceOffer | None = None  # the L312-35-1 offer of this episode, if made


def collections_queue(*, on: date) -> list[QueueRow]:
    """Contracts with an unpaid amount due before ``on``, most overdue first (fixed number of queries)."""
    # Only contracts whose stored position has something unpaid from before ``on`` (an index on
    # ``oldest_unpaid_on``; stored positions equal the ledger, ``check_positions``): the queue used to
    # read every active contract's ledger, the whole book in one business-day chunk (issue 14).
    contracts = list(
        Contract.objects.filter(
            status__in=[Contract.Status.OPEN, Contract.Status.DELINQUENT],
            position__oldest_unpaid_on__lt=on,
        ).prefetch_related("participants__customer")
    )
    positions = positions_for(c.pk for c in contracts)
    offers = offers_for([c.pk for c in contracts])
    rows = []
    for c in contracts:
        pos = positions[c.pk]
        dpd = pos.days_past_due(on)
        if dpd <= 0:
            continue
        holder = next((p.customer for p in c.participants.all() if p.role == "borrower"), None)
        episode = on - timedelta(days=dpd)
        rows.append(
            QueueRow(
                c,
                holder,
                dpd,
                bucket_of(dpd),
                c.money(pos.arrears_minor(on)),
                episode,
                offers.get((c.pk, episode)),
            )
        )
    return sorted(rows, key=lambda r: (-r.days_past_due, r.contract.number))


def delinquent_count() -> int:
    """How many contracts the last servicing run marked delinquent: one COUNT, for dashboards.

    The queue itself (``collections_queue``) recomputes arrears from the ledger; this count is the
    cheap figure for a home page and lags by at most one servicing run.
    """
    return Contract.objects.filter(status=Contract.Status.DELINQUENT).count()


def send_arrears_reminders(*, on: date, by: User | None = None) -> int:
    """Remind each late borrower once per bucket of the current episode; returns how many were sent.

    ``by``: the staff member who asked for the run (in the audit trail); ``None`` for the business day.
    """
    sent = 0
    rows = collections_queue(on=on)
    # One query for every late customer's preferences rather than one per reminder.
    prefetch_related_objects([r.customer for r in rows if r.customer is not None], "alert_preference")
    for row in rows:
        if row.customer is None:
            continue
        pref = getattr(row.customer, "alert_preference", None)
        by_email = pref.by_email if pref else True
        by_sms = bool(pref and pref.by_sms and row.customer.phone)
        channels = ",".join(ch for ch, on_ in (("email", by_email), ("sms", by_sms)) if on_) or "email"
        try:
            with transaction.atomic():
                ArrearsReminder.objects.create(
                    contract=row.contract,
                    episode_started_on=row.episode_started_on,
                    bucket=row.bucket,
                    channels=channels,
                )
        except IntegrityError:
            continue  # already reminded for this bucket of this episode
        offer = offer_forbearance(
            contract=row.contract, customer=row.customer, episode_started_on=row.episode_started_on
        )
        _remind(row, channels, offer)
        sent += 1
    trail.record_if_staff(by=by, action="send_reminders", sent=sent)
    return sent


def _remind(row: QueueRow, channels: str, offer: ForbearanceOffer) -> None:
    profile = get_profile()
    customer = row.customer
    assert customer is not None
    amount = format_money(row.arrears, customer.language, iso_code=profile.money_pattern_iso)
    if "email" in channels:
        send_email(
            to=customer.email,
            subject=gettext_lazy("Échéance impayée sur votre contrat"),
            template="arrears_reminder",
            context={
                "customer": customer,
                "row": row,
                "amount": amount,
                "support": profile.support,
                "measures": [ForbearanceOffer.Measure(m).label for m in offer.measures],
                "debt_advice": offer.debt_advice,
            },
            language=customer.language,
        )
    if "sms" in channels:
        text = _(
            "%(lender)s : une somme de %(amount)s reste impayée sur votre contrat %(number)s. "
            "Des mesures (report, échéances réduites…) peuvent vous être proposées : appelez le %(phone)s "
            "ou faites la demande dans votre espace client."
        ) % {
            "lender": profile.name,
            "amount": amount,
            "number": row.contract.number,
            "phone": profile.support.recovery_phone,
        }
        send_sms(to=customer.phone, text=text)
