"""Background task of the alerts (django-tasks): the worker imports it by this dotted path."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from .alerts import send_alerts


@task()
def send_alerts_task(on: str) -> dict[str, object]:
    """Send the alerts of day ``on`` (ISO date); returns the counts for the task result."""
    report = send_alerts(on=date.fromisoformat(on))
    return {"on": on, "sent": report.sent, "failed": report.failed}
