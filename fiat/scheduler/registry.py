"""The registry of periodic jobs, filled by ``@periodic_job`` in ``jobs`` modules.

Each installed app may have a ``jobs`` module. The scheduler app imports them
all when Django starts (``SchedulerConfig.ready``), so every process has the
same jobs. A job is a function of one argument, the aware UTC datetime of the
slot it runs for::

    @periodic_job("audit.seal", schedule=Every(timedelta(minutes=1)))
    def seal_new_events(slot_at): ...

The function runs in a worker at most once per slot: a run that fails is
recorded and not retried, and the next slot runs as usual. Work that depends on
the time should use ``slot_at`` rather than the clock, so that a slot caught up
after downtime does the work of its own time.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured

from fiat.scheduler.schedules import CatchUp, Schedule

__all__ = [
    "DEFAULT_MAX_CATCH_UP",
    "CatchUp",
    "JobNotRegisteredError",
    "PeriodicJob",
    "get_job",
    "periodic_job",
    "register",
    "registered_jobs",
    "unregister",
]

# The maximum number of missed slots that one catch-up runs for a job with
# CatchUp.ALL. Older missed slots are skipped with a warning.
DEFAULT_MAX_CATCH_UP = 100

JobFunction = Callable[[datetime], object]


class JobNotRegisteredError(LookupError):
    """No periodic job is registered under the name."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"No periodic job is registered as {name!r}; check the name and that "
            "its app's jobs module defines it with @periodic_job."
        )
        self.name = name


@dataclass(frozen=True)
class PeriodicJob:
    """A function the scheduler runs once for each slot of its schedule."""

    name: str
    function: JobFunction
    schedule: Schedule
    description: str = ""
    catch_up: CatchUp = CatchUp.LATEST
    max_catch_up: int = DEFAULT_MAX_CATCH_UP

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 100:
            raise ImproperlyConfigured(
                f"Job name {self.name!r} is invalid; use 1 to 100 characters."
            )
        if self.max_catch_up < 1:
            raise ImproperlyConfigured(
                f"Job {self.name!r} has max_catch_up={self.max_catch_up}; "
                "use 1 or more."
            )

    @property
    def function_path(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"


_jobs: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> PeriodicJob:
    """Add ``job`` to the registry.

    Registering the same function under its name again is harmless, so a
    module imported twice does no damage. Another function under a name
    already taken raises ``ImproperlyConfigured``.
    """
    existing = _jobs.get(job.name)
    if existing is not None and existing.function_path != job.function_path:
        raise ImproperlyConfigured(
            f"Periodic job {job.name!r} is defined twice: by "
            f"{existing.function_path} and {job.function_path}. Rename one."
        )
    _jobs[job.name] = job
    return job


def unregister(name: str) -> None:
    """Remove the job named ``name``, ignoring a name that is not registered."""
    _jobs.pop(name, None)


def periodic_job(
    name: str,
    *,
    schedule: Schedule,
    description: str = "",
    catch_up: CatchUp = CatchUp.LATEST,
    max_catch_up: int = DEFAULT_MAX_CATCH_UP,
) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as the periodic job ``name``.

    ``catch_up`` sets what happens to slots missed while no scheduler ran.
    ``CatchUp.ALL`` runs each of them, up to the latest ``max_catch_up``, and
    ``CatchUp.LATEST`` runs only the most recent one. The function is returned
    unchanged, so it can still be called directly.
    """

    def decorator(function: JobFunction) -> JobFunction:
        register(
            PeriodicJob(
                name=name,
                function=function,
                schedule=schedule,
                description=description,
                catch_up=catch_up,
                max_catch_up=max_catch_up,
            )
        )
        return function

    return decorator


def get_job(name: str) -> PeriodicJob:
    """Return the job registered as ``name`` or raise JobNotRegisteredError."""
    try:
        return _jobs[name]
    except KeyError:
        raise JobNotRegisteredError(name) from None


def registered_jobs() -> list[PeriodicJob]:
    """Return every registered job, sorted by name."""
    return sorted(_jobs.values(), key=lambda job: job.name)
