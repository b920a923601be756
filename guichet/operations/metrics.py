"""The business day in the Prometheus text exposition format (version 0.0.4), for a scrape endpoint."""

from __future__ import annotations

from .models import BusinessDay, Status
from .progress import day_view

_STATUS_CODE = {Status.PENDING: 0, Status.RUNNING: 1, Status.DONE: 2, Status.FAILED: 3}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def prometheus_text() -> str:
    """Metrics of the latest business day: status, chunks done/failed/total, retries, step durations."""
    lines = [
        "# HELP guichet_business_day_status Latest business day: 0 pending, 1 running, 2 done, 3 failed.",
        "# TYPE guichet_business_day_status gauge",
    ]
    day = BusinessDay.objects.order_by("-business_date").first()
    if day is None:
        return "\n".join(lines) + "\n"
    view = day_view(day)
    d = day.business_date.isoformat()
    lines.append(f'guichet_business_day_status{{date="{d}"}} {_STATUS_CODE[day.status]}')
    families = (
        ("guichet_business_day_chunks_total", "Chunks planned per step.", lambda s: s.chunks_total),
        ("guichet_business_day_chunks_done", "Chunks done per step.", lambda s: s.chunks_done),
        ("guichet_business_day_chunks_failed", "Chunks failed for good per step.", lambda s: s.chunks_failed),
        ("guichet_business_day_chunk_retries", "Failed attempts per step (retried).", lambda s: s.retries),
        (
            "guichet_business_day_contracts",
            "Contracts with something to do per step.",
            lambda s: s.contracts_total,
        ),
        (
            "guichet_business_day_items",
            "What each step wrote (entries, debits, notices…).",
            lambda s: s.items,
        ),
    )
    for name, help_text, read in families:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
        lines += [f'{name}{{date="{d}",step="{_escape(s.name)}"}} {read(s)}' for s in view.steps]
    name = "guichet_business_day_step_seconds"
    lines += [f"# HELP {name} Wall-clock duration of each finished step.", f"# TYPE {name} gauge"]
    lines += [
        f'{name}{{date="{d}",step="{_escape(s.name)}"}} {s.duration_s:.3f}'
        for s in view.steps
        if s.duration_s is not None
    ]
    return "\n".join(lines) + "\n"
