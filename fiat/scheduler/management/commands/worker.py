"""``fiat worker``: run background tasks and the scheduler of periodic jobs."""

from argparse import ArgumentParser, ArgumentTypeError

from django.core.management.base import BaseCommand

from fiat.scheduler.runtime import WORKER_QUEUES, WorkerOptions, run_worker
from fiat.scheduler.scheduler import DEFAULT_TICK_INTERVAL


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError(
            f"{value} is not a positive whole number; use 1 or more."
        )
    return number


def positive_seconds(value: str) -> float:
    seconds = float(value)
    if not seconds > 0 or seconds == float("inf"):
        raise ArgumentTypeError(f"{value} is not a positive number of seconds.")
    return seconds


class Command(BaseCommand):
    help = (
        "Run background tasks from the queues 'default' and 'scheduled', and the "
        "scheduler that enqueues periodic jobs. Stops cleanly on SIGINT or SIGTERM."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--concurrency",
            type=positive_int,
            default=1,
            help="Number of worker processes that run tasks (default: 1, in this "
            "process; more start db_worker child processes).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="run_scheduler",
            help="Run tasks only, without the scheduler of periodic jobs.",
        )
        parser.add_argument(
            "--tick-interval",
            type=positive_seconds,
            default=DEFAULT_TICK_INTERVAL,
            help="Seconds between two scheduler checks for due jobs "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            type=positive_seconds,
            default=1.0,
            help="Seconds an idle worker waits before looking for new tasks again "
            "(default: %(default)s).",
        )

    def handle(
        self,
        *,
        concurrency: int,
        run_scheduler: bool,
        tick_interval: float,
        interval: float,
        **options,
    ) -> None:
        run_worker(
            WorkerOptions(
                concurrency=concurrency,
                run_scheduler=run_scheduler,
                tick_interval=tick_interval,
                poll_interval=interval,
                queue_names=WORKER_QUEUES,
            )
        )
