"""Housekeeping jobs prune old task results and old scheduled runs."""

from datetime import UTC, datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult, get_date_max

from fiat.scheduler.jobs import prune_scheduled_runs, prune_task_results
from fiat.scheduler.models import RunStatus, ScheduledRun
from fiat.scheduler.registry import CatchUp, get_job
from fiat.scheduler.schedules import Daily

SLOT_AT = datetime(2026, 6, 1, 1, 0, tzinfo=UTC)


def task_result(status: str, finished_days_before_slot: int | None) -> DBTaskResult:
    finished_at = (
        None
        if finished_days_before_slot is None
        else SLOT_AT - timedelta(days=finished_days_before_slot)
    )
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="fiat.scheduler.tasks.run_scheduled_job",
        backend_name="default",
        run_after=get_date_max(),
        status=status,
        finished_at=finished_at,
    )


def scheduled_run(job_name: str, days_before_slot: int, status: str) -> ScheduledRun:
    return ScheduledRun.objects.create(
        job_name=job_name,
        slot_at=SLOT_AT - timedelta(days=days_before_slot),
        status=status,
    )


def test_prune_jobs_are_registered_daily():
    assert get_job("tasks.prune").function is prune_task_results
    assert isinstance(get_job("tasks.prune").schedule, Daily)
    assert get_job("tasks.prune").catch_up is CatchUp.LATEST
    assert get_job("scheduler.prune_runs").function is prune_scheduled_runs
    assert isinstance(get_job("scheduler.prune_runs").schedule, Daily)


@pytest.mark.django_db
def test_prune_task_results_deletes_finished_after_30_days():
    old_success = task_result("SUCCESSFUL", finished_days_before_slot=31)
    old_failure = task_result("FAILED", finished_days_before_slot=30)
    recent_success = task_result("SUCCESSFUL", finished_days_before_slot=29)
    waiting = task_result("READY", finished_days_before_slot=None)

    deleted = prune_task_results(SLOT_AT)

    remaining = set(DBTaskResult.objects.values_list("id", flat=True))
    assert deleted == 2
    assert old_success.id not in remaining
    assert old_failure.id not in remaining
    assert remaining == {recent_success.id, waiting.id}


@pytest.mark.django_db
def test_prune_runs_keeps_latest_per_job():
    old = scheduled_run("audit.seal", 100, RunStatus.SUCCEEDED)
    recent = scheduled_run("audit.seal", 10, RunStatus.SUCCEEDED)
    old_unfinished = scheduled_run("reports.mail", 120, RunStatus.QUEUED)
    old_but_latest = scheduled_run("reports.mail", 95, RunStatus.FAILED)

    deleted = prune_scheduled_runs(SLOT_AT)

    remaining = set(ScheduledRun.objects.values_list("pk", flat=True))
    assert deleted == 1
    assert old.pk not in remaining
    assert remaining == {recent.pk, old_unfinished.pk, old_but_latest.pk}
