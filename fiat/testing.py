"""Test support shared by the apps: subprocesses and concurrent threads.

A subprocess does not inherit the test database that pytest-django set up
in this process, so it gets the database and data folder through the
environment.
"""

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection


def database_url_for_subprocess() -> str:
    """Return a DATABASE_URL that points a subprocess at the test database."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{database['USER']}@{host}:{port}/{database['NAME']}"


def subprocess_environment(**overrides: str) -> dict[str, str]:
    """Return an environment for a ``fiat`` subprocess on this test's data."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fiat.settings",
        "FIAT_DATA_DIR": str(settings.DATA_DIR),
        "PYTHONUNBUFFERED": "1",
    }
    environment.update(overrides)
    return environment


CONCURRENT_TIMEOUT_SECONDS = 60


def run_together(*functions: Callable) -> list:
    """Run ``functions`` in threads that start together; return each outcome.

    An outcome is the return value, or the exception raised. Each thread
    closes its database connection when done.
    """
    barrier = threading.Barrier(len(functions))

    def run(function: Callable):
        try:
            barrier.wait(CONCURRENT_TIMEOUT_SECONDS)
            return function()
        except Exception as error:
            # The test checks which call failed, and how.
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(len(functions)) as pool:
        futures = [pool.submit(run, function) for function in functions]
        return [future.result(CONCURRENT_TIMEOUT_SECONDS) for future in futures]
