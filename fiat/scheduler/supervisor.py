"""A small process supervisor for ``fiat serve`` and ``fiat worker --concurrency``.

It starts child processes, restarts one that dies (waiting 1 s, then twice as
long after each quick failure, up to a minute), and on SIGINT or SIGTERM
sends each child SIGTERM once and waits for it to exit. A second signal sends
SIGTERM again, on which the django-tasks-db worker aborts its current task.
A child still running after ``stop_timeout`` seconds is killed.

Each child runs in its own process group, so a Ctrl+C in a terminal reaches
only the supervisor, which then sends each child one SIGTERM. A child that
received the terminal's SIGINT directly and then the supervisor's SIGTERM
would take the second signal as a request to abort its work.
"""

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from types import FrameType

logger = logging.getLogger(__name__)

FIRST_RESTART_DELAY = 1.0
MAX_RESTART_DELAY = 60.0
# A child that ran this long before dying is restarted after the first delay
# again, not after a longer one.
STABLE_RUN_SECONDS = 60.0
DEFAULT_STOP_TIMEOUT = 30.0


@dataclass
class Child:
    """A supervised child process and its restart state."""

    name: str
    argv: Sequence[str]
    env: dict[str, str] | None = None
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_count: int = 0
    quick_failures: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env, process_group=0)
        self.started_at = time.monotonic()
        self.restart_at = None
        logger.info("Started %s (pid %d)", self.name, self.process.pid)

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.is_running():
            self.process.send_signal(signum)


class Supervisor:
    """Run ``children`` until SIGINT or SIGTERM, restarting any that die."""

    def __init__(
        self,
        children: Sequence[Child],
        *,
        stop_timeout: float = DEFAULT_STOP_TIMEOUT,
        poll_interval: float = 0.5,
    ) -> None:
        self.children = list(children)
        self.stop_timeout = stop_timeout
        self.poll_interval = poll_interval
        self._signals_received: list[int] = []
        self._wake = threading.Event()

    def run(self) -> None:
        """Start the children and supervise them until a stop signal arrives.

        Must be called from the main thread, which receives the signals.
        """
        previous_handlers = {
            signum: signal.signal(signum, self._on_signal)
            for signum in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for child in self.children:
                child.start()
            while not self._signals_received:
                self._check_children()
                self._wake.wait(self.poll_interval)
            logger.info(
                "Received %s; stopping %d children",
                signal.strsignal(self._signals_received[0]),
                len(self.children),
            )
        finally:
            self._stop_children()
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self._signals_received.append(signum)
        self._wake.set()

    def _check_children(self) -> None:
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restart_count += 1
                    child.start()
                continue
            if not child.is_running():
                self._schedule_restart(child, now)

    def _schedule_restart(self, child: Child, now: float) -> None:
        if now - child.started_at >= STABLE_RUN_SECONDS:
            child.quick_failures = 0
        delay = min(MAX_RESTART_DELAY, FIRST_RESTART_DELAY * 2**child.quick_failures)
        child.quick_failures += 1
        child.restart_at = now + delay
        logger.warning(
            "%s (pid %d) exited with code %s; restarting it in %.0fs (restart %d)",
            child.name,
            child.process.pid,
            child.process.returncode,
            delay,
            child.restart_count + 1,
        )

    def _stop_children(self) -> None:
        terminations_sent = 0
        deadline = time.monotonic() + self.stop_timeout
        while any(child.is_running() for child in self.children):
            if time.monotonic() >= deadline:
                self._kill_children()
                break
            # One SIGTERM per stop signal received, at most two: the second
            # aborts the work in progress.
            if terminations_sent < min(2, max(1, len(self._signals_received))):
                if terminations_sent == 1:
                    logger.warning("Received a second signal; aborting children's work")
                for child in self.children:
                    child.signal(signal.SIGTERM)
                terminations_sent += 1
            self._wake.clear()
            self._wake.wait(0.1)
        for child in self.children:
            if child.process is not None:
                logger.info(
                    "%s (pid %d) stopped with code %s",
                    child.name,
                    child.process.pid,
                    child.process.wait(),
                )

    def _kill_children(self) -> None:
        for child in self.children:
            if child.is_running():
                logger.warning(
                    "%s (pid %d) did not stop within %.0fs; killing it",
                    child.name,
                    child.process.pid,
                    self.stop_timeout,
                )
                child.signal(signal.SIGKILL)
