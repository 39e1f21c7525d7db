"""Test-run rules shared by every app's tests.

On SQLite the tests marked ``postgres`` are deselected, not skipped, and on
PostgreSQL those marked ``sqlite``. With
``FIAT_STRICT_SKIPS=1`` (set by ``.ci/run``) a skipped test fails the run,
because in CI a missing service, tool or sample corpus must not pass silently.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Public sample documents (invoices, e-invoices, bank statements) kept beside
# the repository; FIAT_CORPUS_DIR points elsewhere.
CORPUS_DIR = Path(
    os.environ.get(
        "FIAT_CORPUS_DIR", Path(__file__).resolve().parent.parent / "shared" / "corpus"
    )
)


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


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """Return the sample corpus folder, or skip when this clone lacks it."""
    if not (CORPUS_DIR / "MANIFEST.md").exists():
        pytest.skip(
            f"sample corpus not found at {CORPUS_DIR}; set FIAT_CORPUS_DIR to "
            "run the corpus tests"
        )
    return CORPUS_DIR
