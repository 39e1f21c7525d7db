"""The scheduler: find the due slots of each job and claim them.

A tick looks at each enabled job, works out which slots are due since the
latest slot claimed for it, and claims them (``runs.claim_slot``). Claiming
inserts a (job, slot) row under a unique constraint, so any number of
schedulers may tick at once, on any number of machines, and each slot still
runs once.

A job never run before starts at its current slot. After downtime,
``CatchUp.ALL`` claims each missed slot, up to the latest ``max_catch_up`` of
them, and ``CatchUp.LATEST`` claims only the most recent one.

``SchedulerLoop`` runs ticks in a thread of the worker process.
"""

import logging
import os
import socket
import threading
from collections.abc import Iterable
from datetime import datetime

from django.db import close_old_connections, connections
from django.db.models import Max
from django.utils import timezone

from fiat.scheduler.models import ScheduledJob, ScheduledRun
from fiat.scheduler.registry import PeriodicJob, registered_jobs
from fiat.scheduler.runs import claim_slot, sync_jobs
from fiat.scheduler.schedules import CatchUp

logger = logging.getLogger(__name__)

DEFAULT_TICK_INTERVAL = 5.0


def default_scheduler_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def latest_claimed_slot(job_name: str) -> datetime | None:
    return ScheduledRun.objects.filter(job_name=job_name).aggregate(
        latest=Max("slot_at")
    )["latest"]


def due_slots(job: PeriodicJob, now: datetime) -> list[datetime]:
    """Return the slots of ``job`` to claim at ``now``, oldest first."""
    current = job.schedule.latest_slot(now)
    latest_claimed = latest_claimed_slot(job.name)
    if latest_claimed is None:
        return [current]
    if latest_claimed >= current:
        return []
    if job.catch_up is CatchUp.LATEST:
        return [current]
    return _missed_slots(job, latest_claimed, current)


def _missed_slots(
    job: PeriodicJob, latest_claimed: datetime, current: datetime
) -> list[datetime]:
    """Return the slots after ``latest_claimed`` up to ``current``, capped.

    Walks back from ``current`` so that a long downtime of a frequent job
    costs at most ``max_catch_up`` steps, not one per missed slot.
    """
    slots = [current]
    while len(slots) < job.max_catch_up:
        previous = job.schedule.previous_slot(slots[-1])
        if previous <= latest_claimed:
            return slots[::-1]
        slots.append(previous)
    oldest_skipped = job.schedule.next_slot(latest_claimed)
    if oldest_skipped < slots[-1]:
        logger.warning(
            "Job %s missed more than %d slots; running the latest %d from %s and "
            "skipping the older missed slots from %s to %s",
            job.name,
            job.max_catch_up,
            job.max_catch_up,
            slots[-1].isoformat(),
            oldest_skipped.isoformat(),
            job.schedule.previous_slot(slots[-1]).isoformat(),
            extra={"job_name": job.name},
        )
    return slots[::-1]


def _disabled_job_names() -> set[str]:
    return set(
        ScheduledJob.objects.filter(enabled=False).values_list("name", flat=True)
    )


def tick(
    now: datetime | None = None,
    *,
    jobs: Iterable[PeriodicJob] | None = None,
    scheduler_id: str = "",
) -> list[ScheduledRun]:
    """Claim every due slot of ``jobs`` (all registered jobs by default).

    Returns the runs this call claimed, without the slots that another
    scheduler claimed first. A job disabled in the admin is skipped, and a job
    whose slots cannot be claimed is logged and left for the next tick.
    """
    now = now or timezone.now()
    disabled = _disabled_job_names()
    claimed = []
    for job in registered_jobs() if jobs is None else jobs:
        if job.name in disabled:
            continue
        try:
            claimed.extend(_claim_due_slots(job, now, scheduler_id))
        except Exception:
            logger.exception(
                "Scheduling job %s failed; retrying at the next tick",
                job.name,
                extra={"job_name": job.name},
            )
    return claimed


def _claim_due_slots(
    job: PeriodicJob, now: datetime, scheduler_id: str
) -> list[ScheduledRun]:
    runs = (
        claim_slot(job, slot_at, claimed_by=scheduler_id)
        for slot_at in due_slots(job, now)
    )
    return [run for run in runs if run is not None]


class SchedulerLoop(threading.Thread):
    """A daemon thread that ticks every ``interval`` seconds until stopped.

    The thread has its own database connections and closes them when it ends.
    A tick that raises is logged and the next tick runs as usual.
    """

    def __init__(
        self, interval: float = DEFAULT_TICK_INTERVAL, scheduler_id: str = ""
    ) -> None:
        super().__init__(name="fiat-scheduler", daemon=True)
        self.interval = interval
        self.scheduler_id = scheduler_id or default_scheduler_id()
        self._stop_requested = threading.Event()

    def run(self) -> None:
        logger.info(
            "Scheduler %s started, ticking every %ss", self.scheduler_id, self.interval
        )
        try:
            self._run_ticks()
        finally:
            connections.close_all()
            logger.info("Scheduler %s stopped", self.scheduler_id)

    def _run_ticks(self) -> None:
        jobs_synced = False
        while not self._stop_requested.is_set():
            close_old_connections()
            try:
                if not jobs_synced:
                    sync_jobs()
                    jobs_synced = True
                tick(scheduler_id=self.scheduler_id)
            except Exception:
                logger.exception(
                    "Scheduler tick failed; retrying in %ss", self.interval
                )
            self._stop_requested.wait(self.interval)

    def stop(self, timeout: float | None = None) -> None:
        """Ask the loop to end after the current tick and wait for it."""
        self._stop_requested.set()
        if self.is_alive():
            self.join(timeout)
