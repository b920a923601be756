"""``manage.py business_day``: inline run with its report, the progress bar, a failed day's exit."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guichet.operations import engine, steps
from guichet.operations.management.commands.business_day import bar
from guichet.operations.progress import view_for
from tests.factories import make_contract

pytestmark = pytest.mark.django_db
ON = date(2026, 2, 10)


def test_inline_day_reports_every_step_and_ends_done() -> None:
    make_contract(start_on=date(2026, 1, 10))
    out = StringIO()
    call_command("business_day", "--date", ON.isoformat(), "--inline", stdout=out)
    text = out.getvalue()
    assert "installments" in text and "closing" in text
    assert "Business day 2026-02-10: done." in text
    assert bar(view_for(ON)).startswith("[" + "#" * 30 + "] 100%")


def test_progress_bar_counts_the_running_steps_chunks(settings, monkeypatch) -> None:
    settings.GUICHET_BUSINESS_DAY_BACKOFF_S = 0.0
    make_contract(start_on=date(2026, 1, 10))
    step = steps.BY_NAME["installments"]

    def broken(on, first_id, last_id):
        raise RuntimeError("boom")

    monkeypatch.setitem(steps.BY_NAME, "installments", steps.Step(step.name, step.label, step.plan, broken))
    with pytest.raises(CommandError, match="failed"):
        call_command("business_day", "--date", ON.isoformat(), "--inline", stdout=StringIO())
    line = bar(view_for(ON))
    assert line.startswith("[" + "." * 30 + "]   0%") and "1/" in line and "installments 0/1" in line
    assert engine.retry_failed(on=ON) == 1  # and the failed chunk can be put back to work
