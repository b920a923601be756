"""The business day is started by Celery's scheduler at the lender's cut-off, on the lender's clock."""

from __future__ import annotations

from django.conf import settings


def test_the_scheduler_starts_the_day_at_the_cut_off_in_the_lenders_time_zone() -> None:
    from guichet.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["business day at the lender's cut-off"]
    hour, minute = (int(x) for x in settings.GUICHET_BUSINESS_DAY_CUTOFF.split(":"))
    assert entry["task"] == "guichet.operations.start_business_day"
    assert entry["schedule"].hour == {hour} and entry["schedule"].minute == {minute}
    assert str(app.timezone) == settings.TIME_ZONE  # the lender profile's zone, e.g. Europe/Paris
    # The crontab is read on that clock: Paris summer or winter time moves the cut-off in UTC, not here.
    assert str(entry["schedule"].tz) == settings.TIME_ZONE
