"""The scheduler claims each due slot once, catches up, and records outcomes."""

import logging
import threading
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connections
from django_tasks_db.models import DBTaskResult

from fiat.scheduler.models import (
    InvalidRunTransitionError,
    RunStatus,
    ScheduledJob,
    ScheduledRun,
)
from fiat.scheduler.registry import unregister
from fiat.scheduler.runs import record_success, sync_jobs
from fiat.scheduler.scheduler import tick
from fiat.scheduler.schedules import CatchUp, Daily, Every
from fiat.scheduler.tasks import run_scheduled_job
from fiat.scheduler.tests.helpers import run_queued_tasks

HOUR = timedelta(hours=1)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def slots_of(job_name: str) -> list[datetime]:
    runs = ScheduledRun.objects.filter(job_name=job_name).order_by("slot_at")
    return list(runs.values_list("slot_at", flat=True))


def warnings_in(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def executed_slots() -> list[datetime]:
    """Return the list that the test jobs append each slot they run for."""
    return []


@pytest.fixture
def hourly_job(register_job, executed_slots):
    return register_job("test.hourly", executed_slots.append, Every(timedelta(hours=1)))


@pytest.mark.django_db
def test_first_tick_claims_current_slot_only(hourly_job):
    claimed = tick(utc(2026, 5, 4, 10, 30), jobs=[hourly_job])

    assert [run.slot_at for run in claimed] == [utc(2026, 5, 4, 10, 0)]
    assert slots_of("test.hourly") == [utc(2026, 5, 4, 10, 0)]


@pytest.mark.django_db
def test_second_tick_in_same_slot_claims_nothing(hourly_job):
    tick(utc(2026, 5, 4, 10, 30), jobs=[hourly_job])

    claimed = tick(utc(2026, 5, 4, 10, 59), jobs=[hourly_job])

    assert claimed == []
    assert slots_of("test.hourly") == [utc(2026, 5, 4, 10, 0)]


@pytest.mark.django_db
def test_claimed_run_is_queued_with_its_task(hourly_job):
    (run,) = tick(utc(2026, 5, 4, 10, 30), jobs=[hourly_job], scheduler_id="host:1")

    run.refresh_from_db()
    task_result = DBTaskResult.objects.get(id=run.task_result_id)
    assert run.status == RunStatus.QUEUED
    assert run.claimed_by == "host:1"
    assert task_result.queue_name == "scheduled"
    assert task_result.task_path == "fiat.scheduler.tasks.run_scheduled_job"
    assert task_result.args_kwargs == {"args": [run.pk], "kwargs": {}}


@pytest.mark.django_db(transaction=True)
def test_worker_runs_job_and_records_success(hourly_job, executed_slots):
    (run,) = tick(utc(2026, 5, 4, 10, 30), jobs=[hourly_job])

    run_queued_tasks()

    run.refresh_from_db()
    assert executed_slots == [utc(2026, 5, 4, 10, 0)]
    assert run.status == RunStatus.SUCCEEDED
    assert run.error == ""
    assert run.started_at is not None
    assert run.finished_at >= run.started_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("catch_up", "expected_slots"),
    [
        (
            CatchUp.ALL,
            [
                utc(2026, 3, 2, 8, 0),
                utc(2026, 3, 3, 8, 0),
                utc(2026, 3, 4, 8, 0),
                utc(2026, 3, 5, 8, 0),
            ],
        ),
        (CatchUp.LATEST, [utc(2026, 3, 2, 8, 0), utc(2026, 3, 5, 8, 0)]),
    ],
)
def test_catch_up_after_three_days_down(register_job, catch_up, expected_slots):
    job = register_job(
        "test.daily",
        lambda slot_at: None,
        Daily(time(9, 0), tz="Europe/Amsterdam"),
        catch_up=catch_up,
    )
    tick(utc(2026, 3, 2, 9, 0), jobs=[job])

    claimed = tick(utc(2026, 3, 5, 9, 0), jobs=[job])

    assert len(claimed) == len(expected_slots) - 1
    assert slots_of("test.daily") == expected_slots


