"""Long-running processes: the task worker with the scheduler, and their children.

``fiat worker`` runs the django-tasks-db worker loop and, in a thread, the
scheduler of periodic jobs. With ``--concurrency N`` it starts N
``db_worker`` processes instead and supervises them, and ``fiat serve``
supervises gunicorn plus one ``fiat worker``. Child processes are started
with ``python -m django`` and the same settings module, data folder and
database as the parent.
"""

import logging
import os
import socket
import sys
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from fiat.scheduler.scheduler import DEFAULT_TICK_INTERVAL, SchedulerLoop
from fiat.scheduler.supervisor import Child, Supervisor

logger = logging.getLogger(__name__)

WORKER_QUEUES = ("default", "scheduled")


@dataclass(frozen=True)
class WorkerOptions:
    """Settings of ``fiat worker``: processes, queues, and intervals in seconds."""

    concurrency: int = 1
    run_scheduler: bool = True
    tick_interval: float = DEFAULT_TICK_INTERVAL
    poll_interval: float = 1.0
    queue_names: tuple[str, ...] = WORKER_QUEUES


def child_environment() -> dict[str, str]:
    """Return the environment for a child: this one, with settings pinned."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "fiat.settings"
        ),
        "FIAT_DATA_DIR": str(settings.DATA_DIR),
    }


def django_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "django", *arguments]


def worker_id(index: int | None = None) -> str:
    suffix = "" if index is None else f"-{index}"
    return f"{socket.gethostname()}-{os.getpid()}{suffix}"[-64:]


def run_worker(options: WorkerOptions) -> None:
    """Run tasks and the scheduler until SIGINT or SIGTERM.

    With one process, ends with SystemExit when the django-tasks-db worker
    handles the signal.
    """
    if options.concurrency == 1:
        worker = _in_process_worker(options)
        # From here on a SIGTERM ends in a clean stop, also while the
        # scheduler thread is still starting.
        worker.configure_signals()
        run_tasks = worker.run
    else:
        run_tasks = Supervisor(_worker_processes(options)).run
    scheduler = SchedulerLoop(options.tick_interval) if options.run_scheduler else None
    try:
        logger.info(
            "Worker started: %d process(es), queues %s, scheduler %s",
            options.concurrency,
            ",".join(options.queue_names),
            "on" if scheduler else "off",
        )
        if scheduler is not None:
            scheduler.start()
        run_tasks()
    finally:
        if scheduler is not None:
            scheduler.stop()
        connections.close_all()
        logger.info("Worker stopped")


def _in_process_worker(options: WorkerOptions) -> Worker:
    return Worker(
        queue_names=list(options.queue_names),
        interval=options.poll_interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id(),
        excluded_queue_names=[],
    )


def _worker_processes(options: WorkerOptions) -> list[Child]:
    environment = child_environment()
    return [
        Child(
            name=f"db_worker {index}",
            argv=django_command(
                "db_worker",
                "--queue-name",
                ",".join(options.queue_names),
                "--interval",
                str(options.poll_interval),
                "--no-reload",
                "--worker-id",
                worker_id(index),
            ),
            env=environment,
        )
        for index in range(1, options.concurrency + 1)
    ]
