"""Periodic housekeeping of the task queue and the scheduler's own history."""

import logging
from datetime import datetime, time, timedelta

from django.db.models import Max
from django_tasks_db.models import DBTaskResult

from fiat.scheduler.models import FINISHED_RUN_STATUSES, ScheduledRun
from fiat.scheduler.registry import periodic_job
from fiat.scheduler.schedules import CatchUp, Daily

logger = logging.getLogger(__name__)

TASK_RESULT_RETENTION = timedelta(days=30)
RUN_RETENTION = timedelta(days=90)


@periodic_job(
    "tasks.prune",
    schedule=Daily(time(3, 0)),
    description="Delete finished background task results older than 30 days.",
    catch_up=CatchUp.LATEST,
)
def prune_task_results(slot_at: datetime) -> int:
    """Delete succeeded and failed task results finished 30 or more days ago.

    The age is counted from ``slot_at``, not from the clock. Ready and running
    results are kept whatever their age.
    """
    cutoff = slot_at - TASK_RESULT_RETENTION
    deleted, _ = (
        DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    )
    logger.info("Deleted %d task results finished before %s", deleted, cutoff)
    return deleted


@periodic_job(
    "scheduler.prune_runs",
    schedule=Daily(time(3, 15)),
    description="Delete finished scheduled runs older than 90 days, keeping "
    "the latest run of each job.",
    catch_up=CatchUp.LATEST,
)
def prune_scheduled_runs(slot_at: datetime) -> int:
    """Delete finished runs whose slot is more than 90 days before this slot.

    The latest run of each job is kept whatever its age, because the scheduler
    catches up missed slots from it.
    """
    cutoff = slot_at - RUN_RETENTION
    latest_slots = (
        ScheduledRun.objects.values("job_name")
        .annotate(latest_slot_at=Max("slot_at"))
        .values_list("job_name", "latest_slot_at")
    )
    old_runs = ScheduledRun.objects.filter(
        slot_at__lt=cutoff, status__in=FINISHED_RUN_STATUSES
    )
    for job_name, latest_slot_at in latest_slots:
        old_runs = old_runs.exclude(job_name=job_name, slot_at=latest_slot_at)
    deleted, _ = old_runs.delete()
    logger.info("Deleted %d scheduled runs with slots before %s", deleted, cutoff)
    return deleted
