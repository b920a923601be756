"""``manage.py business_day [--date D] [--inline] [--wait] [--retry-failed]``: run the lender's business day.

Without ``--inline`` the day is handed to the Celery workers (``manage.py business_worker``) and
``--wait`` draws a progress bar until it is done; ``--inline`` does it in this process (no queue).
Starting a date again resumes its run: what is done stays done, what is not is sent again.
"""

from __future__ import annotations

import sys
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from guichet.lenders.profile import lender_day
from guichet.operations import engine
from guichet.operations.models import BusinessDay, Status
from guichet.operations.progress import DayView, day_view

BAR = 30


def bar(view: DayView) -> str:
    filled = int(view.fraction * BAR)
    running = next((s for s in view.steps if s.status not in (Status.DONE,)), None)
    where = (
        f"{running.position}/{len(view.steps)} {running.name} {running.chunks_done}/{running.chunks_total}"
        if running
        else "done"
    )
    return f"[{'#' * filled}{'.' * (BAR - filled)}] {view.percent:3d}%  {where}"


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a batch: starting it must not hinge on the web layer's URLs
    help = "Run the business day of --date (default: today, lender time) on the workers, or --inline."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--inline", action="store_true", help="Do the whole day in this process.")
        parser.add_argument("--wait", action="store_true", help="Show a progress bar until the day ends.")
        parser.add_argument("--retry-failed", action="store_true", help="Put failed chunks back to work.")

    def handle(self, *args, **options) -> None:
        on = options["date"] or lender_day()
        if options["retry_failed"]:
            try:
                self.stdout.write(f"{engine.retry_failed(on=on)} failed chunk(s) back to pending.")
            except engine.OperationsError as exc:
                raise CommandError(str(exc)) from exc
        if options["inline"]:
            day = engine.run_inline(on=on)
        else:
            from guichet.operations.tasks import send_chunks

            day, ids = engine.start_day(on=on)
            send_chunks(ids)
            self.stdout.write(f"Business day {on}: {len(ids)} chunk(s) sent to the workers.")
            if not options["wait"]:
                return
            day = self._wait(day)
        self._report(day)

    def _wait(self, day: BusinessDay) -> BusinessDay:
        tty = sys.stdout.isatty()
        while True:
            day.refresh_from_db()
            line = bar(day_view(day))
            self.stdout.write(("\r" + line) if tty else line, ending="" if tty else "\n")
            self.stdout.flush()
            if day.status in (Status.DONE, Status.FAILED):
                self.stdout.write("")
                return day
            time.sleep(1 if tty else 5)

    def _report(self, day: BusinessDay) -> None:
        view = day_view(day)
        for s in view.steps:
            took = f"{s.duration_s:.1f} s" if s.duration_s is not None else "-"
            self.stdout.write(
                f"  {s.position}. {s.name:<12} {s.status:<8} chunks {s.chunks_done}/{s.chunks_total}"
                f"  contracts {s.contracts_total}  written {s.items}  {took}"
            )
            for error in s.errors:
                self.stdout.write(f"     ! {error}")
        if day.status == Status.FAILED:
            raise CommandError(f"Business day {day.business_date} failed: {day.error}")
        self.stdout.write(self.style.SUCCESS(f"Business day {day.business_date}: {day.status}."))
