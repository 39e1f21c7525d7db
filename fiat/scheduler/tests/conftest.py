"""Fixtures for the scheduler tests."""

from collections.abc import Callable, Iterator

import pytest

from fiat.scheduler.registry import PeriodicJob, register, unregister

RegisterJob = Callable[..., PeriodicJob]


@pytest.fixture
def register_job() -> Iterator[RegisterJob]:
    """Return a function that registers a job until the end of the test."""
    names = []

    def register_for_test(name: str, function, schedule, **options) -> PeriodicJob:
        names.append(name)
        return register(
            PeriodicJob(name=name, function=function, schedule=schedule, **options)
        )

    yield register_for_test
    for name in names:
        unregister(name)
