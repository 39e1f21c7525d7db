"""Helpers for the scheduler tests: a worker in this process, and subprocesses."""

import sys
import time
from pathlib import Path

from django_tasks_db.management.commands.db_worker import Worker

from fiat.testing import database_url_for_subprocess, subprocess_environment

__all__ = ["database_url_for_subprocess", "subprocess_environment"]


def run_queued_tasks() -> None:
    """Run every ready task with a django-tasks-db worker in batch mode.

    The worker closes the connection between tasks, so tests that call this
    need ``django_db(transaction=True)``.
    """
    Worker(
        queue_names=["default", "scheduled"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def fiat_command(*arguments: str) -> list[str]:
    return [str(Path(sys.executable).with_name("fiat")), *arguments]


def child_pids(pid: int) -> set[int]:
    """Return the ids of all living descendants of process ``pid``, from /proc."""
    children: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        state, parent = fields[0], int(fields[1])
        if state != "Z":
            children.setdefault(parent, []).append(int(stat_file.parent.name))
    descendants, pending = set(), [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            descendants.add(child)
            pending.append(child)
    return descendants


def is_alive(pid: int) -> bool:
    """Tell whether process ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def command_line(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return []
    return raw.rstrip(b"\0").decode(errors="replace").split("\0")


def wait_until(condition, timeout: float, interval: float = 0.2) -> bool:
    """Call ``condition`` until it returns true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())
