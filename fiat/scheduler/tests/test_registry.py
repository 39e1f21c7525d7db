"""Jobs register by name with @periodic_job, once per name."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from fiat.scheduler.registry import (
    CatchUp,
    JobNotRegisteredError,
    get_job,
    periodic_job,
    registered_jobs,
    unregister,
)
from fiat.scheduler.schedules import Every


@pytest.fixture
def cleanup_job():
    yield "test.registry"
    unregister("test.registry")


def send_reminders(slot_at: datetime) -> None:
    """Stand-in job function."""


def send_other_reminders(slot_at: datetime) -> None:
    """Stand-in job function with a different path."""


def test_decorator_registers_and_returns_function(cleanup_job):
    decorated = periodic_job(
        cleanup_job,
        schedule=Every(timedelta(hours=1)),
        description="Send payment reminders",
        catch_up=CatchUp.ALL,
    )(send_reminders)

    job = get_job(cleanup_job)
    assert decorated is send_reminders
    assert job.function is send_reminders
    assert job.description == "Send payment reminders"
    assert job.catch_up is CatchUp.ALL
    assert job.max_catch_up == 100
    assert job in registered_jobs()


def test_same_function_registers_twice_without_error(cleanup_job):
    schedule = Every(timedelta(hours=1))
    periodic_job(cleanup_job, schedule=schedule)(send_reminders)

    periodic_job(cleanup_job, schedule=schedule)(send_reminders)

    assert get_job(cleanup_job).function is send_reminders


def test_other_function_under_taken_name_is_rejected(cleanup_job):
    schedule = Every(timedelta(hours=1))
    periodic_job(cleanup_job, schedule=schedule)(send_reminders)

    with pytest.raises(ImproperlyConfigured, match="is defined twice"):
        periodic_job(cleanup_job, schedule=schedule)(send_other_reminders)


def test_max_catch_up_below_one_is_rejected(cleanup_job):
    decorator = periodic_job(
        cleanup_job, schedule=Every(timedelta(hours=1)), max_catch_up=0
    )

    with pytest.raises(ImproperlyConfigured, match="max_catch_up=0"):
        decorator(send_reminders)


def test_unknown_job_name_raises_not_registered():
    with pytest.raises(JobNotRegisteredError, match=r"'reports\.unknown'"):
        get_job("reports.unknown")


def test_jobs_modules_are_discovered():
    names = {job.name for job in registered_jobs()}

    assert {"tasks.prune", "scheduler.prune_runs"} <= names