@pytest.mark.django_db
def test_catch_up_all_is_capped_with_warning(register_job, caplog):
    job = register_job(
        "test.minutely",
        lambda slot_at: None,
        Every(timedelta(minutes=1)),
        catch_up=CatchUp.ALL,
        max_catch_up=5,
    )
    tick(utc(2026, 5, 4, 6, 0), jobs=[job])

    with caplog.at_level(logging.WARNING, logger="fiat.scheduler"):
        tick(utc(2026, 5, 4, 10, 10, 30), jobs=[job])

    assert slots_of("test.minutely") == [
        utc(2026, 5, 4, 6, 0),
        utc(2026, 5, 4, 10, 6),
        utc(2026, 5, 4, 10, 7),
        utc(2026, 5, 4, 10, 8),
        utc(2026, 5, 4, 10, 9),
        utc(2026, 5, 4, 10, 10),
    ]
    assert warnings_in(caplog) == [
        (
            "Job test.minutely missed more than 5 slots; running the latest 5 "
            "from 2026-05-04T10:06:00+00:00 and skipping the older missed slots "
            "from 2026-05-04T06:01:00+00:00 to 2026-05-04T10:05:00+00:00"
        )
    ]


@pytest.mark.django_db
def test_catch_up_exactly_at_cap_logs_no_warning(register_job, caplog):
    job = register_job(
        "test.minutely",
        lambda slot_at: None,
        Every(timedelta(minutes=1)),
        catch_up=CatchUp.ALL,
        max_catch_up=5,
    )
    tick(utc(2026, 5, 4, 10, 0), jobs=[job])

    with caplog.at_level(logging.WARNING, logger="fiat.scheduler"):
        claimed = tick(utc(2026, 5, 4, 10, 5), jobs=[job])

    assert len(claimed) == 5
    assert warnings_in(caplog) == []


class BrokenSchedule(Every):
    def latest_slot(self, at: datetime) -> datetime:
        raise RuntimeError("schedule is broken")


@pytest.mark.django_db
def test_broken_job_does_not_block_others(register_job, hourly_job, caplog):
    broken = register_job("test.broken", lambda slot_at: None, BrokenSchedule(HOUR))

    claimed = tick(utc(2026, 5, 4, 10, 30), jobs=[broken, hourly_job])

    assert [run.job_name for run in claimed] == ["test.hourly"]
    assert warnings_in(caplog) == [
        "Scheduling job test.broken failed; retrying at the next tick"
    ]


@pytest.mark.django_db
def test_disabled_job_is_not_claimed(hourly_job):
    sync_jobs()
    ScheduledJob.objects.filter(name="test.hourly").update(enabled=False)

    claimed = tick(utc(2026, 5, 4, 10, 30), jobs=[hourly_job])

    assert claimed == []
    assert slots_of("test.hourly") == []


@pytest.mark.django_db(transaction=True)
def test_failing_job_is_recorded_and_next_slot_runs(register_job, caplog):
    executed = []

    def import_bank_feed(slot_at: datetime) -> None:
        if slot_at == utc(2026, 5, 4, 10, 0):
            raise ConnectionError("bank feed unavailable")
        executed.append(slot_at)

    job = register_job("test.bank_feed", import_bank_feed, Every(timedelta(hours=1)))
    tick(utc(2026, 5, 4, 10, 30), jobs=[job])
    run_queued_tasks()

    tick(utc(2026, 5, 4, 11, 30), jobs=[job])
    run_queued_tasks()

    failed, succeeded = ScheduledRun.objects.filter(job_name="test.bank_feed").order_by(
        "slot_at"
    )
    assert failed.status == RunStatus.FAILED
    assert failed.error.endswith("ConnectionError: bank feed unavailable\n")
    assert failed.finished_at is not None
    assert succeeded.status == RunStatus.SUCCEEDED
    assert executed == [utc(2026, 5, 4, 11, 0)]
    assert (
        "Job test.bank_feed failed for slot 2026-05-04T10:00:00+00:00 "
        f"(run {failed.pk})"
    ) in caplog.messages


