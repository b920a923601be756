"""Celery tasks of the business day: start a date, work a chunk. They carry ids; the tables hold the state.

``work_chunk`` claims its chunk (``engine.run_chunk``); when the chunk is done it moves the day
forward and sends the chunks of the next step. A failed chunk is sent again after its backoff; the
last failure is recorded and stops the day (``engine.advance``), never skipped.
"""

from __future__ import annotations

from datetime import date

from guichet.celery import app
from guichet.lenders.profile import lender_day
from guichet.notifications import outbox

from . import engine


def send_chunks(ids: list[int], countdown: float | None = None) -> None:
    for chunk_id in ids:
        work_chunk.apply_async((chunk_id,), countdown=countdown)


def retry_day(*, on: date, by: object) -> int:
    """Put the failed chunks of ``on`` back to work (recorded for ``by``), hand the day to the workers."""
    retried = engine.retry_failed(on=on, by=by)
    _day, ids = engine.start_day(on=on)
    send_chunks(ids)
    return retried


@app.task(name="guichet.operations.start_business_day")
def start_business_day(on: str | None = None) -> dict[str, object]:
    """Start (or resume) the day ``on`` (ISO date; default: today in the lender's time zone)."""

    day, ids = engine.start_day(on=date.fromisoformat(on) if on else lender_day())
    send_chunks(ids)
    return {"business_date": day.business_date.isoformat(), "sent": len(ids)}


@app.task(name="guichet.operations.work_chunk")
def work_chunk(chunk_id: int) -> str:
    outcome = engine.run_chunk(chunk_id=chunk_id)
    if outcome.state == "retry":
        send_chunks([chunk_id], countdown=outcome.retry_in)
    elif outcome.day_id is not None:
        if outcome.state == "done":
            flush_outbox.delay()
        send_chunks(engine.advance(day_id=outcome.day_id))
    return outcome.state


@app.task(name="guichet.operations.flush_outbox")
def flush_outbox() -> int:
    """Send the emails and SMS the committed chunks left in the outbox (any worker; each sent once)."""
    return outbox.flush()
