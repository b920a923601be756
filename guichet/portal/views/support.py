"""Customer-space pages: help and contact ("Besoin d'aide ?"), with the support line's open-now mark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.lenders.profile import LenderProfile, get_profile

DAY_NAMES = (_("Lundi"), _("Mardi"), _("Mercredi"), _("Jeudi"), _("Vendredi"), _("Samedi"), _("Dimanche"))


@dataclass(frozen=True)
class OpeningDay:
    name: str
    spans: tuple[tuple[time, time], ...]
    is_today: bool


def opening_days(profile: LenderProfile, now: datetime) -> list[OpeningDay]:
    """The week's opening hours, Monday first, with today (in the lender's time zone) marked."""
    today = now.astimezone(profile.time_zone).weekday()
    return [
        OpeningDay(name=str(DAY_NAMES[d]), spans=profile.support.hours.get(d, ()), is_today=d == today)
        for d in range(7)
    ]


def support(request: HttpRequest) -> HttpResponse:
    profile = get_profile()
    now = timezone.now()
    return render(
        request,
        "portal/support/support.html",
        {
            "days": opening_days(profile, now),
            "is_open": profile.support.is_open(now, profile.time_zone),
            "local_now": now.astimezone(profile.time_zone),
        },
    )


urlpatterns: list[URLPattern] = [
    path("aide/", support, name="support"),
]
