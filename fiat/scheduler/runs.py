"""Commands that change scheduled jobs and runs: claim, start, finish, sync.

Every status change of a ``ScheduledRun`` goes through ``_transition``, which
checks ``RUN_TRANSITIONS`` and writes only the changed fields, on a row that
the same transaction has locked with ``_lock_run`` or has just inserted.
"""

import logging
import traceback
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from fiat.scheduler.models import (
    InvalidRunTransitionError,
    RunStatus,
    ScheduledJob,
    ScheduledRun,
)
from fiat.scheduler.registry import PeriodicJob, registered_jobs

logger = logging.getLogger(__name__)


def _lock_run(run_id: int) -> ScheduledRun:
    return ScheduledRun.objects.select_for_update().get(pk=run_id)


def _transition(run: ScheduledRun, new_status: RunStatus, **fields) -> ScheduledRun:
    """Move the locked ``run`` to ``new_status`` and save it with ``fields``.

    Raises InvalidRunTransitionError when the current status does not allow
    ``new_status``.
    """
    if not run.can_become(new_status):
        raise InvalidRunTransitionError(run, new_status)
    run.status = new_status
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields])
    return run


def claim_slot(
    job: PeriodicJob, slot_at: datetime, *, claimed_by: str = ""
) -> ScheduledRun | None:
    """Claim ``slot_at`` of ``job`` and enqueue its run, or return None.

    The run row is inserted and the task enqueued in one transaction, so a
    claimed slot always has its task. An IntegrityError on the insert means
    another scheduler claimed the slot first, and None is returned.
    """
    from fiat.scheduler.tasks import run_scheduled_job

    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(
                job_name=job.name, slot_at=slot_at, claimed_by=claimed_by
            )
            result = run_scheduled_job.enqueue(run.pk)
            run = _transition(run, RunStatus.QUEUED, task_result_id=str(result.id))
    except IntegrityError:
        logger.debug("Slot %s of %s is already claimed", slot_at, job.name)
        return None
    logger.info(
        "Claimed slot %s of %s as run %s",
        slot_at.isoformat(),
        job.name,
        run.pk,
        extra={"job_name": job.name, "run_id": run.pk, "claimed_by": claimed_by},
    )
    return run


def start_run(run_id: int, *, now: datetime | None = None) -> ScheduledRun | None:
    """Mark run ``run_id`` running, or return None if it is not queued.

    A run that is not queued has been started already, for instance by a
    task delivered twice, and must not run its job a second time.

    NOTE: a worker killed while running a job leaves the run "running" for
    good; nothing marks such runs failed yet.
    """
    with transaction.atomic():
        run = _lock_run(run_id)
        if run.status != RunStatus.QUEUED:
            logger.warning(
                "Run %s of %s is %s, not queued; not running it again",
                run.pk,
                run.job_name,
                run.status,
                extra={"job_name": run.job_name, "run_id": run.pk},
            )
            return None
        return _transition(run, RunStatus.RUNNING, started_at=now or timezone.now())


def record_success(run_id: int, *, now: datetime | None = None) -> ScheduledRun:
    with transaction.atomic():
        return _transition(
            _lock_run(run_id), RunStatus.SUCCEEDED, finished_at=now or timezone.now()
        )


def record_failure(
    run_id: int, error: BaseException, *, now: datetime | None = None
) -> ScheduledRun:
    """Mark run ``run_id`` failed, storing the traceback of ``error``."""
    with transaction.atomic():
        return _transition(
            _lock_run(run_id),
            RunStatus.FAILED,
            finished_at=now or timezone.now(),
            error="".join(traceback.format_exception(error)),
        )


def sync_jobs() -> None:
    """Create or update a ScheduledJob row for every registered job.

    The description and schedule follow the code, while ``enabled`` stays as
    the administrator left it. Rows of jobs no longer registered are kept so
    their history stays visible.
    """
    with translation.override("en"):
        for job in registered_jobs():
            ScheduledJob.objects.update_or_create(
                name=job.name,
                defaults={
                    "description": job.description,
                    "schedule": job.schedule.describe(),
                },
            )
