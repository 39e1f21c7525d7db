"""Test-run rules shared by every app's tests.

On SQLite the tests marked ``postgres`` are deselected, not skipped, and on
PostgreSQL those marked ``sqlite``. With
``FIAT_STRICT_SKIPS=1`` (set by ``.ci/run``) a skipped test fails the run,
because in CI a missing service, tool or sample corpus must not pass silently.
"""

import os

import pytest
from django.conf import settings


def _database_is_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def pytest_collection_modifyitems(config, items):
    other_database = "postgres" if _database_is_sqlite() else "sqlite"
    selected, deselected = [], []
    for item in items:
        if item.get_closest_marker(other_database):
            deselected.append(item)
        else:
            selected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    strict = os.environ.get("FIAT_STRICT_SKIPS") == "1"
    if strict and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.outcome = "failed"
        report.longrepr = (
            f"Skipped in a strict run (FIAT_STRICT_SKIPS=1): {reason}. "
            "Install the missing service, tool or sample corpus."
        )