@pytest.mark.django_db(transaction=True)
def test_failed_run_marks_task_result_failed(register_job):
    def always_fails(slot_at: datetime) -> None:
        raise ValueError("no company set up")

    job = register_job("test.fails", always_fails, Every(timedelta(hours=1)))
    (run,) = tick(utc(2026, 5, 4, 10, 30), jobs=[job])

    run_queued_tasks()

    task_result = DBTaskResult.objects.get(id=run.task_result_id)
    assert task_result.status == "FAILED"
    assert task_result.exception_class_path == "builtins.ValueError"


@pytest.mark.django_db(transaction=True)
def test_unregistered_job_run_fails(register_job):
    job = register_job("test.removed", lambda slot_at: None, Every(timedelta(hours=1)))
    (run,) = tick(utc(2026, 5, 4, 10, 30), jobs=[job])
    unregister("test.removed")

    run_queued_tasks()

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "No periodic job is registered as 'test.removed'" in run.error


@pytest.mark.django_db
def test_task_delivered_twice_runs_job_once(hourly_job, executed_slots):
    (run,) = tick(utc(2026, 5, 4, 10, 30), jobs=[hourly_job])

    first = run_scheduled_job.call(run.pk)
    second = run_scheduled_job.call(run.pk)

    assert first == RunStatus.SUCCEEDED
    assert second is None
    assert executed_slots == [utc(2026, 5, 4, 10, 0)]


@pytest.mark.django_db(transaction=True)
def test_finished_run_cannot_succeed_again(hourly_job):
    (run,) = tick(utc(2026, 5, 4, 10, 30), jobs=[hourly_job])
    run_queued_tasks()

    with pytest.raises(InvalidRunTransitionError, match="is succeeded and cannot"):
        record_success(run.pk)


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_run_each_slot_once(register_job):
    executed = []
    job = register_job(
        "test.every_minute",
        executed.append,
        Every(timedelta(minutes=1)),
        catch_up=CatchUp.ALL,
    )
    start = utc(2026, 5, 4, 9, 0)
    # Scheduler A ticks every 20 seconds, scheduler B every 50, so they meet
    # on some slots and B catches up slots that A has not reached yet.
    clocks = {
        "scheduler-a": [start + timedelta(seconds=20 * i) for i in range(181)],
        "scheduler-b": [start + timedelta(seconds=50 * i) for i in range(73)],
    }
    barrier = threading.Barrier(len(clocks))
    errors = []

    def run_scheduler(scheduler_id: str) -> None:
        try:
            barrier.wait()
            for now in clocks[scheduler_id]:
                tick(now, jobs=[job], scheduler_id=scheduler_id)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    def run_worker() -> None:
        try:
            run_queued_tasks()
        finally:
            connections.close_all()

    run_in_threads(run_scheduler, list(clocks))
    run_in_threads(lambda _: run_worker(), [1, 2])

    expected = [start + timedelta(minutes=i) for i in range(61)]
    runs = ScheduledRun.objects.filter(job_name="test.every_minute")
    assert errors == []
    assert slots_of("test.every_minute") == expected
    assert set(runs.values_list("status", flat=True)) == {RunStatus.SUCCEEDED}
    assert set(runs.values_list("claimed_by", flat=True)) <= set(clocks)
    assert sorted(executed) == expected
    assert max(Counter(executed).values()) == 1


def run_in_threads(target, arguments: list) -> None:
    threads = [
        threading.Thread(target=target, args=(argument,)) for argument in arguments
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
