"""Read side of the business day: progress of a run, for the command, the back-office page, metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q, Sum

from .models import BusinessDay, Chunk, Status, StepRun
from .steps import BY_NAME


@dataclass(frozen=True)
class StepView:
    position: int
    name: str
    label: str
    status: str
    chunks_total: int
    chunks_done: int
    chunks_failed: int
    retries: int
    contracts_total: int
    items: int
    duration_s: float | None
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DayView:
    day: BusinessDay
    steps: list[StepView]

    @property
    def chunks_total(self) -> int:
        return sum(s.chunks_total for s in self.steps)

    @property
    def chunks_done(self) -> int:
        return sum(s.chunks_done for s in self.steps)

    @property
    def fraction(self) -> float:
        """Share of the day done: finished steps count whole, the running one by its chunks."""
        done = 0.0
        for s in self.steps:
            if s.status == Status.DONE:
                done += 1
            elif s.chunks_total:
                done += s.chunks_done / s.chunks_total
        return done / len(self.steps) if self.steps else 0.0

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)


def day_view(day: BusinessDay) -> DayView:
    """A run and its steps with chunk counts (two queries)."""
    counts = {
        row["step_id"]: row
        for row in Chunk.objects.filter(step__day=day)
        .values("step_id")
        .annotate(
            done=Count("pk", filter=Q(status=Status.DONE)),
            failed=Count("pk", filter=Q(status=Status.FAILED)),
            retries=Sum("attempts"),
            items=Sum("items"),
            last_done=Max("done_at"),
        )
    }
    errors: dict[int, list[str]] = {}
    for step_id, number, error in (
        Chunk.objects.filter(step__day=day).exclude(error="").values_list("step_id", "number", "error")[:50]
    ):
        errors.setdefault(step_id, []).append(f"lot {number} : {error}")
    steps = []
    for s in StepRun.objects.filter(day=day).order_by("position"):
        c = counts.get(s.pk, {})
        steps.append(
            StepView(
                position=s.position,
                name=s.name,
                label=BY_NAME[s.name].label if s.name in BY_NAME else s.name,
                status=s.status,
                chunks_total=s.chunks_total,
                chunks_done=c.get("done", 0),
                chunks_failed=c.get("failed", 0),
                retries=c.get("retries") or 0,
                contracts_total=s.contracts_total,
                items=c.get("items") or 0,
                duration_s=s.duration_s,
                errors=errors.get(s.pk, []),
            )
        )
    return DayView(day=day, steps=steps)


def view_for(on: date) -> DayView | None:
    day = BusinessDay.objects.filter(business_date=on).first()
    return day_view(day) if day else None


def recent_days(limit: int = 14) -> list[BusinessDay]:
    return list(BusinessDay.objects.order_by("-business_date")[:limit])
