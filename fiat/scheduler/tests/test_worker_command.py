"""``fiat worker`` runs queued tasks and the scheduler, and stops on SIGTERM."""

import contextlib
import os
import signal
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from fiat.scheduler.models import RunStatus, ScheduledRun
from fiat.scheduler.registry import get_job
from fiat.scheduler.runs import claim_slot
from fiat.scheduler.tests.helpers import (
    child_pids,
    database_url_for_subprocess,
    fiat_command,
    is_alive,
    subprocess_environment,
    wait_until,
)

STARTUP_TIMEOUT = 60
STOP_TIMEOUT = 30


def finished_task_result(days_ago: int) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="fiat.scheduler.tasks.run_scheduled_job",
        backend_name="default",
        run_after=get_date_max(),
        status="SUCCESSFUL",
        finished_at=timezone.now() - timedelta(days=days_ago),
    )


def run_status(job_name: str) -> str | None:
    run = ScheduledRun.objects.filter(job_name=job_name).first()
    return None if run is None else run.status


@pytest.fixture
def start_worker(tmp_path):
    """Return a function that starts ``fiat worker`` on the test database."""
    processes = []

    def start(*arguments: str) -> tuple[subprocess.Popen, object]:
        log_path = tmp_path / f"worker-{len(processes)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                fiat_command("worker", *arguments),
                env=subprocess_environment(DATABASE_URL=database_url_for_subprocess()),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        processes.append(process)
        return process, log_path

    try:
        yield start
    finally:
        for process in processes:
            for pid in child_pids(process.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if process.poll() is None:
                process.kill()
                process.wait()


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=STOP_TIMEOUT)


@pytest.mark.django_db(transaction=True)
def test_worker_schedules_and_runs_prune_job(start_worker):
    old_result = finished_task_result(days_ago=40)
    recent_result = finished_task_result(days_ago=5)

    worker, log_path = start_worker("--tick-interval", "0.5", "--interval", "0.2")
    finished = wait_until(
        lambda: run_status("tasks.prune") == RunStatus.SUCCEEDED, STARTUP_TIMEOUT
    )
    exit_code = stop(worker)

    log = log_path.read_text()
    remaining = set(DBTaskResult.objects.values_list("id", flat=True))
    assert finished, log
    assert exit_code == 0
    assert "Claimed slot" in log
    assert "Job tasks.prune succeeded" in log
    assert "Worker stopped" in log
    assert old_result.id not in remaining
    assert recent_result.id in remaining


@pytest.mark.django_db(transaction=True)
def test_worker_processes_run_enqueued_slot(start_worker):
    run = claim_slot(get_job("tasks.prune"), datetime(2026, 5, 4, 1, 0, tzinfo=UTC))

    worker, log_path = start_worker("--concurrency", "2", "--no-scheduler")
    finished = wait_until(
        lambda: run_status("tasks.prune") == RunStatus.SUCCEEDED, STARTUP_TIMEOUT
    )
    # Both children handle SIGTERM only once Django has started in them.
    both_started = wait_until(
        lambda: log_path.read_text().count("Starting worker worker_id=") == 2,
        STARTUP_TIMEOUT,
    )
    children = child_pids(worker.pid)
    exit_code = stop(worker)

    log = log_path.read_text()
    assert finished, log
    assert both_started, log
    assert len(children) == 2
    assert exit_code == 0
    assert ScheduledRun.objects.get().pk == run.pk
    assert [pid for pid in children if is_alive(pid)] == []
    assert log.count("stopped with code 0") == 2
    assert "Worker stopped" in log
